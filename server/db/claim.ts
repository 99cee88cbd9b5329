// Background work is claimed from a table with a lease, so that several processes can share one
// database: rows are taken by one conditional UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL), and a
// row whose worker died is claimable again once its lease runs out. Both lookups walk a partial
// index (db/migrations/202611300400_claim-indexes.ts), so a claim reads the rows it takes and no
// others, however long the backlog or the history.
import type { Knex } from 'knex';
import { isSqlite, type Database } from './database.ts';

export type WorkTable = 'events' | 'outbox' | 'account_fetches' | 'webhook_deliveries';

/**
 * A work table's backlog: rows waiting or claimed, and since when the longest-waiting one was due
 * (null when none waits). Each figure reads one of the partial indexes and nothing else.
 */
export async function workBacklog(db: Knex, table: WorkTable): Promise<{ pending: number; oldestDueAt: number | null }> {
  const row = (await db.first({
    waiting: db(table).where({ state: 'pending' }).count('*'),
    running: db(table).where({ state: 'running' }).count('*'),
    oldest: db(table).where({ state: 'pending' }).min('available_at'),
  })) as { waiting: number | string; running: number | string; oldest: number | string | null };
  return { pending: Number(row.waiting) + Number(row.running), oldestDueAt: row.oldest === null ? null : Number(row.oldest) };
}

/** Whether any row of `table` is due now (a claimable pending row): one look into the partial index. */
export async function workIsDue(db: Knex, table: WorkTable, now: number): Promise<boolean> {
  return (await claimable(db(table).select('id'), 'pending', now).first()) !== undefined;
}

export interface ClaimRequest {
  table: WorkTable;
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
}

export interface ClaimedJob {
  id: number;
  /** Tries so far, this one included. */
  attempts: number;
}

type Claimable = 'pending' | 'lease expired';

/** Rows of one kind that may be claimed now, in the order they are due. */
function claimable(q: Knex.QueryBuilder, kind: Claimable, now: number): Knex.QueryBuilder {
  return kind === 'pending'
    ? q.where('state', 'pending').andWhere('available_at', '<=', now)
    : q.where('state', 'running').andWhere('lease_until', '<', now);
}

/** Pending rows in the order they are due; expired leases in any order, as all are overdue alike. */
function candidates(db: Database, req: ClaimRequest, kind: Claimable, limit: number): Knex.QueryBuilder {
  const query = claimable(db(req.table).select('id'), kind, req.now).limit(limit);
  return kind === 'pending' ? query.orderBy([{ column: 'available_at' }, { column: 'id' }]) : query;
}

async function claimKind<Row extends ClaimedJob>(db: Database, req: ClaimRequest, kind: Claimable, limit: number): Promise<Row[]> {
  let target: Knex.QueryBuilder;
  if (isSqlite(db)) {
    // Read first: on SQLite an UPDATE takes the write lock even when it changes nothing, and an idle
    // worker polls. The UPDATE checks the rows again, so a row claimed meanwhile is left alone.
    const ids = ((await candidates(db, req, kind, limit)) as ClaimedJob[]).map((row) => row.id);
    if (ids.length === 0) return [];
    target = claimable(db(req.table).whereIn('id', ids), kind, req.now);
  } else {
    // The CTE locks the candidates (and re-checks each against its latest version before it does),
    // so they are still claimable here and are taken by primary key alone. In a CTE, so that
    // PostgreSQL locks and limits them once: as a plain IN subquery it may run it again for each
    // row. As an array, so that it cannot join them against every claimable row instead: with the
    // conditions repeated and `id in (select …)`, it chose to read the whole backlog through the
    // partial index and hash-join it with the batch, 48,000 rows for each claim of 32.
    target = db
      .with('candidates', candidates(db, req, kind, limit).forUpdate().skipLocked())
      .from(req.table)
      .whereRaw('id = any(array(select id from candidates))');
  }
  return target
    .update({
      state: 'running',
      lease_until: req.now + req.leaseMs,
      lease_owner: req.owner,
      attempts: db.raw('attempts + 1'),
    })
    .returning('*') as Promise<Row[]>;
}

/**
 * Claims up to `limit` rows (those of dead workers first, then the pending ones, oldest first) and
 * returns them whole, in the order they arrived; every row returned belongs to `owner` alone.
 */
export async function claimBatch<Row extends ClaimedJob = ClaimedJob>(db: Database, req: ClaimRequest): Promise<Row[]> {
  const retaken = await claimKind<Row>(db, req, 'lease expired', req.limit);
  const fresh = retaken.length < req.limit ? await claimKind<Row>(db, req, 'pending', req.limit - retaken.length) : [];
  return [...retaken, ...fresh].sort((a, b) => a.id - b.id);
}

/** What ends a claim, whatever its outcome: no lease, no owner. */
const RELEASED = { lease_until: null, lease_owner: null };

/** A row `owner` still holds: one whose lease ran out and another worker retook is not. */
function heldBy(owner: string) {
  return { lease_owner: owner, state: 'running' as const };
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
  const changes: Record<string, unknown> = { state: outcome.state, ...RELEASED, ...extra };
  if ('error' in outcome && outcome.error !== undefined) changes['last_error'] = outcome.error.slice(0, 500);
  if (outcome.state === 'pending') changes['available_at'] = outcome.retryAt;
  const count = await db(table).where({ id, ...heldBy(owner) }).update(changes);
  return count === 1;
}

/** One column's value for each row of a batch, by id, and the type PostgreSQL is to read the values as. */
export interface ValuesById {
  values: ReadonlyMap<number, string | number>;
  type: 'text' | 'bigint';
}

/**
 * Finishes many of `owner`'s claims as done in one update, each row with its own values for
 * `columns`; the ids that were still `owner`'s (one whose lease ran out meanwhile is not touched).
 */
export async function finishClaimsDone(
  db: Database | Knex.Transaction,
  table: WorkTable,
  owner: string,
  columns: Record<string, ValuesById>,
): Promise<Set<number>> {
  const ids = new Set<number>();
  const changes: Record<string, unknown> = { state: 'done', ...RELEASED };
  for (const [column, { values, type }] of Object.entries(columns)) {
    for (const id of values.keys()) ids.add(id);
    const whens = [...values.keys()].map(() => `when ? then cast(? as ${type})`).join(' ');
    changes[column] = db.raw(`case id ${whens} end`, [...values].flat());
  }
  if (ids.size === 0) return ids;
  const rows: Array<{ id: number }> = await db(table).whereIn('id', [...ids]).where(heldBy(owner)).update(changes).returning('id');
  return new Set(rows.map((row) => row.id));
}
