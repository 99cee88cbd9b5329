// Turns "this case needs this person" into the exact message a channel sends: subject, text and
// HTML for e-mail, one GSM-7 segment for SMS. Every message carries the portal link exactly once
// per part (CONTRACT.md), so the HTML shows it only as the button's target.
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { z } from 'zod';
import type { ChannelName, RenderedMessage } from '../channels/channel.ts';
import { languageTag, LOCALES, type Locale } from '../i18n/locale.ts';
import { CASE_KINDS, type CaseKind } from '../cases/case-types.ts';
import { MESSAGE_TEMPLATES, type MessageTemplate } from '../outbox/outbox-repository.ts';
import { copyFor, type CopyFacts, type EmailCopy } from './message-copy.ts';
import { fitsOneGsm7Segment, toGsm7 } from './sms-encoding.ts';

export interface MessageContext {
  template: MessageTemplate;
  caseKind: CaseKind;
  webhookCode?: string | null;
  locale: Locale;
  /** PUBLIC_URL/r/<token>, up to about 80 characters so that an SMS stays one segment. */
  portalUrl: string;
  userName?: string | null;
  institutionName?: string | null;
  /** ISO 8601 date or instant. */
  consentDueDate?: string | null;
}

const messageContextSchema = z.object({
  template: z.enum(MESSAGE_TEMPLATES),
  caseKind: z.enum(CASE_KINDS),
  webhookCode: z.string().nullish(),
  locale: z.enum(LOCALES),
  portalUrl: z.url({ protocol: /^https?$/ }),
  userName: z.string().nullish(),
  institutionName: z.string().nullish(),
  consentDueDate: z.string().nullish(),
}) satisfies z.ZodType<MessageContext>;

const EMAIL_VIEW = fileURLToPath(new URL('../../views/messages/email.ejs', import.meta.url));

// Belvo gives the due date as an instant; the day is named in the user's likely time zone (Brazil
// for Portuguese, Mexico, the westernmost Spanish market, otherwise) so it is never a day late.
const DUE_DATE_TIME_ZONE: Record<Locale, string> = {
  es: 'America/Mexico_City',
  'pt-BR': 'America/Sao_Paulo',
  en: 'America/Mexico_City',
};

const SHORT_DATE: Record<Locale, Intl.DateTimeFormatOptions> = {
  es: { day: '2-digit', month: '2-digit', year: 'numeric' },
  'pt-BR': { day: '2-digit', month: '2-digit', year: 'numeric' },
  // Spelled-out month: 03/04 reads differently on either side of the Atlantic.
  en: { month: 'short', day: 'numeric', year: 'numeric' },
};

function formatDueDate(iso: string | null | undefined, locale: Locale, style: 'long' | 'short'): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // A bare date has no instant to convert: it is that day wherever the user is.
  const timeZone = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : DUE_DATE_TIME_ZONE[locale];
  const options: Intl.DateTimeFormatOptions = style === 'long' ? { dateStyle: 'long' } : SHORT_DATE[locale];
  return new Intl.DateTimeFormat(languageTag(locale), { ...options, timeZone }).format(date);
}

/** Free text from the operator's records: one line, and absent when blank. */
function oneLine(value: string | null | undefined): string | undefined {
  const cleaned = value?.replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

function copyFacts(ctx: MessageContext, dueDateStyle: 'long' | 'short'): CopyFacts {
  const consentExpired =
    ctx.webhookCode === 'openfinance_consent_expired' ||
    (ctx.webhookCode !== 'openfinance_consent_about_to_expire' && !ctx.consentDueDate);
  return {
    template: ctx.template,
    caseKind: ctx.caseKind,
    consentExpired,
    userName: oneLine(ctx.userName),
    institution: oneLine(ctx.institutionName),
    dueDate: formatDueDate(ctx.consentDueDate, ctx.locale, dueDateStyle),
  };
}

function emailText(copy: EmailCopy, portalUrl: string): string {
  return [
    copy.greeting,
    ...copy.intro,
    `${copy.action}\n${portalUrl}`,
    copy.personal,
    copy.ifIgnored,
    copy.safety,
    `-- \n${copy.sender}\n${copy.footer}`,
  ].join('\n\n');
}

async function renderEmail(to: string, ctx: MessageContext): Promise<RenderedMessage> {
  const copy = copyFor(ctx.locale).email(copyFacts(ctx, 'long'));
  const html = await ejs.renderFile(EMAIL_VIEW, { lang: languageTag(ctx.locale), copy, portalUrl: ctx.portalUrl }, { cache: true });
  return { to, subject: copy.subject, text: emailText(copy, ctx.portalUrl), html };
}

function gsm7(value: string | undefined): string | undefined {
  return value === undefined ? undefined : toGsm7(value) || undefined;
}

/**
 * The richest text that still fits one GSM-7 segment: the greeting by name is dropped first, then
 * the bank's name, before the copy itself gets shorter.
 */
function renderSms(to: string, ctx: MessageContext): RenderedMessage {
  const facts = copyFacts(ctx, 'short');
  const named: CopyFacts = { ...facts, userName: undefined, institution: gsm7(facts.institution), dueDate: gsm7(facts.dueDate) };
  const copy = copyFor(ctx.locale);
  const texts = [...new Set([...copy.sms(named), ...copy.sms({ ...named, institution: undefined })])];
  const name = gsm7(facts.userName);
  const candidates = texts
    .flatMap((text) => (name ? [copy.smsGreeting(name) + text, text] : [text]))
    .map((text) => `${text} ${ctx.portalUrl}`);
  return { to, text: candidates.find(fitsOneGsm7Segment) ?? candidates[candidates.length - 1]! };
}

export async function renderMessage(channel: ChannelName, to: string, context: MessageContext): Promise<RenderedMessage> {
  const ctx = messageContextSchema.parse(context);
  return channel === 'email' ? renderEmail(to, ctx) : renderSms(to, ctx);
}
