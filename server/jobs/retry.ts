// The one retry rule for background work (events, messages, account fetches): after a failed
// attempt, try again after an exponential backoff with "equal jitter", so that retries from many
// jobs do not arrive together, until the tries run out or the failure cannot pass.
import type { Knex } from 'knex';
import { finishClaim, type WorkTable } from '../db/claim.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type NextAttempt = { state: 'pending'; retryAt: number } | { state: 'failed' };

/** After attempt number `attempts` failed: when to try again, or that the job has failed for good. */
export function nextAttempt(
  policy: RetryPolicy,
  failed: { attempts: number; permanent: boolean },
  now: number,
  random?: () => number,
): NextAttempt {
  if (failed.permanent || failed.attempts >= policy.maxAttempts) return { state: 'failed' };
  return { state: 'pending', retryAt: now + retryDelay(policy, failed.attempts, random) };
}

export type AttemptEnd = { state: 'pending'; attempts: number; retryAt: number } | { state: 'failed'; attempts: number };

/** Ends a claimed job's failed attempt by the rule: back to pending after the delay, or failed for good. */
export async function retryOrFail(
  db: Knex | Knex.Transaction,
  job: { table: WorkTable; id: number; owner: string; attempts: number },
  failure: { error: string; permanent?: boolean },
  policy: RetryPolicy,
  now: number,
  options: { random?: (() => number) | undefined; failedColumns?: Record<string, unknown> } = {},
): Promise<AttemptEnd> {
  const { attempts } = job;
  const next = nextAttempt(policy, { attempts, permanent: failure.permanent ?? false }, now, options.random);
  if (next.state === 'failed') {
    await finishClaim(db, job.table, job.id, job.owner, { state: 'failed', error: failure.error }, options.failedColumns);
    return { state: 'failed', attempts };
  }
  await finishClaim(db, job.table, job.id, job.owner, { state: 'pending', retryAt: next.retryAt, error: failure.error });
  return { state: 'pending', attempts, retryAt: next.retryAt };
}
