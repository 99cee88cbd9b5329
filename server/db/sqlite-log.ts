// Emptying SQLite's write-ahead log. Deleted rows are zeroed in the pages that replace them
// (secure_delete, database.ts), but the log still holds the earlier images of those pages until it
// is overwritten, which may be never. A TRUNCATE checkpoint copies the log into the database file
// and cuts the log to zero bytes. It cannot while another connection reads an older snapshot or
// writes, and our connections never wait inside SQLite (busy_timeout = 0), so it is tried again
// after short pauses that do not block the thread.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';

const MAX_PAUSE_MS = 16;
/** Readers and writers hold the log for milliseconds: this long busy means something is wrong. */
export const LOG_TRUNCATE_TIMEOUT_MS = 10_000;

interface CheckpointRow {
  busy: number;
}

/** Resolves once the log is empty; false when it stayed busy past `timeoutMs`. */
export async function truncateWriteAheadLog(db: Knex, timeoutMs = LOG_TRUNCATE_TIMEOUT_MS): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    const [row] = (await db.raw('pragma wal_checkpoint(TRUNCATE)')) as CheckpointRow[];
    if (row?.busy === 0) return true;
    if (performance.now() + pause > deadline) return false;
    await sleep(pause);
  }
}
