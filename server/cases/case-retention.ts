// Cases that ended long ago go for good (RETENTION_DAYS), with their timelines; server/privacy/
// decides when. Only cases/ writes the `cases` table, so the deletes live here.
import type { Knex } from 'knex';
import { isSqlite } from '../db/database.ts';

/**
 * Up to `limit` cases that ended before `cutoff`, oldest first, read from cases_closed_at_index. On
 * PostgreSQL they stay locked until the transaction ends, and cases another worker holds are skipped.
 */
export async function casesEndedBefore(trx: Knex.Transaction, cutoff: number, limit: number): Promise<number[]> {
  const query = trx('cases').select('id').where('closed_at', '<', cutoff).orderBy('closed_at').limit(limit);
  if (!isSqlite(trx)) query.forUpdate().skipLocked();
  return (await query).map((row) => row.id);
}

/** Deletes the cases and their timelines. Their messages must be gone first (outbox rows refer to them). */
export async function deleteCases(trx: Knex.Transaction, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await trx('case_timeline').whereIn('case_id', ids).delete();
  await trx('cases').whereIn('id', ids).delete();
}
