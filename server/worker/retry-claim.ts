// The end of a claimed job's failed attempt, for every work table: back to pending after the retry
// policy's delay, or failed for good once the tries run out or the failure cannot pass.
import type { Knex } from 'knex';
import { finishClaim, type WorkTable } from '../db/claim.ts';
import { retryDelay, type RetryPolicy } from '../outbox/retry-policy.ts';

export type AttemptEnd = { state: 'pending'; attempts: number; retryAt: number } | { state: 'failed'; attempts: number };

export async function retryOrFail(
  db: Knex,
  job: { table: WorkTable; id: number; owner: string },
  failure: { error: string; permanent?: boolean },
  policy: RetryPolicy,
  now: number,
  options: { random?: (() => number) | undefined; failedColumns?: Record<string, unknown> } = {},
): Promise<AttemptEnd> {
  const row = (await db(job.table).where({ id: job.id }).first('attempts')) as { attempts: number } | undefined;
  const attempts = row?.attempts ?? 1;
  if (failure.permanent || attempts >= policy.maxAttempts) {
    await finishClaim(db, job.table, job.id, job.owner, { state: 'failed', error: failure.error }, options.failedColumns);
    return { state: 'failed', attempts };
  }
  const retryAt = now + retryDelay(policy, attempts, options.random);
  await finishClaim(db, job.table, job.id, job.owner, { state: 'pending', retryAt, error: failure.error });
  return { state: 'pending', attempts, retryAt };
}
