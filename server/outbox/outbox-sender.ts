// Sends a batch of claimed outbox messages and records what happened on their cases' timelines. The
// batch's cases, users, links and reminder states are read in one query each; the messages are
// sent side by side (each within its channel's send-rate limit), outside any transaction; then one
// transaction records every outcome (or, if one cannot be recorded, a transaction each, so that one
// does not undo the others).
import type { Knex } from 'knex';
import type { Channel, ChannelName, RenderedMessage } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel.ts';
import type { Clock } from '../clock.ts';
import { addTimeline, addTimelineEntries, findCases, transitionCase } from '../cases/case-repository.ts';
import { readReminderStates, saveReminderPlan, type ReminderState } from '../cases/case-reminders.ts';
import { isClosed, type CaseRecord } from '../cases/case-types.ts';
import { institutionName } from '../cases/institution-name.ts';
import { afterCommit } from '../db/after-commit.ts';
import { finishClaim, finishClaimsDone } from '../db/claim.ts';
import { resolveLocale } from '../i18n/locale.ts';
import { jobLogger, type Logger } from '../logger.ts';
import type { MessageContext } from '../messages/render-message.ts';
import { countMessage } from '../metrics/samples.ts';
import type { LinkSigner } from '../cases/signed-link.ts';
import { firstMessagePlan, plannedExpiry } from '../reminders/reminder-repository.ts';
import type { ReminderConfig } from '../reminders/reminder-schedule.ts';
import { findLinks, findUsersByIds, type LinkRecord, type UserRecord } from '../users/user-repository.ts';
import { contactFor, type ChannelPolicy } from '../channels/channel-choice.ts';
import type { OutboxRow } from './outbox-repository.ts';
import { messageFailedForGood } from './delivery-status.ts';
import { retryOrFail, type RetryPolicy } from '../jobs/retry.ts';
import type { SendRateLimiter } from './send-rate.ts';

export interface OutboxSenderDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  channels: Record<ChannelName, Channel>;
  /** CHANNEL_ORDER and the channels set up: where a message goes when its channel fails for good. */
  channelPolicy: ChannelPolicy;
  render: (channel: ChannelName, to: string, ctx: MessageContext) => Promise<RenderedMessage>;
  signer: LinkSigner;
  publicUrl: string;
  /** The shortest life of a link; a link lives until its case expires when that is later. */
  linkTtlMs: number;
  reminders: ReminderConfig;
  retry: RetryPolicy;
  random?: () => number;
  /** The channels' send-rate limits, shared through the database. */
  sendRate: SendRateLimiter;
  /** The longest a claimed message waits for its turn before it goes back to the queue (well inside its lease). */
  maxRateWaitMs: number;
}

type Failure = { code: string; permanent: boolean; reason?: string | undefined };

function failureOf(err: unknown): Failure {
  if (err instanceof ChannelError) return { code: err.code, permanent: err.permanent, reason: err.reason };
  return { code: 'internal_error', permanent: false };
}

/** What the batch's messages need to be written, read once for the whole batch. */
interface BatchContext {
  cases: Map<number, CaseRecord>;
  users: Map<number, UserRecord>;
  links: Map<string, LinkRecord>;
  reminders: Map<number, ReminderState>;
}

async function loadContext(db: Knex, rows: readonly OutboxRow[]): Promise<BatchContext> {
  const caseIds = rows.map((row) => row.case_id);
  const cases = await findCases(db, caseIds);
  const found = [...cases.values()];
  const [users, links, reminders] = await Promise.all([
    findUsersByIds(db, found.flatMap((c) => (c.userId === null ? [] : [c.userId]))),
    findLinks(db, found.map((c) => c.linkId)),
    readReminderStates(db, caseIds),
  ]);
  return { cases, users, links, reminders };
}

/**
 * A link works until its case expires, so links in earlier messages keep working while the case
 * waits on the user. A first message (re)starts the schedule, so its expiry is the one it sets.
 */
function linkExpiry(deps: OutboxSenderDeps, row: OutboxRow, theCase: CaseRecord, user: UserRecord, stored: ReminderState | undefined): number {
  const now = deps.clock.now();
  const planned = row.template === 'remediation' ? (plannedExpiry(theCase, user, now, deps.reminders) ?? 0) : 0;
  return Math.max(now + deps.linkTtlMs, stored?.expiresAt ?? 0, planned);
}

function messageContext(deps: OutboxSenderDeps, row: OutboxRow, theCase: CaseRecord, user: UserRecord, ctx: BatchContext): MessageContext {
  const link = ctx.links.get(theCase.linkId);
  const token = deps.signer.sign(theCase.id, linkExpiry(deps, row, theCase, user, ctx.reminders.get(theCase.id)));
  const consent = theCase.details.consent;
  return {
    template: row.template,
    caseKind: theCase.kind,
    webhookCode: consent?.webhookCode ?? theCase.details.errorCode,
    locale: resolveLocale({ userLocale: user.locale, institution: theCase.institution }),
    portalUrl: `${deps.publicUrl}/r/${token}`,
    userName: user.name,
    institutionName: institutionName(theCase, link),
    consentDueDate: consent?.dueDate ?? null,
  };
}

/** What became of one message; recorded once the whole batch has been tried. */
type Outcome =
  | { type: 'sent'; at: number; providerId: string; theCase: CaseRecord; user: UserRecord }
  | { type: 'failed'; at: number; failure: Failure }
  | { type: 'skipped'; at: number; reason: string }
  /** The send-rate limit leaves no turn soon enough: back in the queue, not counted as a try. */
  | { type: 'waiting'; at: number; waitMs: number };

async function attempt(deps: OutboxSenderDeps, row: OutboxRow, ctx: BatchContext): Promise<Outcome | undefined> {
  const theCase = ctx.cases.get(row.case_id);
  if (!theCase) return undefined;
  if (isClosed(theCase.status)) return { type: 'skipped', at: deps.clock.now(), reason: `case ${theCase.status}` };
  const user = theCase.userId === null ? undefined : ctx.users.get(theCase.userId);
  const to = user && contactFor(user, row.channel);
  if (!user || !to) return { type: 'failed', at: deps.clock.now(), failure: { code: 'no_contact', permanent: true } };
  try {
    const message = await deps.render(row.channel, to, messageContext(deps, row, theCase, user, ctx));
    const turn = await deps.sendRate.acquire(row.channel, deps.maxRateWaitMs);
    if (!turn.slot) return { type: 'waiting', at: deps.clock.now(), waitMs: turn.waitMs };
    const { providerId } = await deps.channels[row.channel].send(message).finally(turn.slot.release);
    return { type: 'sent', at: deps.clock.now(), providerId, theCase, user };
  } catch (err) {
    if (!(err instanceof ChannelError)) jobLogger(deps.logger, 'message', row.id).error('message could not be sent', { message_id: row.id, err });
    return { type: 'failed', at: deps.clock.now(), failure: failureOf(err) };
  }
}

type Sent = Extract<Outcome, { type: 'sent' }>;

/**
 * Records the batch's sent messages: their rows finished in one update and their timeline entries
 * in one insert; then each case, notified if it was open, its reminders started by a first message.
 */
async function recordSent(trx: Knex.Transaction, deps: OutboxSenderDeps, owner: string, sent: ReadonlyArray<{ row: OutboxRow; outcome: Sent }>): Promise<void> {
  if (sent.length === 0) return;
  const finished = await finishClaimsDone(trx, 'outbox', owner, {
    provider_id: { values: new Map(sent.map(({ row, outcome }) => [row.id, outcome.providerId])), type: 'text' },
    sent_at: { values: new Map(sent.map(({ row, outcome }) => [row.id, outcome.at])), type: 'bigint' },
  });
  await addTimelineEntries(
    trx,
    sent.map(({ row, outcome }) => ({ caseId: row.case_id, type: 'message_sent', at: outcome.at, detail: { message_id: row.id, channel: row.channel, provider_id: outcome.providerId } })),
  );
  for (const { row, outcome } of sent) {
    if (!finished.has(row.id)) jobLogger(deps.logger, 'message', row.id).warn('message sent after its lease ran out; it may be sent twice', { message_id: row.id });
    afterCommit(trx, () => countMessage(row.channel, 'sent'));
    const plan = row.template === 'remediation' ? firstMessagePlan(outcome.theCase, outcome.user, outcome.at, deps.reminders) : undefined;
    // An open case is notified and its reminders start in one update; one already notified (a
    // message sent again) only has its reminders start over.
    const notified = await transitionCase(trx, row.case_id, ['open'], 'notified', outcome.at, plan ? { reminderPlan: plan } : {});
    if (plan && !notified) await saveReminderPlan(trx, row.case_id, plan);
  }
}

async function recordFailure(trx: Knex.Transaction, deps: OutboxSenderDeps, row: OutboxRow, owner: string, failure: Failure, now: number): Promise<void> {
  const detail = {
    message_id: row.id,
    channel: row.channel,
    code: failure.code,
    ...(failure.reason ? { reason: failure.reason } : {}),
    attempt: row.attempts,
  };
  const job = { table: 'outbox' as const, id: row.id, owner, attempts: row.attempts };
  const end = await retryOrFail(trx, job, { error: failure.code, permanent: failure.permanent }, deps.retry, now, { random: deps.random });
  if (end.state === 'pending') {
    await addTimeline(trx, row.case_id, 'message_retry', now, { ...detail, retry_at: end.retryAt });
    afterCommit(trx, () => countMessage(row.channel, 'retried'));
    return;
  }
  afterCommit(trx, () => countMessage(row.channel, 'failed'));
  await addTimeline(trx, row.case_id, 'message_failed', now, { ...detail, permanent: failure.permanent });
  if (await messageFailedForGood(trx, deps.channelPolicy, row, failure.code, now)) return;
  if (await transitionCase(trx, row.case_id, ['open'], 'unreachable', now)) {
    await addTimeline(trx, row.case_id, 'user_unreachable', now, { reason: 'delivery_failed' });
  }
}

async function recordUnsent(trx: Knex.Transaction, deps: OutboxSenderDeps, row: OutboxRow, owner: string, outcome: Exclude<Outcome, Sent>): Promise<void> {
  switch (outcome.type) {
    case 'failed':
      return recordFailure(trx, deps, row, owner, outcome.failure, outcome.at);
    case 'skipped':
      await finishClaim(trx, 'outbox', row.id, owner, { state: 'done' });
      await addTimeline(trx, row.case_id, 'message_skipped', outcome.at, { message_id: row.id, reason: outcome.reason });
      return;
    case 'waiting': {
      const retryAt = outcome.at + outcome.waitMs;
      await finishClaim(trx, 'outbox', row.id, owner, { state: 'pending', retryAt, error: 'waiting for the send-rate limit' }, { attempts: row.attempts - 1 });
    }
  }
}

type Result = { row: OutboxRow; outcome: Outcome };

/**
 * Sent messages first, with their timeline entries in one insert (they went out side by side, so
 * no order among a batch's outcomes is lost), then the others, which may queue a message in turn.
 */
async function record(trx: Knex.Transaction, deps: OutboxSenderDeps, owner: string, results: readonly Result[]): Promise<void> {
  await recordSent(trx, deps, owner, results.filter((result): result is { row: OutboxRow; outcome: Sent } => result.outcome.type === 'sent'));
  for (const { row, outcome } of results) if (outcome.type !== 'sent') await recordUnsent(trx, deps, row, owner, outcome);
}

export async function sendClaimedMessages(deps: OutboxSenderDeps, rows: readonly OutboxRow[], owner: string): Promise<void> {
  if (rows.length === 0) return;
  const ctx = await loadContext(deps.db, rows);
  const outcomes = await Promise.all(rows.map((row) => attempt(deps, row, ctx)));
  const results = rows.flatMap((row, i) => (outcomes[i] ? [{ row, outcome: outcomes[i] }] : []));
  try {
    await deps.db.transaction((trx) => record(trx, deps, owner, results));
  } catch {
    // One outcome could not be recorded, and took the others with it: record each on its own, so
    // only that one is lost (left running, it is tried again once its lease runs out).
    for (const result of results) {
      const { row, outcome } = result;
      await deps.db
        .transaction((trx) => record(trx, deps, owner, [result]))
        .catch((err: unknown) => jobLogger(deps.logger, 'message', row.id).error('could not record what became of a message', { message_id: row.id, outcome: outcome.type, err }));
    }
  }
}
