// Turns one claimed event into case changes and queued messages, in one transaction with marking the
// event done: a crash anywhere leaves the event claimable again and nothing half-applied.
import type { Knex } from 'knex';
import { isBelvoId } from '../belvo/belvo-id.ts';
import {
  addTimeline,
  findActiveCasesForLink,
  findCase,
  insertCase,
  transitionCase,
  updateCase,
} from '../cases/case-repository.ts';
import { ACTIVE_STATUSES, type CaseKind } from '../cases/case-types.ts';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { finishClaim } from '../db/claim.ts';
import { linkDataActivity } from '../link-data/link-data-activity.ts';
import { recordLinkData } from '../link-data/link-data-repository.ts';
import type { Logger } from '../logger.ts';
import { casesWithHeldMessages, enqueueMessage } from '../outbox/outbox-repository.ts';
import { applyPaymentDecision, lockPayment } from '../payments/payment-repository.ts';
import { replanReminders } from '../reminders/reminder-repository.ts';
import type { ReminderConfig } from '../reminders/reminder-schedule.ts';
import type { StormGuardConfig } from '../storm/storm-config.ts';
import { guardedInstitution, guardFirstMessage, warnOfStorm, type GuardVerdict, type StormNotice } from '../storm/storm-guard.ts';
import { findLink, findUserById, findUserForWebhook, type LinkRecord, type UserRecord } from '../users/user-repository.ts';
import { decide, type DecideContext, type Decision } from './decide.ts';
import type { StoredEvent } from './event-inbox.ts';
import type { PaymentsWebhook, Webhook } from '../belvo/belvo-webhooks.ts';
import type { InstitutionLookup } from './institution-lookup.ts';

export interface EventProcessorDeps {
  db: Knex;
  logger: Logger;
  cooldownMs: number;
  /** CHANNEL_ORDER and the channels set up. */
  channelPolicy: ChannelPolicy;
  /** Consent codes that message the user (CONSENT_CODES_TO_NOTIFY); absent: the default three. */
  consentCodesToNotify?: readonly string[];
  /** The reminder schedule, planned again when Belvo moves a consent's due date. */
  reminders: ReminderConfig;
  /**
   * Belvo's webhooks do not name the institution. When the operator has not registered the link,
   * asking Belvo for it lets messages and pages name the bank and speak its country's language.
   * Resolves null when Belvo cannot say; never rejects.
   */
  institutionOf: InstitutionLookup;
  /** STORM_GUARD; undefined when off (an institution Belvo reports down is still held). */
  stormGuard: StormGuardConfig | undefined;
}

/** The kind of case an event is about: the one it may open or change. */
const CASE_KIND_OF: Partial<Record<Webhook['kind'], CaseKind>> = {
  invalid_credentials: 'credentials',
  token_required: 'mfa',
  consent: 'consent',
  consent_expiration_changed: 'consent',
};

/** Events that may open a case, whose message and page should name the bank. */
const OPENS_A_CASE: ReadonlySet<Webhook['kind']> = new Set(['invalid_credentials', 'token_required', 'consent']);

function eventSummary(event: StoredEvent): Record<string, unknown> {
  const p = event.webhook.payload;
  const data = p.data as Record<string, unknown>;
  return {
    webhook_id: p.webhook_id,
    webhook_type: p.webhook_type,
    webhook_code: p.webhook_code,
    ...(typeof data['error_code'] === 'string' ? { error_code: data['error_code'] } : {}),
  };
}

/** What is known about the event's link before the transaction: read once per event, and only for events that may open a case. */
interface LinkFacts {
  link: LinkRecord | undefined;
  /** From the operator's registration, else from Belvo (institutionOf never throws). */
  institution: string | null;
}

async function linkFacts(deps: EventProcessorDeps, event: StoredEvent): Promise<LinkFacts> {
  const linkId = event.webhook.payload.link_id;
  if (!linkId || !OPENS_A_CASE.has(event.webhook.kind)) return { link: undefined, institution: null };
  const link = await findLink(deps.db, linkId);
  if (link?.institution) return { link, institution: link.institution };
  // An id that is not Belvo's is never sent to Belvo, not even to ask for its bank.
  return { link, institution: isBelvoId(linkId) ? await deps.institutionOf(linkId, deps.logger) : null };
}

/** What decide needs to know about the event's link: only what the event's kind looks at is read. */
async function linkContext(trx: Knex.Transaction, webhook: Exclude<Webhook, { kind: 'payments' }>, facts: LinkFacts) {
  const kind = CASE_KIND_OF[webhook.kind];
  const user = OPENS_A_CASE.has(webhook.kind) ? await findUserForWebhook(trx, webhook.payload.external_id, facts.link) : undefined;
  // An active case holds its link's open_key, so the one of this kind is among the link's active cases.
  const linkCases = kind || webhook.kind === 'link_data' ? await findActiveCasesForLink(trx, webhook.payload.link_id) : [];
  return {
    user,
    link: facts.link,
    activeCase: kind ? linkCases.find((c) => c.kind === kind) : undefined,
    linkCases,
  };
}

async function decideFor(trx: Knex.Transaction, event: StoredEvent, deps: EventProcessorDeps, facts: LinkFacts, now: number) {
  const { webhook } = event;
  const base: Omit<DecideContext, 'user' | 'link' | 'activeCase' | 'linkCases'> = {
    receivedAt: event.receivedAt,
    now,
    cooldownMs: deps.cooldownMs,
    channelPolicy: deps.channelPolicy,
    ...(deps.consentCodesToNotify ? { consentCodesToNotify: deps.consentCodesToNotify } : {}),
    institution: facts.institution,
  };
  if (webhook.kind === 'payments') {
    const payment = await lockPayment(trx, paymentKey(webhook.payload), now);
    const decision = decide(webhook, { ...base, user: undefined, link: undefined, activeCase: undefined, linkCases: [], eventId: event.id, payment });
    return { decision, user: undefined };
  }
  const context = await linkContext(trx, webhook, facts);
  return { decision: decide(webhook, { ...base, ...context }), user: context.user };
}

/** Payments webhooks name an object, not a link: no user, no case, only the object's record. */
function paymentKey(payload: PaymentsWebhook) {
  return { objectType: payload.webhook_type, objectId: payload.object_id, code: payload.webhook_code, webhookId: payload.webhook_id };
}

interface ApplyContext {
  trx: Knex.Transaction;
  deps: EventProcessorDeps;
  event: StoredEvent;
  /** The webhook's user, when it names one we know. */
  user: UserRecord | undefined;
  now: number;
  /** Holds this event started, told to the operator once the transaction commits. */
  storms: StormNotice[];
}

async function applyDecision(decision: Decision, c: ApplyContext): Promise<void> {
  const { trx, now } = c;
  const summary = eventSummary(c.event);
  switch (decision.type) {
    case 'record_only':
      return;
    case 'record_payment':
      await applyPaymentDecision(trx, decision, now);
      return;
    case 'resolve':
      for (const caseId of decision.caseIds) {
        if (await transitionCase(trx, caseId, ACTIVE_STATUSES, 'resolved', now)) {
          await addTimeline(trx, caseId, 'event_received', now, summary);
          await addTimeline(trx, caseId, 'resolved', now, { reason: decision.reason });
        }
      }
      return;
    case 'open':
      return openCase(decision, c, summary);
    case 'refuse':
      return refuseCase(decision, c, summary);
    case 'update': {
      if (decision.reopen) await transitionCase(trx, decision.caseId, ['unreachable'], 'open', now, { userId: c.user?.id ?? null });
      await updateCase(trx, decision.caseId, { details: decision.details, institution: decision.institution }, now);
      await addTimeline(trx, decision.caseId, 'event_received', now, summary);
      if (decision.notify) {
        const theCase = (await findCase(trx, decision.caseId))!;
        await notify(c, decision.caseId, await passGuard(c, theCase, false));
      }
      return;
    }
    case 'move_due_date':
      return moveDueDate(decision, c, summary);
  }
}

async function openCase(decision: Extract<Decision, { type: 'open' }>, c: ApplyContext, summary: Record<string, unknown>): Promise<void> {
  const { trx, now, user } = c;
  const caseId = await insertCase(
    trx,
    {
      linkId: decision.linkId,
      kind: decision.kind,
      status: decision.status,
      userId: user?.id ?? null,
      externalId: c.event.webhook.payload.external_id ?? null,
      institution: decision.institution,
      details: decision.details,
      lastNotifiedAt: decision.notify ? now : null,
    },
    now,
  );
  await addTimeline(trx, caseId, 'event_received', now, summary);
  if (decision.status === 'unreachable') {
    await addTimeline(trx, caseId, 'user_unreachable', now, { reason: user === undefined ? 'unknown_user' : 'no_contact' });
  }
  const verdict = await passGuard(c, decision, true);
  if (decision.notify) await queueRemediation(c, caseId, verdict, user);
}

/** Recorded where the operator looks for cases, failed at once: nobody is messaged and Belvo is never called with the id. */
async function refuseCase(decision: Extract<Decision, { type: 'refuse' }>, c: ApplyContext, summary: Record<string, unknown>): Promise<void> {
  const { trx, now } = c;
  const caseId = await insertCase(
    trx,
    {
      linkId: decision.linkId,
      kind: decision.kind,
      status: 'failed',
      userId: c.user?.id ?? null,
      externalId: c.event.webhook.payload.external_id ?? null,
      institution: decision.institution,
      details: decision.details,
    },
    now,
  );
  await addTimeline(trx, caseId, 'event_received', now, summary);
  await addTimeline(trx, caseId, 'failed', now, { reason: decision.reason });
}

async function moveDueDate(decision: Extract<Decision, { type: 'move_due_date' }>, c: ApplyContext, summary: Record<string, unknown>): Promise<void> {
  const { trx, now } = c;
  await addTimeline(trx, decision.caseId, 'event_received', now, summary);
  if (decision.dueDate === null) return;
  await updateCase(trx, decision.caseId, { details: decision.details }, now);
  await addTimeline(trx, decision.caseId, 'case_updated', now, {
    consent_due_date: decision.dueDate,
    previous_consent_due_date: decision.previousDueDate,
  });
  const theCase = await findCase(trx, decision.caseId);
  if (!theCase) return;
  const user = theCase.userId === null ? undefined : await findUserById(trx, theCase.userId);
  await replanReminders(trx, theCase, user, now, c.deps.reminders);
}

/** The storm guard for a case just opened (it counts) or messaged again; cases it does not guard pass. */
async function passGuard(c: ApplyContext, theCase: { kind: CaseKind; institution: string | null }, newCase: boolean): Promise<GuardVerdict | undefined> {
  const institution = guardedInstitution(theCase);
  if (!institution) return undefined;
  const verdict = await guardFirstMessage(c.trx, c.deps.stormGuard, { institution, newCase, now: c.now });
  if (verdict.detected) c.storms.push(verdict.detected);
  return verdict;
}

/** Messages an existing case again (the case records when). */
async function notify(c: ApplyContext, caseId: number, verdict: GuardVerdict | undefined): Promise<void> {
  const { trx, now } = c;
  // One held message a case: a webhook repeated during the storm must not make a release send two.
  if (verdict?.heldBy && (await casesWithHeldMessages(trx, [caseId])).size > 0) return;
  await queueRemediation(c, caseId, verdict, undefined);
  await updateCase(trx, caseId, { lastNotifiedAt: now }, now);
}

/** The remediation message, held when the guard says so; `openedFor`: the case was opened in this transaction for that user. */
async function queueRemediation(c: ApplyContext, caseId: number, verdict: GuardVerdict | undefined, openedFor: UserRecord | undefined): Promise<void> {
  const heldBy = verdict?.heldBy;
  const policy = c.deps.channelPolicy;
  await enqueueMessage(c.trx, { caseId, template: 'remediation', policy, ...(openedFor ? { openedFor } : {}), ...(heldBy ? { heldBy } : {}) }, c.now);
}

/** Ids that are not Belvo's are recorded, never sent to Belvo; the log tells the operator which. */
function warnOfOddIds(deps: EventProcessorDeps, webhook: Webhook, decision: Decision): void {
  const { webhook_id: webhookId, link_id: linkId, object_id: objectId } = webhook.payload;
  if (decision.type === 'refuse') {
    deps.logger.warn('a webhook named a link id that is not a Belvo id: its case failed at once, nobody was messaged, Belvo was not called', {
      webhook_id: webhookId,
      link_id: linkId,
    });
  } else if (linkId && !isBelvoId(linkId)) {
    deps.logger.warn('a webhook named a link id that is not a Belvo id; recorded as received, Belvo was not called', { webhook_id: webhookId, link_id: linkId });
  } else if (!linkId && objectId && !isBelvoId(objectId)) {
    deps.logger.warn('a payments webhook named an object id that is not a Belvo id; recorded as received', { webhook_id: webhookId, object_id: objectId });
  }
}

/** Processes a claimed event. Throws on failure; the caller decides about retrying. */
export async function processEvent(deps: EventProcessorDeps, event: StoredEvent, owner: string, now: number): Promise<void> {
  const eventId = event.id;
  // Outside the transaction: a slow Belvo must not hold the database.
  const facts = await linkFacts(deps, event);
  const storms: StormNotice[] = [];
  const decision = await deps.db.transaction(async (trx) => {
    const { decision, user } = await decideFor(trx, event, deps, facts, now);
    await applyDecision(decision, { trx, deps, event, user, now, storms });
    if (event.webhook.kind === 'link_data') {
      await recordLinkData(trx, linkDataActivity(event.webhook.payload, event.receivedAt), now);
    }
    const finished = await finishClaim(trx, 'events', eventId, owner, { state: 'done' }, { processed_at: now });
    // Our lease ran out and another worker took the event: undo, and let that worker apply it.
    if (!finished) throw new LeaseLostError(eventId);
    return decision;
  });
  warnOfOddIds(deps, event.webhook, decision);
  for (const notice of storms) warnOfStorm(deps.logger, notice);
}

export class LeaseLostError extends Error {
  constructor(eventId: number) {
    super(`lease on event ${eventId} was lost`);
    this.name = 'LeaseLostError';
  }
}
