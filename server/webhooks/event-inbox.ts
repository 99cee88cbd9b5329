// The inbox of Belvo events: the webhook route writes here and answers; the worker reads from here.
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/database.ts';
import type { Webhook } from './webhook-schemas.ts';

type Db = Knex | Knex.Transaction;

export interface StoredEvent {
  id: number;
  webhookId: string;
  webhook: Webhook;
  receivedAt: number;
  attempts: number;
}

/** Records an event once. False when its webhook_id was seen before (Belvo retries, or sends twice). */
export async function recordEvent(db: Db, webhook: Webhook, now: number): Promise<boolean> {
  const p = webhook.payload;
  try {
    await db('events').insert({
      webhook_id: p.webhook_id,
      webhook_type: p.webhook_type,
      webhook_code: p.webhook_code,
      link_id: p.link_id ?? null,
      object_id: p.object_id ?? null,
      payload: JSON.stringify({ kind: webhook.kind, payload: p }),
      received_at: now,
      available_at: now,
    });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function loadEvent(db: Db, id: number): Promise<StoredEvent | undefined> {
  const row = (await db('events').where({ id }).first()) as
    | { id: number; webhook_id: string; payload: string; received_at: number; attempts: number }
    | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    webhookId: row.webhook_id,
    webhook: JSON.parse(row.payload) as Webhook,
    receivedAt: row.received_at,
    attempts: row.attempts,
  };
}
