// One case in the console: what it is, who it is for (contact masked unless the operator asked to
// see it, which is recorded), its messages with where each stands, its timeline, and the two
// actions, each asked for and then confirmed (?confirm=resend|close shows the confirmation).
import type { Request } from 'express';
import type { Knex } from 'knex';
import { findCasePerson } from '../case-actions/case-person.ts';
import { defaultResendChannel } from '../case-actions/resend-case.ts';
import { findCase, listTimeline } from '../cases/case-repository.ts';
import { CASE_STATUSES, isClosed, type CaseRecord, type CaseStatus, type TimelineEntry } from '../cases/case-types.ts';
import { channelOrder, type ChannelPolicy } from '../channels/channel-choice.ts';
import { csrfTokenFor } from '../http/csrf.ts';
import type { UserRecord } from '../users/user-repository.ts';
import { deliveryState, listMessagesOfCases, type CaseMessage } from './case-messages.ts';
import type { Detail, TimelineWords } from './console-copy.ts';
import type { ConsolePage, ConsoleWords } from './console-render.ts';
import { contactRevealed } from './console-session.ts';
import { maskEmail, maskPhone } from './contact-mask.ts';
import { institutionNamer } from './institution-names.ts';

export const casePath = (id: number) => `/admin/cases/${id}`;

export interface CasePageDeps {
  db: Knex;
  now: number;
  channelPolicy: ChannelPolicy;
}

function timelineWords(words: ConsoleWords): TimelineWords {
  const { copy, format } = words;
  return {
    channel: (name) => copy.channels[String(name)] ?? String(name ?? ''),
    delivery: (status) => copy.delivery[String(status) as keyof typeof copy.delivery] ?? String(status ?? ''),
    actor: (detail: Detail) => {
      if (detail['by'] === 'api_key') return copy.actors.apiKey;
      if (detail['by'] === 'console' && typeof detail['operator'] === 'string') return copy.actors.console(detail['operator']);
      if (detail['by'] === 'erasure') return copy.actors.erasure;
      return copy.actors.unknown;
    },
    time: (ms) => (typeof ms === 'number' ? format.dateTime(ms) : ''),
    endedStatus: (reason) => {
      const status = /^case (\w+)$/.exec(String(reason ?? ''))?.[1];
      return status && (CASE_STATUSES as readonly string[]).includes(status) ? copy.statuses[status as CaseStatus].toLowerCase() : undefined;
    },
  };
}

function timelineView(entries: TimelineEntry[], words: ConsoleWords) {
  const sentenceWords = timelineWords(words);
  return entries.map((entry) => ({
    at: words.format.dateTime(entry.at),
    iso: new Date(entry.at).toISOString(),
    type: entry.type,
    text: words.copy.timeline[entry.type]?.(entry.detail ?? {}, sentenceWords) ?? entry.type,
  }));
}

function messagesView(messages: CaseMessage[], words: ConsoleWords) {
  const { copy, format } = words;
  return messages.map((m) => {
    const state = deliveryState(m);
    return {
      label: copy.case.message(m.id),
      purpose: copy.templates[m.template] ?? m.template,
      channel: copy.channels[m.channel] ?? m.channel,
      state,
      stateLabel: copy.delivery[state],
      when: format.dateTime(m.sentAt ?? m.createdAt),
      tries: m.attempts > 1 ? copy.case.tries(m.attempts) : undefined,
      error: state === 'failed' || state === 'retrying' ? (m.lastError ?? undefined) : undefined,
    };
  });
}

function personView(theCase: CaseRecord, user: UserRecord | undefined, revealed: boolean, req: Request, words: ConsoleWords) {
  const { copy, format } = words;
  const c = copy.case;
  if (!user) {
    return {
      fields: theCase.externalId ? [{ label: c.externalId, value: theCase.externalId }] : [],
      unknown: c.noUser,
    };
  }
  const shown = (value: string | null, mask: (v: string) => string) => (value === null ? copy.none : revealed ? value : mask(value));
  const masked = !revealed && (user.email !== null || user.phone !== null);
  return {
    fields: [
      { label: c.externalId, value: user.externalId },
      { label: c.name, value: user.name ?? copy.none },
      { label: c.email, value: shown(user.email, maskEmail) },
      { label: c.phone, value: shown(user.phone, maskPhone) },
      { label: c.language, value: user.locale ? format.language(user.locale) : copy.none },
      { label: c.channels, value: user.channels ? user.channels.map((ch) => copy.channels[ch] ?? ch).join(', ') : copy.none },
    ],
    reveal: masked ? { action: `${casePath(theCase.id)}/contact`, csrfToken: csrfTokenFor(req), label: c.reveal, note: c.revealNote } : undefined,
  };
}

async function resendConfirmation(deps: CasePageDeps, theCase: CaseRecord, user: UserRecord | undefined, req: Request, words: ConsoleWords) {
  const c = words.copy.case;
  const usable = user ? channelOrder(user, deps.channelPolicy) : [];
  const preferred = user ? await defaultResendChannel(deps.db, deps.channelPolicy, theCase.id, user) : undefined;
  return {
    kind: 'resend',
    heading: c.confirmResendHeading,
    intro: c.confirmResendIntro,
    action: `${casePath(theCase.id)}/resend`,
    csrfToken: csrfTokenFor(req),
    channelLabel: c.channelLabel,
    options: usable.map((channel) => ({
      value: channel,
      label: c.sendTo(words.copy.channels[channel] ?? channel, channel === 'email' ? maskEmail(user!.email!) : maskPhone(user!.phone!)),
      checked: channel === (preferred ?? usable[0]),
    })),
    noContact: usable.length === 0 ? (user ? c.noContact : c.noUser) : undefined,
    submit: c.confirmResend,
    cancel: { href: casePath(theCase.id), label: c.cancel },
  };
}

function closeConfirmation(theCase: CaseRecord, req: Request, words: ConsoleWords) {
  const c = words.copy.case;
  return {
    kind: 'close',
    heading: c.confirmCloseHeading,
    intro: c.confirmCloseIntro,
    action: `${casePath(theCase.id)}/close`,
    csrfToken: csrfTokenFor(req),
    reasonLabel: c.reasonLabel,
    reasonHint: c.reasonHint,
    submit: c.confirmClose,
    cancel: { href: casePath(theCase.id), label: c.cancel },
  };
}

async function actionsView(deps: CasePageDeps, theCase: CaseRecord, user: UserRecord | undefined, req: Request, words: ConsoleWords) {
  const c = words.copy.case;
  if (isClosed(theCase.status)) return { heading: c.actions, ended: c.ended };
  const confirm = req.query['confirm'];
  const confirmation =
    confirm === 'resend'
      ? await resendConfirmation(deps, theCase, user, req, words)
      : confirm === 'close'
        ? closeConfirmation(theCase, req, words)
        : undefined;
  const csrfToken = csrfTokenFor(req);
  return {
    heading: c.actions,
    confirmation,
    forms: confirmation
      ? undefined
      : [
          { action: `${casePath(theCase.id)}/resend`, csrfToken, name: 'resend', label: c.resend, intro: c.resendIntro },
          { action: `${casePath(theCase.id)}/close`, csrfToken, name: 'close', label: c.close, intro: c.closeIntro, danger: true },
        ],
  };
}

function factsView(theCase: CaseRecord, institution: string, words: ConsoleWords) {
  const { copy, format } = words;
  const c = copy.case;
  return [
    { label: c.status, value: copy.statuses[theCase.status], status: theCase.status },
    { label: c.kind, value: copy.kinds[theCase.kind] },
    { label: c.institution, value: institution },
    { label: c.link, value: theCase.linkId, code: true },
    { label: c.created, value: format.dateTime(theCase.createdAt) },
    ...(theCase.closedAt !== null ? [{ label: c.closed, value: format.dateTime(theCase.closedAt) }] : []),
    ...(theCase.failedAttempts > 0 ? [{ label: c.failedAttempts, value: format.number(theCase.failedAttempts) }] : []),
    ...(theCase.details.errorCode ? [{ label: c.errorCode, value: theCase.details.errorCode, code: true }] : []),
  ];
}

/** The case page, or undefined when there is no such case. */
export async function casePage(deps: CasePageDeps, caseId: number, req: Request, words: ConsoleWords): Promise<ConsolePage | undefined> {
  const theCase = await findCase(deps.db, caseId);
  if (!theCase) return undefined;
  const [user, timeline, messages, nameOf] = await Promise.all([
    findCasePerson(deps.db, theCase),
    listTimeline(deps.db, caseId),
    listMessagesOfCases(deps.db, [caseId]),
    institutionNamer(deps.db, [theCase.linkId]),
  ]);
  const { copy } = words;
  const institution = nameOf(theCase.linkId, theCase.institution) ?? copy.unknownInstitution;
  return {
    template: 'case',
    page: 'case',
    title: copy.case.title(caseId),
    view: {
      copy: copy.case,
      heading: copy.case.heading(copy.kinds[theCase.kind], institution),
      caseLabel: copy.cases.caseLabel(caseId),
      back: { href: '/admin/cases', label: copy.case.back },
      facts: factsView(theCase, institution, words),
      person: personView(theCase, user, contactRevealed(req, caseId, deps.now), req, words),
      messages: messagesView(messages, words),
      timeline: timelineView(timeline, words),
      actions: await actionsView(deps, theCase, user, req, words),
    },
  };
}
