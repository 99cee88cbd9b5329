// The database rate-limit store on the test database (SQLite, or PostgreSQL when DATABASE_URL names one).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Options } from 'express-rate-limit';
import { DatabaseRateLimitStore, pruneRateLimits } from '../../server/http/rate-limit-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';

const WINDOW_MS = 60_000;

let database: TestDatabase;
const clock = manualClock();
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

function store(prefix = 'test') {
  const s = new DatabaseRateLimitStore({ db: database.db, clock, prefix });
  s.init({ windowMs: WINDOW_MS } as Options);
  return s;
}

describe('DatabaseRateLimitStore', () => {
  test('counts hits in a window that ends windowMs after the first', async () => {
    const s = store();
    const first = await s.increment('1.2.3.4');
    clock.advance(10_000);
    const second = await s.increment('1.2.3.4');
    assert.equal(first.totalHits, 1);
    assert.equal(second.totalHits, 2);
    assert.equal(second.resetTime?.getTime(), first.resetTime?.getTime());
    assert.equal(first.resetTime?.getTime(), clock.now() - 10_000 + WINDOW_MS);
    assert.deepEqual(await s.get('1.2.3.4'), second);
  });

  test('starts a new window at one hit once the old one has ended', async () => {
    const s = store();
    await s.increment('k');
    await s.increment('k');
    clock.advance(WINDOW_MS);
    const fresh = await s.increment('k');
    assert.equal(fresh.totalHits, 1);
    assert.equal(fresh.resetTime?.getTime(), clock.now() + WINDOW_MS);
  });

  test('reports no count for a key whose window has ended', async () => {
    const s = store();
    await s.increment('gone');
    clock.advance(WINDOW_MS);
    assert.equal(await s.get('gone'), undefined);
  });

  test('two stores on one database, as on two instances, share the count', async () => {
    const a = store('shared');
    const b = store('shared');
    await a.increment('ip');
    await b.increment('ip');
    assert.equal((await a.increment('ip')).totalHits, 3);
  });

  test('concurrent hits are each counted exactly once', async () => {
    const s = store();
    const results = await Promise.all(Array.from({ length: 25 }, () => s.increment('burst')));
    assert.deepEqual(
      results.map((r) => r.totalHits).sort((x, y) => x - y),
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
  });

  test('prefixes keep limiters apart', async () => {
    await store('one').increment('same-key');
    assert.equal((await store('two').increment('same-key')).totalHits, 1);
  });

  test('decrement takes one hit back and resetKey forgets the key', async () => {
    const s = store();
    await s.increment('d');
    await s.increment('d');
    await s.decrement('d');
    assert.equal((await s.get('d'))?.totalHits, 1);
    await s.resetKey('d');
    assert.equal(await s.get('d'), undefined);
  });

  test('resetAll clears only its own prefix', async () => {
    const mine = store('mine');
    const theirs = store('theirs');
    await mine.increment('x');
    await theirs.increment('x');
    await mine.resetAll();
    assert.equal(await mine.get('x'), undefined);
    assert.equal((await theirs.get('x'))?.totalHits, 1);
  });

  test('refuses a prefix that could match other limiters in a LIKE', () => {
    assert.throws(() => new DatabaseRateLimitStore({ db: database.db, clock, prefix: 'a_b%' }));
  });

  test('pruneRateLimits deletes ended windows and keeps running ones', async () => {
    const s = store('prune');
    await s.increment('old');
    clock.advance(WINDOW_MS);
    await s.increment('new');
    const deleted = await pruneRateLimits(database.db, clock.now());
    assert.ok(deleted >= 1);
    assert.equal(await database.db('rate_limits').where({ key: 'prune:old' }).first(), undefined);
    assert.equal((await s.get('new'))?.totalHits, 1);
  });
});
