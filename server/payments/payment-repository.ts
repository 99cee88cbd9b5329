// Payment objects as Belvo's payments webhooks describe them, one row per type and object_id.
import type { Knex } from 'knex';
import { isSqlite } from '../db/database.ts';
import type { PaymentRow } from '../db/tables.ts';
import type { PaymentDecision, PaymentRecord } from './payment-decision.ts';


function toRecord(row: PaymentRow): PaymentRecord {
  return {
    objectType: row.object_type,
    objectId: row.object_id,
    lastCode: row.last_code,
    lastWebhookId: row.last_webhook_id,
    events: row.events,
    status: row.status,
    failureCode: row.failure_code,
    failureMessage: row.failure_message,
    statusEventId: row.status_event_id,
    statusAt: row.status_at,
    firstSeenAt: row.first_seen_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The object's record, locked until the transaction ends, so that two workers applying two events of
 * one payment intent take turns and the ordering rule sees what the other one wrote.
 */
export async function lockPayment(
  trx: Knex.Transaction,
  key: { objectType: string; objectId: string; code: string; webhookId: string },
  now: number,
): Promise<PaymentRecord | undefined> {
  await trx('payments')
    .insert({
      object_type: key.objectType,
      object_id: key.objectId,
      last_code: key.code,
      last_webhook_id: key.webhookId,
      events: 0,
      first_seen_at: now,
      updated_at: now,
    })
    .onConflict(['object_type', 'object_id'])
    .ignore();
  const query = trx('payments').where({ object_type: key.objectType, object_id: key.objectId }).first();
  if (!isSqlite(trx)) query.forUpdate();
  const row = await query;
  // A row made just now by the insert above has seen no event yet.
  return row && row.events > 0 ? toRecord(row) : undefined;
}

export async function applyPaymentDecision(trx: Knex.Transaction, decision: PaymentDecision, now: number): Promise<void> {
  const { status } = decision;
  await trx('payments')
    .where({ object_type: decision.objectType, object_id: decision.objectId })
    .update({
      last_code: decision.code,
      last_webhook_id: decision.webhookId,
      events: trx.raw('events + 1'),
      updated_at: now,
      ...(status
        ? {
            status: status.status,
            failure_code: status.failureCode,
            failure_message: status.failureMessage,
            status_event_id: status.eventId,
            status_at: status.at,
          }
        : {}),
    });
}

export async function listPaymentsForObject(db: Knex, objectId: string): Promise<PaymentRecord[]> {
  const rows = await db('payments').where({ object_id: objectId }).orderBy('object_type');
  return rows.map(toRecord);
}
