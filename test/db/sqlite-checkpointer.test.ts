// The SQLite log is copied into the database file by a thread of its own, not by the writes that
// answer Belvo; and when the process closes, the thread goes with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrate, openDatabase } from '../../server/db/database.ts';
import { silentLogger } from '../../server/logger.ts';
import { startCheckpointer } from '../../server/db/sqlite-checkpointer.ts';

const sizeOf = (path: string) => statSync(path).size;
const rows = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => ({ external_id: `user-${offset + i}-${'x'.repeat(150)}`, created_at: 0, updated_at: 0 }));

test('writes land in the log, and the checkpoint thread, not the writer, copies them into the database file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-checkpoint-'));
  const file = join(dir, 'relink.db');
  const db = createDatabase(`file:${file}`);
  try {
    await migrate(db);
    const checkpointer = await startCheckpointer(db, file, silentLogger, 50);
    const before = sizeOf(file);
    // The writer never checkpoints (on a busy machine the thread may well copy some pages meanwhile).
    assert.deepEqual(await db.raw('pragma wal_autocheckpoint'), [{ wal_autocheckpoint: 0 }]);
    for (let i = 0; i < 10; i++) await db('users').insert(rows(200, i * 200));
    assert.ok(sizeOf(`${file}-wal`) > 300_000, 'the writes are in the log');
    for (let i = 0; i < 200 && sizeOf(file) - before <= 300_000; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sizeOf(file) - before > 300_000, 'the thread copied the log into the database file');
    await checkpointer.stop();
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openDatabase migrates, and close() stops the thread so the process can exit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-checkpoint-'));
  try {
    const { db, close } = await openDatabase(`file:${join(dir, 'relink.db')}`, silentLogger);
    assert.ok(await db.schema.hasTable('cases'));
    await close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
