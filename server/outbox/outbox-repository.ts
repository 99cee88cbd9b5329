// Messages waiting to be sent. A row is written in the same transaction as the case change that
// calls for it, and the worker claims it from here (server/db/claim.ts), so a message is neither
// lost when a process dies nor sent by two processes.
import type { Knex } from 'knex';
import type { ChannelName } from '../channels/channel.ts';
import type { UserRecord } from '../users/user-repository.ts';
import { addTimeline } from '../cases/case-repository.ts';

type Db = Knex | Knex.Transaction;

export const MESSAGE_TEMPLATES = ['remediation', 'new_link'] as const;
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

export async function enqueueMessage(
  db: Db,
  message: { caseId: number; template: MessageTemplate; channel: ChannelName; fallbackOf?: number },
  now: number,
): Promise<number> {
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
