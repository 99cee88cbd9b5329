// Messages waiting to be sent. A row is written in the same transaction as the case change that
// calls for it, and the worker claims it from here (server/db/claim.ts), so a message is neither
// lost when a process dies nor sent by two processes.
import type { Knex } from 'knex';
import type { ChannelName } from '../channels/channel.ts';
import type { UserRecord } from '../users/user-repository.ts';
import { addTimeline } from '../cases/case-repository.ts';
import { findUserById } from '../users/user-repository.ts';

type Db = Knex | Knex.Transaction;

export const MESSAGE_TEMPLATES = ['remediation', 'new_link', 'reminder'] as const;
export type MessageTemplate = (typeof MESSAGE_TEMPLATES)[number];

export interface OutboxRow {
  id: number;
  case_id: number;
  template: MessageTemplate;
  channel: ChannelName;
  fallback_of: number | null;
  attempts: number;
  state: string;
}

export function contactFor(user: UserRecord, channel: ChannelName): string | null {
  return channel === 'email' ? user.email : user.phone;
}

/** The user's channels in order: their own choice first, then e-mail, then SMS, each only with a contact. */
export function channelPreference(user: UserRecord): ChannelName[] {
  const order = [...(user.channels ?? []), 'email', 'sms'] as ChannelName[];
  return [...new Set(order)].filter((channel) => contactFor(user, channel) !== null);
}

/**
 * The user's own `channels` is their first choice; a channel they did not list is used only as
 * the fallback when their choices fail for good (CONTRACT.md), hence `includeUnlisted`.
 */
export function chooseChannel(user: UserRecord, exclude: readonly ChannelName[] = []): ChannelName | undefined {
  return channelPreference(user).find((channel) => !exclude.includes(channel));
}

/**
 * A channel that failed for good on this case (cases.failed_channel) is skipped for the case's
 * later messages while the user has another one; the timeline says so.
 */
async function avoidFailedChannel(db: Db, caseId: number, channel: ChannelName, now: number): Promise<ChannelName> {
  const row = (await db('cases').where({ id: caseId }).first('failed_channel', 'user_id')) as
    | { failed_channel: string | null; user_id: number | null }
    | undefined;
  if (!row || row.failed_channel !== channel || row.user_id === null) return channel;
  const user = await findUserById(db, row.user_id);
  const other = user && chooseChannel(user, [channel]);
  if (!other) return channel;
  await addTimeline(db, caseId, 'channel_switched', now, { from: channel, to: other, reason: 'failed_for_good' });
  return other;
}

export async function enqueueMessage(
  db: Db,
  wanted: { caseId: number; template: MessageTemplate; channel: ChannelName; fallbackOf?: number },
  now: number,
): Promise<number> {
  const channel = wanted.fallbackOf ? wanted.channel : await avoidFailedChannel(db, wanted.caseId, wanted.channel, now);
  const message = { ...wanted, channel };
  const [row] = (await db('outbox')
    .insert({
      case_id: message.caseId,
      template: message.template,
      channel: message.channel,
      fallback_of: message.fallbackOf ?? null,
      state: 'pending',
      available_at: now,
      created_at: now,
    })
    .returning('id')) as Array<{ id: number }>;
  await addTimeline(db, message.caseId, 'message_queued', now, {
    message_id: row!.id,
    template: message.template,
    channel: message.channel,
    ...(message.fallbackOf ? { fallback_of: message.fallbackOf } : {}),
  });
  return row!.id;
}

export async function findOutboxRow(db: Db, id: number): Promise<OutboxRow | undefined> {
  return (await db('outbox').where({ id }).first()) as OutboxRow | undefined;
}

/** Messages of a case still waiting or being sent: a new request for the same case need not queue another. */
export async function hasPendingMessage(db: Db, caseId: number): Promise<boolean> {
  const row = await db('outbox').where({ case_id: caseId }).whereIn('state', ['pending', 'running']).first('id');
  return row !== undefined;
}
