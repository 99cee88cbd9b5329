// The inbox of Belvo events: the webhook route writes here and answers; the worker reads from here.
// A row keeps the body exactly as Belvo sent it (what was received is the record, and fields Belvo
// adds later are not lost), and the worker reads it back through the same schemas as the intake, so
// a row written by an older version is understood the way the current one understands webhooks.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { AgedRows } from '../db/oldest-rows.ts';
import type { EventTableRow } from '../db/tables.ts';
import { parseWebhook, type Webhook } from '../belvo/belvo-webhooks.ts';

export interface StoredEvent {
  id: number;
  webhookId: string;
  webhook: Webhook;
  receivedAt: number;
  attempts: number;
}

/** The most rows one INSERT carries: far below SQLite's and PostgreSQL's bound-parameter limits. */
const MAX_BATCH = 500;

export interface EventInbox {
  /**
   * Records an event once: `body` as received, `webhook` what parseWebhook read in it. False when its
   * webhook_id was seen before (Belvo retries, or sends twice).
   */
  record(webhook: Webhook, body: unknown, now: number): Promise<boolean>;
}

interface PendingEvent {
  row: EventRow;
  resolve(recorded: boolean): void;
  reject(err: unknown): void;
}

type EventRow = ReturnType<typeof eventRow>;

function eventRow(webhook: Webhook, body: unknown, now: number) {
  const p = webhook.payload;
  return {
    webhook_id: p.webhook_id,
    webhook_type: p.webhook_type,
    // As the portal reads it: one spelling of each consent code (the body keeps Belvo's own).
    webhook_code: p.webhook_code,
    link_id: p.link_id ?? null,
    object_id: p.object_id ?? null,
    // `kind` is for a person reading the table; the worker reads the kind again from the body.
    payload: JSON.stringify({ kind: webhook.kind, payload: body }),
    received_at: now,
    available_at: now,
  };
}

/** The webhook_ids this INSERT added; one already in the table (or earlier in `rows`) is skipped. */
async function insertNew(db: Knex, rows: EventRow[]): Promise<Set<string>> {
  const added = await db('events').insert(rows).onConflict('webhook_id').ignore().returning('webhook_id');
  return new Set(added.map((row) => row.webhook_id));
}

async function insertBatch(db: Knex, batch: PendingEvent[]): Promise<void> {
  let added: Set<string>;
  try {
    added = await insertNew(db, batch.map((event) => event.row));
  } catch (err) {
    if (batch.length === 1) return batch[0]!.reject(err);
    // One row the database refuses must fail its own request only, not the others sent with it.
    for (const event of batch) await insertBatch(db, [event]);
    return;
  }
  // Two copies of one webhook in a batch: the first is the one recorded, the second a duplicate.
  for (const event of batch) event.resolve(added.delete(event.row.webhook_id));
}

/**
 * Webhooks that arrive together are written together: whatever the route records during one turn of
 * the event loop goes into the events table in one INSERT, so under load one statement and one
 * commit serve many requests, while a lone webhook is written straight away. Each caller still gets
 * its answer only once its row is committed.
 */
export function createEventInbox(db: Knex): EventInbox {
  let pending: PendingEvent[] = [];

  function flush(): void {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    void insertBatch(db, batch);
  }

  return {
    record(webhook, body, now) {
      return new Promise((resolve, reject) => {
        pending.push({ row: eventRow(webhook, body, now), resolve, reject });
        if (pending.length === 1) setImmediate(flush);
        else if (pending.length >= MAX_BATCH) flush();
      });
    },
  };
}

/** What the payload column holds: the body as received, beside its kind (see eventRow). */
const STORED_PAYLOAD = z.object({ payload: z.unknown() });

export function toStoredEvent(row: Pick<EventTableRow, 'id' | 'webhook_id' | 'payload' | 'received_at' | 'attempts'>): StoredEvent {
  const stored = STORED_PAYLOAD.parse(JSON.parse(row.payload));
  const parsed = parseWebhook(stored.payload);
  // Only a row edited by hand can fail here: the event then fails, and its error names the field.
  if (!parsed.ok) throw new Error(`stored event ${row.id} no longer parses: ${parsed.field}: ${parsed.message}`);
  return {
    id: row.id,
    webhookId: row.webhook_id,
    webhook: parsed.webhook,
    receivedAt: row.received_at,
    attempts: row.attempts,
  };
}

/** Handled events, by when they arrived (retention): the partial index events_retention_index serves exactly this. */
export const HANDLED_EVENTS: AgedRows = {
  table: 'events',
  column: 'received_at',
  // The same words as the index's predicate: SQLite uses a partial index only for a literal match.
  where: (query) => query.whereRaw("state in ('done', 'failed')"),
};
