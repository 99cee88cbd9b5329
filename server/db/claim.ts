// Background work is claimed from a table with a lease, so that several processes can share one
// database: a row is taken by one conditional UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL), and a
// row whose worker died is claimable again once its lease runs out.
import type { Knex } from 'knex';
import { isSqlite, type Database } from './database.ts';

export type WorkTable = 'events' | 'outbox' | 'account_fetches';

export interface ClaimRequest {
  table: WorkTable;
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
}

function claimable(now: number) {
  return (q: Knex.QueryBuilder) =>
    q
      .where((w) => w.where('state', 'pending').andWhere('available_at', '<=', now))
      .orWhere((w) => w.where('state', 'running').andWhere('lease_until', '<', now));
}

/** Claims up to `limit` rows and returns their ids; every id returned belongs to `owner` alone. */
export async function claimBatch(db: Database, req: ClaimRequest): Promise<number[]> {
  const candidates = db(req.table).select('id').where(claimable(req.now)).orderBy('id').limit(req.limit);
  if (!isSqlite(db)) candidates.forUpdate().skipLocked();
  const rows: Array<{ id: number }> = await db(req.table)
    .whereIn('id', candidates)
    .where(claimable(req.now))
    .update({
      state: 'running',
      lease_until: req.now + req.leaseMs,
      lease_owner: req.owner,
      attempts: db.raw('attempts + 1'),
    })
    .returning('id');
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Ends a claimed row. False when the lease was lost (another worker took the row over). */
export async function finishClaim(
  db: Database | Knex.Transaction,
  table: WorkTable,
  id: number,
  owner: string,
  outcome: { state: 'done' | 'failed'; error?: string } | { state: 'pending'; retryAt: number; error: string },
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const changes: Record<string, unknown> = { state: outcome.state, lease_until: null, lease_owner: null, ...extra };
  if ('error' in outcome && outcome.error !== undefined) changes['last_error'] = outcome.error.slice(0, 500);
  if (outcome.state === 'pending') changes['available_at'] = outcome.retryAt;
  const count = await db(table).where({ id, lease_owner: owner, state: 'running' }).update(changes);
  return count === 1;
}
