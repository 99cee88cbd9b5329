// Database sessions: the store on the test database, and the cookie the middleware sets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import type { SessionData } from 'express-session';
import request from 'supertest';
import {
  createSessionMiddleware,
  DatabaseSessionStore,
  pruneSessions,
  SESSION_MAX_AGE_MS,
} from '../../server/http/session-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';

// Any value will do: the store keeps whatever the session holds.
declare module 'express-session' {
  interface SessionData {
    sample?: string;
  }
}

const SECRET = 'session-test-secret-0123456789abcdef';

let database: TestDatabase;
const clock = manualClock();
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

function call<T>(fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

const sessionWith = (sample: string, maxAge = SESSION_MAX_AGE_MS) =>
  ({ cookie: { originalMaxAge: maxAge, maxAge }, sample }) as unknown as SessionData;

describe('DatabaseSessionStore', () => {
  test('keeps a session until it expires, on our clock', async () => {
    const store = new DatabaseSessionStore({ db: database.db, clock });
    await call((cb) => store.set('sid-1', sessionWith('abc', 60_000), cb));
    assert.equal((await call<SessionData | null>((cb) => store.get('sid-1', cb)))?.sample, 'abc');
    clock.advance(60_000);
    assert.equal(await call<SessionData | null>((cb) => store.get('sid-1', cb)), null);
  });

  test('replaces a session saved again, and forgets a destroyed one', async () => {
    const store = new DatabaseSessionStore({ db: database.db, clock });
    await call((cb) => store.set('sid-2', sessionWith('first'), cb));
    await call((cb) => store.set('sid-2', sessionWith('second'), cb));
    assert.equal((await call<SessionData | null>((cb) => store.get('sid-2', cb)))?.sample, 'second');
    await call((cb) => store.destroy('sid-2', cb));
    assert.equal(await call<SessionData | null>((cb) => store.get('sid-2', cb)), null);
  });

  test('touch pushes the expiry out', async () => {
    const store = new DatabaseSessionStore({ db: database.db, clock });
    await call((cb) => store.set('sid-3', sessionWith('t', 1_000), cb));
    clock.advance(900);
    await new Promise<void>((resolve) => store.touch('sid-3', sessionWith('t', 1_000), () => resolve()));
    clock.advance(900);
    assert.equal((await call<SessionData | null>((cb) => store.get('sid-3', cb)))?.sample, 't');
  });

  test('an unknown sid is no session, not an error', async () => {
    const store = new DatabaseSessionStore({ db: database.db, clock });
    assert.equal(await call<SessionData | null>((cb) => store.get('nobody', cb)), null);
  });

  test('pruneSessions deletes the expired and keeps the live', async () => {
    const store = new DatabaseSessionStore({ db: database.db, clock });
    await call((cb) => store.set('old', sessionWith('o', 1_000), cb));
    await call((cb) => store.set('live', sessionWith('l', 10_000), cb));
    clock.advance(1_000);
    assert.ok((await pruneSessions(database.db, clock.now())) >= 1);
    const sids = (await database.db('sessions').select('sid')).map((r: { sid: string }) => r.sid);
    assert.ok(!sids.includes('old'));
    assert.ok(sids.includes('live'));
  });
});

describe('createSessionMiddleware', () => {
  function app(trustProxy: boolean) {
    const a = express();
    if (trustProxy) a.set('trust proxy', 'loopback');
    a.use(createSessionMiddleware({ db: database.db, secret: SECRET, clock }));
    a.get('/touch', (req, res) => {
      req.session.sample = 'x';
      res.send('ok');
    });
    a.get('/look', (_req, res) => {
      res.send('ok');
    });
    return a;
  }

  test('sets no cookie and stores nothing for a request that puts nothing in the session', async () => {
    const before = await database.db('sessions').count({ n: '*' }).first();
    const res = await request(app(false)).get('/look');
    assert.equal(res.headers['set-cookie'], undefined);
    assert.deepEqual(await database.db('sessions').count({ n: '*' }).first(), before);
  });

  test('sets an httpOnly, SameSite=Lax relink.sid cookie, without Secure over plain http', async () => {
    const cookie = String((await request(app(false)).get('/touch')).headers['set-cookie']);
    assert.match(cookie, /^relink\.sid=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
  });

  test('marks the cookie Secure behind a trusted https proxy', async () => {
    const res = await request(app(true)).get('/touch').set('X-Forwarded-Proto', 'https');
    assert.match(String(res.headers['set-cookie']), /Secure/);
  });

  test('does not believe X-Forwarded-Proto from a proxy it was not told to trust', async () => {
    const res = await request(app(false)).get('/touch').set('X-Forwarded-Proto', 'https');
    assert.doesNotMatch(String(res.headers['set-cookie']), /Secure/);
  });

  test('refuses a short secret when built', () => {
    assert.throws(() => createSessionMiddleware({ db: database.db, secret: 'short', clock }));
  });
});
