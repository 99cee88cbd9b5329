// Messages waiting to be sent. A row is written in the same transaction as the case change that
// calls for it, and the worker claims it from here (server/db/claim.ts), so a message is neither
// lost when a process dies nor sent by two processes. A row in state `failed` is a message that
// failed for good: the channels of those rows are the ones a case avoids. A row in state `held` is
// a first message the storm guard keeps back (server/storm/): never claimed, until a release makes
// it pending or its case expires.
import type { Knex } from 'knex';
import { z } from 'zod';
import { addTimeline, findCase } from '../cases/case-repository.ts';
import { ACTIVE_STATUSES } from '../cases/case-types.ts';
import { CHANNEL_NAMES, type ChannelName } from '../channels/channel.ts';
import { channelOrder, chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import type { OutboxTableRow } from '../db/tables.ts';
import { MESSAGE_TEMPLATES, type MessageTemplate } from '../messages/message-templates.ts';
import { findUserById, type UserRecord } from '../users/user-repository.ts';

type Db = Knex | Knex.Transaction;

const TEMPLATE = z.enum(MESSAGE_TEMPLATES);
const CHANNEL = z.enum(CHANNEL_NAMES);

export type OutboxRow = Omit<OutboxTableRow, 'template' | 'channel'> & { template: MessageTemplate; channel: ChannelName };

/** A row as the table holds it, its template and channel checked. */
export function outboxRow(row: OutboxTableRow): OutboxRow {
  return { ...row, template: TEMPLATE.parse(row.template), channel: CHANNEL.parse(row.channel) };
}

/**
 * What to send: by a given channel (an operator's choice, a fallback), or by the best channel for
 * the case's user under `policy`, skipping those that failed for good on this case.
 */
export type MessageRequest = {
  caseId: number;
  template: MessageTemplate;
  fallbackOf?: number;
  /** The storm guard keeps it back: written `held`, with why on the timeline. */
  heldBy?: { institution: string; reason: string };
} & (
  | { channel: ChannelName }
  /** `openedFor`: the case was opened in this transaction for this user, so nothing about it needs reading. */
  | { policy: ChannelPolicy; openedFor?: UserRecord }
);

/** Channels on which a message of this case failed for good. */
export async function failedChannels(db: Db, caseId: number): Promise<ChannelName[]> {
  const rows = await db('outbox').where({ case_id: caseId, state: 'failed' }).distinct('channel');
  return rows.map((row) => CHANNEL.parse(row.channel));
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

async function requestedChannel(db: Db, request: MessageRequest, now: number): Promise<ChannelName | undefined> {
  if ('channel' in request) return request.channel;
  // A case just opened has no failed messages yet.
  if (request.openedFor) return chooseChannel(request.openedFor, request.policy, []);
  return channelForCase(db, request.caseId, request.policy, now);
}

/** Queues a message; undefined when the case's user cannot be reached on any channel. */
export async function enqueueMessage(db: Db, request: MessageRequest, now: number): Promise<{ id: number; channel: ChannelName } | undefined> {
  const channel = await requestedChannel(db, request, now);
  if (!channel) return undefined;
  const [row] = await db('outbox')
    .insert({
      case_id: request.caseId,
      template: request.template,
      channel,
      fallback_of: request.fallbackOf ?? null,
      state: request.heldBy ? 'held' : 'pending',
      available_at: now,
      created_at: now,
    })
    .returning('id');
  await addTimeline(db, request.caseId, request.heldBy ? 'message_held' : 'message_queued', now, {
    message_id: row!.id,
    template: request.template,
    channel,
    ...(request.fallbackOf ? { fallback_of: request.fallbackOf } : {}),
    ...request.heldBy,
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

/** Cases among these with a message the storm guard holds. */
export async function casesWithHeldMessages(db: Db, caseIds: readonly number[]): Promise<Set<number>> {
  if (caseIds.length === 0) return new Set();
  const rows = await db('outbox').where('state', 'held').whereIn('case_id', [...new Set(caseIds)]).distinct('case_id');
  return new Set(rows.map((row) => row.case_id));
}

export interface HeldCount {
  institution: string;
  messages: number;
  cases: number;
}

/** How many messages and cases the storm guard holds, per institution. */
export async function countHeldMessages(db: Db, institutions: readonly string[]): Promise<Map<string, HeldCount>> {
  if (institutions.length === 0) return new Map();
  const rows = (await db('outbox')
    .join('cases', 'cases.id', 'outbox.case_id')
    .where('outbox.state', 'held')
    .whereIn('cases.institution', institutions)
    // A case that ended meanwhile holds nothing that matters: its message is skipped if ever released.
    .whereIn('cases.status', ACTIVE_STATUSES)
    .groupBy('cases.institution')
    .select('cases.institution')
    .count({ messages: '*' })
    .countDistinct({ cases: 'outbox.case_id' })) as Array<{ institution: string; messages: number | string; cases: number | string }>;
  return new Map(rows.map((r) => [r.institution, { institution: r.institution, messages: Number(r.messages), cases: Number(r.cases) }]));
}

/** Messages a release goes through at once. */
const RELEASE_BATCH = 500;

/**
 * The institution's held messages join the queue now; the rows that did, with their cases. Held
 * rows are read from outbox_held_index and their cases by primary key, a batch at a time: the work
 * stays linear however stale the planner's statistics are when a storm has just filled the table
 * (a join of the two was a quadratic nested loop on PostgreSQL then).
 */
export async function releaseHeldMessages(db: Db, institution: string, now: number): Promise<Array<{ id: number; case_id: number }>> {
  const held = await db('outbox').where('state', 'held').orderBy('id').select('id', 'case_id');
  const released: Array<{ id: number; case_id: number }> = [];
  for (let i = 0; i < held.length; i += RELEASE_BATCH) {
    const batch = held.slice(i, i + RELEASE_BATCH);
    const caseIds = [...new Set(batch.map((m) => m.case_id))];
    const ofInstitution = new Set((await db('cases').whereIn('id', caseIds).where({ institution }).select('id')).map((c) => c.id));
    const ids = batch.filter((m) => ofInstitution.has(m.case_id)).map((m) => m.id);
    if (ids.length === 0) continue;
    const rows = await db('outbox').whereIn('id', ids).where('state', 'held').update({ state: 'pending', available_at: now }).returning(['id', 'case_id']);
    released.push(...rows);
  }
  return released;
}

/** Held messages that have waited since `cutoff` or longer: at most `limit`, oldest first. */
export async function heldSince(db: Db, cutoff: number, limit: number): Promise<Array<{ id: number; case_id: number }>> {
  return db('outbox').where('state', 'held').where('created_at', '<=', cutoff).orderBy('created_at').limit(limit).select('id', 'case_id');
}

/** Held messages that will never go (their case expired, or the operator sent one instead); the ids of those that were still held. */
export async function dropHeldMessages(db: Db, match: { id: number } | { case_id: number }, reason: string): Promise<number[]> {
  const rows = await db('outbox').where(match).where('state', 'held').update({ state: 'done', last_error: reason }).returning('id');
  return rows.map((row) => row.id);
}
