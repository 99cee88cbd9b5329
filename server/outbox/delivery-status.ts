// What happens when a message fails for good, whether the send was refused (outbox-sender.ts) or
// the provider reported it undelivered later (Twilio's status callback, below): the message goes
// by the next channel of the user that has not failed for good on this case, once per failure,
// so a chain WhatsApp → SMS → e-mail ends when every channel has been tried.
import type { Knex } from 'knex';
import { addTimeline, findCase } from '../cases/case-repository.ts';
import { ACTIONABLE_STATUSES } from '../cases/case-types.ts';
import { chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import { twilioErrorReason } from '../channels/twilio-client.ts';
import { recordOperatorEvent } from '../operator-webhooks/operator-events.ts';
import { findUserById } from '../users/user-repository.ts';
import { enqueueMessage, failedChannels, markDeliveryFailed, outboxRow, type OutboxRow } from './outbox-repository.ts';

/** Twilio's final statuses of a message that never reached the person. */
export const FAILED_FOR_GOOD_STATUSES = new Set(['undelivered', 'failed']);

export interface DeliveryReport {
  providerId: string;
  status: string;
  errorCode?: string | undefined;
}

/**
 * `row` is already marked failed, for `reason` (a provider's code, never the message or its
 * address). Tells the operator's backend (message.failed). True when the message was queued again
 * on another channel.
 */
export async function messageFailedForGood(
  trx: Knex.Transaction,
  policy: ChannelPolicy,
  row: OutboxRow,
  reason: string,
  now: number,
): Promise<boolean> {
  if (await trx('outbox').where({ fallback_of: row.id }).first('id')) return false;
  await recordOperatorEvent(trx, { type: 'message.failed', data: { case_id: row.case_id, channel: row.channel, reason } }, now);
  const theCase = await findCase(trx, row.case_id);
  if (!theCase || theCase.userId === null || !ACTIONABLE_STATUSES.includes(theCase.status)) return false;
  const user = await findUserById(trx, theCase.userId);
  const next = user && chooseChannel(user, policy, [...(await failedChannels(trx, row.case_id)), row.channel], 'fallback');
  if (!next) return false;
  await enqueueMessage(trx, { caseId: row.case_id, template: row.template, channel: next, fallbackOf: row.id }, now);
  return true;
}

/**
 * Records the status on the case timeline (sent, delivered, read, undelivered, failed). True when
 * it queued a message (the caller wakes the worker); an unknown provider id is ignored, since the
 * report may concern another system's message.
 */
export async function recordDeliveryStatus(db: Knex, policy: ChannelPolicy, report: DeliveryReport, now: number): Promise<boolean> {
  const stored = await db('outbox').where({ provider_id: report.providerId }).first();
  if (!stored) return false;
  const row = outboxRow(stored);
  const reason = twilioErrorReason(report.errorCode);
  return db.transaction(async (trx) => {
    await addTimeline(trx, row.case_id, 'message_status', now, {
      message_id: row.id,
      channel: row.channel,
      status: report.status,
      ...(report.errorCode ? { error_code: report.errorCode } : {}),
      ...(reason ? { reason } : {}),
    });
    if (!FAILED_FOR_GOOD_STATUSES.has(report.status)) return false;
    const failure = `${report.status}${report.errorCode ? ` ${report.errorCode}` : ''}`;
    await markDeliveryFailed(trx, row.id, failure);
    return messageFailedForGood(trx, policy, row, failure, now);
  });
}
