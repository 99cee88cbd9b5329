// Emptying SQLite's write-ahead log (erasure): it tries again while a reader holds an older
// snapshot, gives up past its limit, and leaves a log of zero bytes once it can.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrate } from '../../server/db/database.ts';
import { truncateWriteAheadLog } from '../../server/db/sqlite-log.ts';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  prepare(sql: string): { run(): unknown; get(): unknown };
  close(): void;
};

test('a reader holding an older snapshot keeps the log until it lets go; then the log is cut to zero bytes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'relink-sqlite-log-'));
  const file = join(dir, 'log.db');
  const db = createDatabase(`file:${file}`);
  const reader = new Database(file);
  try {
    await migrate(db);
    await db('dev_inbox').insert({ channel: 'email', recipient: 'a@example.com', text: 'first', created_at: 1 });
    reader.prepare('begin').run();
    reader.prepare('select count(*) from dev_inbox').get();
    await db('dev_inbox').insert({ channel: 'email', recipient: 'b@example.com', text: 'second', created_at: 2 });

    assert.equal(await truncateWriteAheadLog(db, 200), false, 'busy while the reader holds its snapshot');
    assert.ok(statSync(`${file}-wal`).size > 0);

    reader.prepare('commit').run();
    assert.equal(await truncateWriteAheadLog(db), true);
    assert.equal(statSync(`${file}-wal`).size, 0);
  } finally {
    reader.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
