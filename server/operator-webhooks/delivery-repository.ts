// The `webhook_deliveries` table after recording (operator-events.ts): what each attempt got back,
// the operator's list of deliveries, and replay.
import type { Knex } from 'knex';
import { finishClaim } from '../db/claim.ts';
import type { AgedRows } from '../db/oldest-rows.ts';
import type { WebhookDeliveryRow, WorkState } from '../db/tables.ts';
import { nextAttempt, type RetryPolicy } from '../jobs/retry.ts';
import type { AttemptResult } from './webhook-post.ts';

type Db = Knex | Knex.Transaction;

/**
 * Exponential backoff with jitter (worker/retry-policy.ts): the first retry within 10 s, the second
 * within 20 s of it, doubling up to 8 hours apart; the 18th attempt fails for good, at least 25
 * hours after the event (and at most about twice that).
 */
export const WEBHOOK_RETRY_POLICY: RetryPolicy = { maxAttempts: 18, baseDelayMs: 10_000, maxDelayMs: 8 * 3_600_000 };

export type AttemptEnd = { state: 'done' } | { state: 'pending'; retryAt: number } | { state: 'failed' };

/** Ends a claimed delivery with what its attempt got back. */
export async function recordAttempt(
  db: Db,
  row: WebhookDeliveryRow,
  owner: string,
  result: AttemptResult,
  now: number,
  options: { retry: RetryPolicy; random?: (() => number) | undefined },
): Promise<AttemptEnd> {
  const answer = { last_status: result.status, last_body: result.body, last_attempt_at: now };
  if (result.ok) {
    await finishClaim(db, 'webhook_deliveries', row.id, owner, { state: 'done' }, { ...answer, last_error: null, delivered_at: now });
    return { state: 'done' };
  }
  const next = nextAttempt(options.retry, { attempts: row.attempts, permanent: false }, now, options.random);
  const outcome = next.state === 'pending' ? { ...next, error: result.error } : { state: next.state, error: result.error };
  await finishClaim(db, 'webhook_deliveries', row.id, owner, outcome, answer);
  return next;
}

/** Deliveries that ended, by the age of their event, for retention (server/privacy/). */
export const FINISHED_DELIVERIES: AgedRows = {
  table: 'webhook_deliveries',
  column: 'created_at',
  // The same words as the index's predicate: SQLite uses a partial index only for a literal match.
  where: (query) => query.whereRaw("state in ('done', 'failed')"),
};

export interface DeliveryPage {
  state?: WorkState;
  limit: number;
  /** Deliveries with an id below this one: keyset pagination, newest first. */
  before?: number;
}

export async function listDeliveries(db: Db, page: DeliveryPage): Promise<WebhookDeliveryRow[]> {
  const query = db('webhook_deliveries').orderBy('id', 'desc').limit(page.limit);
  if (page.state) query.where('state', page.state);
  if (page.before) query.where('id', '<', page.before);
  return query;
}

export async function findDelivery(db: Db, id: number): Promise<WebhookDeliveryRow | undefined> {
  return db('webhook_deliveries').where({ id }).first();
}

/**
 * Queues a delivery again now, with its id and body unchanged and a fresh round of retries. One
 * being attempted right now is left alone (its attempt decides). Undefined when there is no such delivery.
 */
export async function replayDelivery(db: Knex, id: number, now: number): Promise<WebhookDeliveryRow | undefined> {
  await db('webhook_deliveries')
    .where({ id })
    .whereNot('state', 'running')
    .update({ state: 'pending', available_at: now, attempts: 0, lease_until: null, lease_owner: null });
  return findDelivery(db, id);
}
