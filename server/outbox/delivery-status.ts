// What happens when a message fails for good, whether the send was refused (outbox-sender.ts) or
// the carrier reported it undelivered later (Twilio's status callback, below): the case remembers
// the channel, and the message goes once by the user's other channel.
import type { Knex } from 'knex';
import { addTimeline, findCase } from '../cases/case-repository.ts';
import { ACTIONABLE_STATUSES } from '../cases/case-types.ts';
import type { ChannelName } from '../channels/channel.ts';
import { rememberFailedChannel } from '../reminders/reminder-repository.ts';
import { findUserById } from '../users/user-repository.ts';
import { chooseChannel, enqueueMessage, type OutboxRow } from './outbox-repository.ts';

export const FAILED_FOR_GOOD_STATUSES = new Set(['undelivered', 'failed']);

export interface DeliveryReport {
  providerId: string;
  status: string;
  errorCode?: string | undefined;
}

/** True when the message was queued again on the other channel. */
export async function messageFailedForGood(trx: Knex.Transaction, row: OutboxRow, now: number): Promise<boolean> {
  await rememberFailedChannel(trx, row.case_id, row.channel);
  if (row.fallback_of !== null) return false;
  if (await trx('outbox').where({ fallback_of: row.id }).first('id')) return false;
  const theCase = await findCase(trx, row.case_id);
  if (!theCase || theCase.userId === null || !ACTIONABLE_STATUSES.includes(theCase.status)) return false;
  const user = await findUserById(trx, theCase.userId);
  const other = user && chooseChannel(user, [row.channel]);
  if (!other) return false;
  await enqueueMessage(trx, { caseId: row.case_id, template: row.template, channel: other, fallbackOf: row.id }, now);
  return true;
}

/**
 * Records the status on the case timeline. True when it queued a message (the caller wakes the
 * worker); an unknown provider id is ignored, since the report may concern another system's message.
 */
export async function recordDeliveryStatus(db: Knex, channel: ChannelName, report: DeliveryReport, now: number): Promise<boolean> {
  const row = (await db('outbox').where({ provider_id: report.providerId, channel }).first()) as OutboxRow | undefined;
  if (!row) return false;
  return db.transaction(async (trx) => {
    await addTimeline(trx, row.case_id, 'message_status', now, {
      message_id: row.id,
      channel,
      status: report.status,
      ...(report.errorCode ? { error_code: report.errorCode } : {}),
    });
    if (!FAILED_FOR_GOOD_STATUSES.has(report.status)) return false;
    return messageFailedForGood(trx, row, now);
  });
}
