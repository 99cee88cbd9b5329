// SQLite's single writer: a connection that finds the database busy waits without blocking its
// thread, and the threads of one process take turns through a shared lock, the web thread first.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, migrate, type Database } from '../../server/db/database.ts';
import {
  createWriteLockBuffer,
  releaseIfHeldBy,
  sharedWriteLock,
  WriteLockTimeoutError,
} from '../../server/db/sqlite-write-lock.ts';

const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  close(): void;
};

let dir: string;
let file: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relink-writers-'));
  file = join(dir, 'relink.db');
  const db = createDatabase(`file:${file}`);
  await migrate(db);
  await db.destroy();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const user = (externalId: string) => ({ external_id: externalId, created_at: 0, updated_at: 0 });
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('a busy database', () => {
  test('a write waits for another process\'s transaction without blocking the thread, then succeeds', async () => {
    const other = new BetterSqlite3(file);
    const db = createDatabase(`file:${file}`);
    try {
      other.exec('begin immediate');
      other.exec("insert into users (external_id, created_at, updated_at) values ('other', 0, 0)");
      let turns = 0;
      let done = false;
      const write = db('users').insert(user('mine')).then(() => {
        done = true;
      });
      // The thread keeps serving other work while the write waits.
      while (turns < 20) {
        await nextTurn();
        turns += 1;
      }
      assert.equal(done, false, 'the write waits for the lock');
      other.exec('commit');
      await write;
      assert.deepEqual((await db('users').whereIn('external_id', ['other', 'mine']).orderBy('id')).map((u) => u.external_id), ['other', 'mine']);
    } finally {
      other.close();
      await db.destroy();
    }
  });

  test('a transaction takes the write lock when it begins, so it never fails half-way on a write made meanwhile', async () => {
    const db = createDatabase(`file:${file}`);
    const other = new BetterSqlite3(file);
    other.exec('pragma busy_timeout = 0');
    try {
      await db.transaction(async (trx) => {
        await trx('users').where({ external_id: 'nobody' }).first();
        // Another connection cannot write now: this transaction holds the lock from its BEGIN.
        assert.throws(() => other.exec("insert into users (external_id, created_at, updated_at) values ('sneaky', 0, 0)"), /SQLITE_BUSY|database is locked/);
        await trx('users').insert(user('in-transaction'));
      });
      assert.ok(await db('users').where({ external_id: 'in-transaction' }).first());
    } finally {
      other.close();
      await db.destroy();
    }
  });
});

describe('the write lock shared by the threads of a process', () => {
  let web: Database;
  let worker: Database;
  let buffer: SharedArrayBuffer;
  before(() => {
    buffer = createWriteLockBuffer();
    web = createDatabase(`file:${file}`, { writeLock: sharedWriteLock(buffer, { holder: 1, priority: true }) });
    worker = createDatabase(`file:${file}`, { writeLock: sharedWriteLock(buffer, { holder: 2, priority: false }) });
  });
  after(async () => {
    await web.destroy();
    await worker.destroy();
  });

  test('the web side writes as soon as the worker\'s transaction ends, before the worker\'s next one', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    const first = worker.transaction(async (trx) => {
      await trx('users').insert(user('worker-1'));
      firstStarted();
      await firstHeld;
      order.push('worker-1');
    });
    await started;
    const webWrite = web('users')
      .insert(user('web'))
      .then(() => order.push('web'));
    // Give the web write time to start waiting, then queue the worker's next transaction behind it.
    for (let i = 0; i < 5; i++) await nextTurn();
    const second = worker.transaction(async (trx) => {
      await trx('users').insert(user('worker-2'));
      order.push('worker-2');
    });
    for (let i = 0; i < 5; i++) await nextTurn();
    releaseFirst();
    await Promise.all([first, webWrite, second]);
    assert.deepEqual(order, ['worker-1', 'web', 'worker-2']);
  });

  test('reads never wait for the lock', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const transaction = worker.transaction(async (trx) => {
      await trx('users').insert(user('holding'));
      inside();
      await held;
    });
    await entered;
    assert.ok((await web('users').count({ n: '*' }).first()) !== undefined, 'a read answers while the worker holds the lock');
    release();
    await transaction;
  });

  test('a lock held by a thread that died is let go, and a wait that runs out fails rather than hangs', async () => {
    const cells = new Int32Array(buffer);
    const dead = sharedWriteLock(buffer, { holder: 7, priority: false });
    await dead.acquire();
    assert.equal(cells[0], 7);
    assert.equal(releaseIfHeldBy(buffer, 3), false, 'another holder does not release it');
    assert.equal(releaseIfHeldBy(buffer, 7), true);
    assert.equal(cells[0], 0);
    await dead.acquire();
    const waiting = sharedWriteLock(buffer, { holder: 8, priority: true, timeoutMs: 50 }).acquire();
    await assert.rejects(waiting, WriteLockTimeoutError);
    dead.release();
  });
});
