// SQLite plans queries from the statistics ANALYZE writes. A deployment gets them when its database
// opens and keeps them current as its tables grow, without anyone running ANALYZE by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrate, openDatabase, type Database } from '../../server/db/database.ts';
import { silentLogger } from '../../server/logger.ts';
import { housekeepingTask } from '../../server/worker/worker-tasks.ts';

async function addUsers(db: Database, n: number, offset: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({ external_id: `user-${offset + i}`, created_at: 0, updated_at: 0 }));
  for (let i = 0; i < rows.length; i += 500) await db('users').insert(rows.slice(i, i + 500));
}

/** The row count the planner believes the users table has (sqlite_stat1's first figure), if it has one. */
async function plannedUsers(db: Database): Promise<number | undefined> {
  const [row] = (await db.raw("select stat from sqlite_stat1 where tbl = 'users'")) as Array<{ stat: string }>;
  return row ? Number(row.stat.split(' ')[0]) : undefined;
}

test('a database that opens with rows in it is planned from their statistics', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-stats-'));
  const url = `file:${join(dir, 'relink.db')}`;
  try {
    const first = createDatabase(url);
    await migrate(first);
    await addUsers(first, 2_000, 0);
    await first.destroy();
    const { db, close } = await openDatabase(url, silentLogger);
    try {
      assert.equal(await plannedUsers(db), 2_000);
    } finally {
      await close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the worker's housekeeping brings the statistics up to date once a table has grown", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-stats-'));
  const url = `file:${join(dir, 'relink.db')}`;
  const { db, close } = await openDatabase(url, silentLogger);
  try {
    await addUsers(db, 100, 0);
    const housekeeping = housekeepingTask({ db, clock: { now: () => Date.now() } });
    await housekeeping.run('test-worker');
    const before = await plannedUsers(db);
    await addUsers(db, 5_000, 100);
    const later = housekeepingTask({ db, clock: { now: () => Date.now() } });
    await later.run('test-worker');
    assert.equal(await plannedUsers(db), 5_100, `the planner still counted ${before} users`);
  } finally {
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
});
