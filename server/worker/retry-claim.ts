// The end of a claimed job's failed attempt, for every work table, by the one retry rule
// (retry-policy.ts): back to pending after the delay, or failed for good.
import type { Knex } from 'knex';
import { finishClaim, type WorkTable } from '../db/claim.ts';
import { nextAttempt, type RetryPolicy } from './retry-policy.ts';

export type AttemptEnd = { state: 'pending'; attempts: number; retryAt: number } | { state: 'failed'; attempts: number };

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
