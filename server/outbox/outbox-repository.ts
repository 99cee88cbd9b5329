// Messages waiting to be sent. A row is written in the same transaction as the case change that
// calls for it, and the worker claims it from here (server/db/claim.ts), so a message is neither
// lost when a process dies nor sent by two processes. A row in state `failed` is a message that
// failed for good: the channels of those rows are the ones a case avoids.
import type { Knex } from 'knex';
import { addTimeline, findCase } from '../cases/case-repository.ts';
import type { ChannelName } from '../channels/channel.ts';
import { channelOrder, chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import type { MessageTemplate } from '../messages/message-templates.ts';
import { findUserById } from '../users/user-repository.ts';

type Db = Knex | Knex.Transaction;

export interface OutboxRow {
  id: number;
  case_id: number;
  template: MessageTemplate;
  channel: ChannelName;
  fallback_of: number | null;
  attempts: number;
  state: string;
}

/**
 * What to send: by a given channel (an operator's choice, a fallback), or by the best channel for
 * the case's user under `policy`, skipping those that failed for good on this case.
 */
export type MessageRequest = { caseId: number; template: MessageTemplate; fallbackOf?: number } & (
  | { channel: ChannelName }
  | { policy: ChannelPolicy }
);

/** Channels on which a message of this case failed for good. */
export async function failedChannels(db: Db, caseId: number): Promise<ChannelName[]> {
  const rows = (await db('outbox').where({ case_id: caseId, state: 'failed' }).distinct('channel')) as Array<{ channel: ChannelName }>;
  return rows.map((row) => row.channel);
}

/** The channel for a message of the case under `policy`; the timeline says when a failure moved it. */
async function channelForCase(db: Db, caseId: number, policy: ChannelPolicy, now: number): Promise<ChannelName | undefined> {
  const theCase = await findCase(db, caseId);
  const user = theCase?.userId == null ? undefined : await findUserById(db, theCase.userId);
  if (!user) return undefined;
  const failed = await failedChannels(db, caseId);
  const channel = chooseChannel(user, policy, failed);
  const usual = channelOrder(user, policy)[0];
  if (channel && usual && channel !== usual) {
    await addTimeline(db, caseId, 'channel_switched', now, { from: usual, to: channel, reason: 'failed_for_good' });
  }
  return channel;
}

/** Queues a message; undefined when the case's user cannot be reached on any channel. */
export async function enqueueMessage(db: Db, request: MessageRequest, now: number): Promise<{ id: number; channel: ChannelName } | undefined> {
  const channel = 'channel' in request ? request.channel : await channelForCase(db, request.caseId, request.policy, now);
  if (!channel) return undefined;
  const [row] = (await db('outbox')
    .insert({
      case_id: request.caseId,
      template: request.template,
      channel,
      fallback_of: request.fallbackOf ?? null,
      state: 'pending',
      available_at: now,
      created_at: now,
    })
    .returning('id')) as Array<{ id: number }>;
  await addTimeline(db, request.caseId, 'message_queued', now, {
    message_id: row!.id,
    template: request.template,
    channel,
    ...(request.fallbackOf ? { fallback_of: request.fallbackOf } : {}),
  });
  return { id: row!.id, channel };
}

/** A message the provider accepted and later reported undelivered: it failed for good after all. */
export async function markDeliveryFailed(db: Db, id: number, error: string): Promise<void> {
  await db('outbox').where({ id }).update({ state: 'failed', last_error: error.slice(0, 500) });
}

/** Messages of a case still waiting or being sent: a new request for the same case need not queue another. */
export async function hasPendingMessage(db: Db, caseId: number): Promise<boolean> {
  const row = await db('outbox').where({ case_id: caseId }).whereIn('state', ['pending', 'running']).first('id');
  return row !== undefined;
}

/** Every message of these cases, whatever its state: the cases are going (retention). */
export async function deleteMessagesOfCases(db: Db, caseIds: readonly number[]): Promise<void> {
  if (caseIds.length > 0) await db('outbox').whereIn('case_id', caseIds).delete();
}
