// Turns one claimed event into case changes and queued messages, in one transaction with marking the
// event done: a crash anywhere leaves the event claimable again and nothing half-applied.
import type { Knex } from 'knex';
import {
  addTimeline,
  findActiveCasesForLink,
  insertCase,
  transitionCase,
  updateCase,
} from '../cases/case-repository.ts';
import { ACTIVE_STATUSES, type CaseKind } from '../cases/case-types.ts';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { accountsActivity } from '../accounts/accounts-activity.ts';
import { recordAccountsActivity } from '../accounts/link-accounts-repository.ts';
import { finishClaim } from '../db/claim.ts';
import { enqueueMessage } from '../outbox/outbox-repository.ts';
import { applyPaymentDecision, lockPayment } from '../payments/payment-repository.ts';
import { findLink, findUserForWebhook, type LinkRecord } from '../users/user-repository.ts';
import { decide, type Decision } from './decide.ts';
import { loadEvent, type StoredEvent } from './event-inbox.ts';
import type { PaymentsWebhook, Webhook } from './webhook-schemas.ts';

export interface EventProcessorDeps {
  db: Knex;
  cooldownMs: number;
  /** CHANNEL_ORDER and the channels set up. */
  channelPolicy: ChannelPolicy;
  /** Consent codes that message the user (CONSENT_CODES_TO_NOTIFY); absent: decide.ts's default. */
  consentCodesToNotify?: readonly string[];
  /**
   * Belvo's webhooks do not name the institution. When the operator has not registered the link,
   * asking Belvo for it lets messages and pages name the bank and speak its country's language.
   * Resolves null when Belvo cannot say; never rejects.
   */
  institutionOf: (linkId: string) => Promise<string | null>;
}

const KIND_OF: Partial<Record<Webhook['kind'], CaseKind>> = {
  invalid_credentials: 'credentials',
  token_required: 'mfa',
  consent: 'consent',
};

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

/** What the operator registered about the event's link, read once per event. */
interface LinkFacts {
  link: LinkRecord | undefined;
  /** From the registration, else from Belvo (institutionOf never throws). */
  institution: string | null;
}

async function linkFacts(deps: EventProcessorDeps, event: StoredEvent): Promise<LinkFacts> {
  const linkId = event.webhook.kind === 'payments' ? undefined : event.webhook.payload.link_id;
  if (!linkId) return { link: undefined, institution: null };
  const link = await findLink(deps.db, linkId);
  if (!KIND_OF[event.webhook.kind]) return { link, institution: null };
  return { link, institution: link?.institution ?? (await deps.institutionOf(linkId)) };
}

async function decideFor(trx: Knex.Transaction, event: StoredEvent, deps: EventProcessorDeps, facts: LinkFacts, now: number) {
  const { webhook } = event;
  if (webhook.kind === 'payments') return { decision: await decidePaymentEvent(trx, event, webhook.payload, deps, now), userId: null };
  const linkId = webhook.payload.link_id;
  if (!linkId) return { decision: { type: 'record_only', reason: 'no link' } as Decision, userId: null };
  const user = await findUserForWebhook(trx, webhook.payload.external_id, facts.link);
  const kind = KIND_OF[webhook.kind];
  // An active case holds its link's open_key, so the one for this kind is among the link's active cases.
  const linkCases = await findActiveCasesForLink(trx, linkId);
  const decision = decide(webhook, {
    receivedAt: event.receivedAt,
    now,
    cooldownMs: deps.cooldownMs,
    channelPolicy: deps.channelPolicy,
    ...(deps.consentCodesToNotify ? { consentCodesToNotify: deps.consentCodesToNotify } : {}),
    user,
    link: facts.link,
    institution: facts.institution,
    activeCase: kind ? linkCases.find((c) => c.kind === kind) : undefined,
    linkCases,
  });
  return { decision, userId: user?.id ?? null };
}

/** Payments webhooks name an object, not a link: no user, no case, only the object's record. */
async function decidePaymentEvent(
  trx: Knex.Transaction,
  event: StoredEvent,
  payload: PaymentsWebhook,
  deps: EventProcessorDeps,
  now: number,
): Promise<Decision> {
  const payment = await lockPayment(
    trx,
    { objectType: payload.webhook_type, objectId: payload.object_id, code: payload.webhook_code, webhookId: payload.webhook_id },
    now,
  );
  return decide(event.webhook, {
    receivedAt: event.receivedAt,
    now,
    cooldownMs: deps.cooldownMs,
    channelPolicy: deps.channelPolicy,
    user: undefined,
    link: undefined,
    institution: null,
    activeCase: undefined,
    linkCases: [],
    eventId: event.id,
    payment,
  });
}

async function applyDecision(
  trx: Knex.Transaction,
  policy: ChannelPolicy,
  decision: Decision,
  event: StoredEvent,
  userId: number | null,
  now: number,
): Promise<void> {
  const summary = eventSummary(event);
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
    case 'open': {
      const caseId = await insertCase(
        trx,
        {
          linkId: decision.linkId,
          kind: decision.kind,
          status: decision.status,
          userId,
          externalId: event.webhook.payload.external_id ?? null,
          institution: decision.institution,
          details: decision.details,
        },
        now,
      );
      await addTimeline(trx, caseId, 'event_received', now, summary);
      if (decision.status === 'unreachable') {
        await addTimeline(trx, caseId, 'user_unreachable', now, {
          reason: userId === null ? 'unknown_user' : 'no_contact',
        });
      }
      if (decision.notify) await notify(trx, policy, caseId, now);
      return;
    }
    case 'update': {
      if (decision.reopen) await transitionCase(trx, decision.caseId, ['unreachable'], 'open', now, { userId });
      await updateCase(trx, decision.caseId, { details: decision.details, institution: decision.institution }, now);
      await addTimeline(trx, decision.caseId, 'event_received', now, summary);
      if (decision.notify) await notify(trx, policy, decision.caseId, now);
    }
  }
}

async function notify(trx: Knex.Transaction, policy: ChannelPolicy, caseId: number, now: number): Promise<void> {
  await enqueueMessage(trx, { caseId, template: 'remediation', policy }, now);
  await updateCase(trx, caseId, { lastNotifiedAt: now }, now);
}

/** Processes a claimed event. Throws on failure; the caller decides about retrying. */
export async function processEvent(deps: EventProcessorDeps, eventId: number, owner: string, now: number): Promise<void> {
  const event = await loadEvent(deps.db, eventId);
  if (!event) return;
  // Outside the transaction: a slow Belvo must not hold the database.
  const facts = await linkFacts(deps, event);
  await deps.db.transaction(async (trx) => {
    const { decision, userId } = await decideFor(trx, event, deps, facts, now);
    await applyDecision(trx, deps.channelPolicy, decision, event, userId, now);
    if (event.webhook.kind === 'accounts') {
      await recordAccountsActivity(trx, accountsActivity(event.webhook.payload, event.receivedAt), now);
    }
    const finished = await finishClaim(trx, 'events', eventId, owner, { state: 'done' }, { processed_at: now });
    // Our lease ran out and another worker took the event: undo, and let that worker apply it.
    if (!finished) throw new LeaseLostError(eventId);
  });
}

export class LeaseLostError extends Error {
  constructor(eventId: number) {
    super(`lease on event ${eventId} was lost`);
    this.name = 'LeaseLostError';
  }
}
