// After new_accounts_available, the worker asks Belvo for the link's whole account list and keeps its
// count and ids. The queue is a database work table, so a restart loses nothing; a failure that may
// pass (timeout, network, 429, 5xx) is retried with backoff, one Belvo refuses for good is not.
import type { Knex } from 'knex';
import { BelvoApiError, InvalidBelvoIdError, type BelvoClient } from '../belvo/belvo-types.ts';
import type { Clock } from '../clock.ts';
import { claimBatch, finishClaim, type ClaimedJob } from '../db/claim.ts';
import { jobLogger, type Logger } from '../logger.ts';
import { retryOrFail, type RetryPolicy } from '../jobs/retry.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';
import { linkIdOfFetch, saveAccountList } from './link-data-repository.ts';

export interface AccountFetchDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  belvo: Pick<BelvoClient, 'listAccounts'>;
  retry: RetryPolicy;
  leaseMs: number;
  random?: () => number;
}

const BATCH = 5;

function isPermanent(err: unknown): boolean {
  if (err instanceof InvalidBelvoIdError) return true;
  return err instanceof BelvoApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
}

async function fetchOne(deps: AccountFetchDeps, job: ClaimedJob, owner: string): Promise<void> {
  const { id } = job;
  const linkId = await linkIdOfFetch(deps.db, id);
  if (!linkId) return;
  try {
    const accounts = await deps.belvo.listAccounts(linkId);
    await deps.db.transaction(async (trx) => {
      const now = deps.clock.now();
      // Only the worker still holding the claim writes, so a stale list never overwrites a newer one.
      if (await finishClaim(trx, 'account_fetches', id, owner, { state: 'done' }, { finished_at: now })) {
        await saveAccountList(trx, linkId, accounts.map((a) => a.id), now);
      }
    });
  } catch (err) {
    await retryOrGiveUp(deps, job, owner, linkId, err);
  }
}

async function retryOrGiveUp(deps: AccountFetchDeps, job: ClaimedJob, owner: string, linkId: string, err: unknown): Promise<void> {
  const now = deps.clock.now();
  const end = await retryOrFail(
    deps.db,
    { table: 'account_fetches', ...job, owner },
    { error: err instanceof Error ? err.message : String(err), permanent: isPermanent(err) },
    deps.retry,
    now,
    { random: deps.random, failedColumns: { finished_at: now } },
  );
  const logger = jobLogger(deps.logger, 'account_fetch', job.id);
  if (end.state === 'failed') {
    logger.error('could not list the link\'s accounts; giving up', { link_id: linkId, attempts: end.attempts, err });
  } else {
    logger.warn('could not list the link\'s accounts; will retry', { link_id: linkId, attempts: end.attempts, retry_at: end.retryAt, err });
  }
}

export function accountFetchTask(deps: AccountFetchDeps): WorkerTask {
  return {
    name: 'account-fetches',
    async run(owner) {
      const jobs = await claimBatch(deps.db, {
        table: 'account_fetches',
        owner,
        now: deps.clock.now(),
        leaseMs: deps.leaseMs,
        limit: BATCH,
      });
      for (const job of jobs) await fetchOne(deps, job, owner);
      return jobs.length;
    },
  };
}
