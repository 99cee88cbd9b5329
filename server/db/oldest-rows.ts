// Deleting what has aged out, a small batch at a time: each batch reads its rows from the index on
// their age (oldest first), so it costs the batch, not the table, and holds SQLite's single write
// lock for a moment only.
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface AgedRows {
  table: string;
  /** The indexed column that says how old a row is (epoch ms). */
  column: string;
  /** Extra conditions, which must match the index's own when the index is partial. */
  where?: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
}

/** Up to `limit` rows of `rows.table` older than `cutoff`, oldest first; how many went. */
export async function deleteOldestRows(db: Db, rows: AgedRows, cutoff: number, limit: number): Promise<number> {
  const query = db(rows.table).select('id').where(rows.column, '<', cutoff).orderBy(rows.column).limit(limit);
  const ids = ((await (rows.where ? rows.where(query) : query)) as Array<{ id: number }>).map((row) => row.id);
  if (ids.length === 0) return 0;
  await db(rows.table).whereIn('id', ids).delete();
  return ids.length;
}
