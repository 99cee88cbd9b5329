// Sends one claimed outbox message and records what happened on the case timeline. Sending happens
// outside any transaction; only the bookkeeping after it is transactional.
import type { Knex } from 'knex';
import type { Channel, ChannelName, RenderedMessage } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel.ts';
import type { Clock } from '../clock.ts';
import { addTimeline, findCase, transitionCase } from '../cases/case-repository.ts';
import { readReminderState } from '../cases/case-reminders.ts';
import { isClosed, type CaseRecord } from '../cases/case-types.ts';
import { institutionName } from '../cases/institution-name.ts';
import { finishClaim } from '../db/claim.ts';
import { resolveLocale } from '../i18n/locale.ts';
import type { Logger } from '../logger.ts';
import type { MessageContext } from '../messages/render-message.ts';
import type { LinkSigner } from '../portal/signed-link.ts';
import { plannedExpiry, startReminders } from '../reminders/reminder-repository.ts';
import type { ReminderConfig } from '../reminders/reminder-schedule.ts';
import { findLink, findUserById, type UserRecord } from '../users/user-repository.ts';
import { contactFor, type ChannelPolicy } from '../channels/channel-choice.ts';
import type { OutboxRow } from './outbox-repository.ts';
import { messageFailedForGood } from './delivery-status.ts';
import { nextAttempt, type RetryPolicy } from '../worker/retry-policy.ts';
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

/**
 * A link works until its case expires, so links in earlier messages keep working while the case
 * waits on the user. A first message (re)starts the schedule, so its expiry is the one it sets.
 */
async function linkExpiry(deps: OutboxSenderDeps, row: OutboxRow, theCase: CaseRecord, user: UserRecord): Promise<number> {
  const now = deps.clock.now();
  const stored = (await readReminderState(deps.db, theCase.id))?.expiresAt ?? 0;
  const planned = row.template === 'remediation' ? (plannedExpiry(theCase, user, now, deps.reminders) ?? 0) : 0;
  return Math.max(now + deps.linkTtlMs, stored, planned);
}

async function messageContext(
  deps: OutboxSenderDeps,
  row: OutboxRow,
  theCase: CaseRecord,
  user: UserRecord,
): Promise<MessageContext> {
  const link = await findLink(deps.db, theCase.linkId);
  const token = deps.signer.sign(theCase.id, await linkExpiry(deps, row, theCase, user));
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

async function recordSent(
  deps: OutboxSenderDeps,
  row: OutboxRow,
  owner: string,
  sent: { providerId: string; theCase: CaseRecord; user: UserRecord },
): Promise<void> {
  const { providerId } = sent;
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    const finished = await finishClaim(trx, 'outbox', row.id, owner, { state: 'done' }, { provider_id: providerId, sent_at: now });
    if (!finished) deps.logger.warn('message sent after its lease ran out; it may be sent twice', { message_id: row.id });
    await addTimeline(trx, row.case_id, 'message_sent', now, { message_id: row.id, channel: row.channel, provider_id: providerId });
    await transitionCase(trx, row.case_id, ['open'], 'notified', now);
    if (row.template === 'remediation') await startReminders(trx, sent.theCase, sent.user, now, deps.reminders);
  });
}

async function recordFailure(deps: OutboxSenderDeps, row: OutboxRow, owner: string, failure: Failure): Promise<void> {
  const now = deps.clock.now();
  const detail = {
    message_id: row.id,
    channel: row.channel,
    code: failure.code,
    ...(failure.reason ? { reason: failure.reason } : {}),
    attempt: row.attempts,
  };
  const next = nextAttempt(deps.retry, { attempts: row.attempts, permanent: failure.permanent }, now, deps.random);
  if (next.state === 'pending') {
    const { retryAt } = next;
    await deps.db.transaction(async (trx) => {
      await finishClaim(trx, 'outbox', row.id, owner, { state: 'pending', retryAt, error: failure.code });
      await addTimeline(trx, row.case_id, 'message_retry', now, { ...detail, retry_at: retryAt });
    });
    return;
  }
  await deps.db.transaction(async (trx) => {
    await finishClaim(trx, 'outbox', row.id, owner, { state: 'failed', error: failure.code });
    await addTimeline(trx, row.case_id, 'message_failed', now, { ...detail, permanent: failure.permanent });
    if (await messageFailedForGood(trx, deps.channelPolicy, row, now)) return;
    if (await transitionCase(trx, row.case_id, ['open'], 'unreachable', now)) {
      await addTimeline(trx, row.case_id, 'user_unreachable', now, { reason: 'delivery_failed' });
    }
  });
}

/** The limit leaves no turn soon enough: back in the queue, and not counted as a try, since none was made. */
async function waitForTurn(deps: OutboxSenderDeps, row: OutboxRow, owner: string, waitMs: number): Promise<void> {
  const retryAt = deps.clock.now() + waitMs;
  await finishClaim(deps.db, 'outbox', row.id, owner, { state: 'pending', retryAt, error: 'waiting for the send-rate limit' }, { attempts: row.attempts - 1 });
}

async function skip(deps: OutboxSenderDeps, row: OutboxRow, owner: string, reason: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await finishClaim(trx, 'outbox', row.id, owner, { state: 'done' });
    await addTimeline(trx, row.case_id, 'message_skipped', now, { message_id: row.id, reason });
  });
}

export async function sendClaimedMessage(deps: OutboxSenderDeps, row: OutboxRow, owner: string): Promise<void> {
  const theCase = await findCase(deps.db, row.case_id);
  if (!theCase) return;
  if (isClosed(theCase.status)) return skip(deps, row, owner, `case ${theCase.status}`);
  const user = theCase.userId === null ? undefined : await findUserById(deps.db, theCase.userId);
  const to = user && contactFor(user, row.channel);
  if (!user || !to) return recordFailure(deps, row, owner, { code: 'no_contact', permanent: true });
  try {
    const message = await deps.render(row.channel, to, await messageContext(deps, row, theCase, user));
    const turn = await deps.sendRate.acquire(row.channel, deps.maxRateWaitMs);
    if (!turn.slot) return waitForTurn(deps, row, owner, turn.waitMs);
    const { providerId } = await deps.channels[row.channel].send(message).finally(turn.slot.release);
    await recordSent(deps, row, owner, { providerId, theCase, user });
  } catch (err) {
    const failure = failureOf(err);
    if (!(err instanceof ChannelError)) deps.logger.error('message could not be sent', { message_id: row.id, err });
    await recordFailure(deps, row, owner, failure);
  }
}
