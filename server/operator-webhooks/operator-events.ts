// The events Relink tells the operator's backend about (CONTRACT.md, "Outbound webhooks"), recorded
// in the transaction of the change that causes them: if the change commits, its event is in
// `webhook_deliveries` for the worker to deliver, even when the process dies straight after; if it
// rolls back, so does the event. This module only writes the table, so the repositories that own
// the changes (server/cases/, the storm guard, …) can call it without reaching up.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

/** A case as GET /api/cases/:id shows it, without its timeline. */
export interface CaseEventData {
  id: number;
  status: string;
  [field: string]: unknown;
}

export interface StormEventData {
  institution: string;
  /** The cases the storm guard counted (detected) or held messages for (released). */
  cases: number;
}

export type OperatorEvent =
  | { type: 'case.created'; data: CaseEventData }
  | { type: 'case.updated'; data: CaseEventData & { previous_status: string } }
  | { type: 'message.failed'; data: { case_id: number; channel: string; reason: string } }
  | { type: 'link.replaced'; data: { old_link_id: string; new_link_id: string; external_id: string | null } }
  | { type: 'storm.detected'; data: StormEventData }
  | { type: 'storm.released'; data: StormEventData };

export type OperatorEventType = OperatorEvent['type'];

export const OPERATOR_EVENT_TYPES: readonly OperatorEventType[] = [
  'case.created',
  'case.updated',
  'message.failed',
  'link.replaced',
  'storm.detected',
  'storm.released',
];

// Keyed by knex's client configuration, which a transaction shares with the database it came from,
// so that every writer learns whether webhooks are on from the handle it already holds.
const databasesWithWebhooks = new WeakSet<object>();

/** The composition roots call this when OPERATOR_WEBHOOK_URL is set; until then recording does nothing. */
export function enableOperatorEvents(db: Knex): void {
  databasesWithWebhooks.add(db.client.config as object);
}

function webhooksEnabled(db: Knex | Knex.Transaction): boolean {
  return databasesWithWebhooks.has(db.client.config as object);
}

/** Standard Webhooks ids are opaque strings; `msg_` marks ours as Svix's do. */
function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * Erasure: the deliveries that name the person stop naming them. The payload's `data.external_id`
 * becomes null and `scrub` rewrites the payload and what the endpoint answered; a delivery still to
 * go out goes so rewritten (its id unchanged, so an operator who had it already drops it).
 */
export async function anonymiseDeliveriesOf(trx: Knex.Transaction, externalId: string, scrub: (text: string) => string): Promise<void> {
  const rows = await trx('webhook_deliveries').where({ external_id: externalId }).select('id', 'payload', 'last_body');
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as { data: Record<string, unknown> };
    payload.data['external_id'] = null;
    await trx('webhook_deliveries')
      .where({ id: row.id })
      .update({ external_id: null, payload: scrub(JSON.stringify(payload)), last_body: row.last_body && scrub(row.last_body) });
  }
}

/**
 * Records `event` as having happened at `now`, for delivery. A transaction is required: the event
 * must commit or roll back with the change it reports.
 */
export async function recordOperatorEvent(trx: Knex.Transaction, event: OperatorEvent, now: number): Promise<void> {
  if (!webhooksEnabled(trx)) return;
  const externalId = (event.data as Record<string, unknown>)['external_id'];
  await trx('webhook_deliveries').insert({
    webhook_id: newWebhookId(),
    type: event.type,
    // The person the event names, for erasure (server/privacy/erase-user.ts).
    external_id: typeof externalId === 'string' ? externalId : null,
    payload: JSON.stringify({ type: event.type, timestamp: new Date(now).toISOString(), data: event.data }),
    created_at: now,
    state: 'pending',
    attempts: 0,
    available_at: now,
  });
}
