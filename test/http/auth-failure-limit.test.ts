// Failed authentication is counted in the shared database and refused with 429 past the limit; the
// right credentials are never counted nor throttled.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { createAuthFailureLimit, requireAuthorization } from '../../server/http/auth-failure-limit.ts';
import { databaseRateLimitStores } from '../../server/http/rate-limit-store.ts';
import { silentLogger } from '../../server/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';
import { getApi } from '../support/operator-calls.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
const clock = manualClock();
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

/** One instance of a service guarded by a password header, over the shared database. */
function instance(prefix: string, options: { limit: number; scope?: 'address' | 'everyone' }) {
  const stores = databaseRateLimitStores(database.db, clock);
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    requireAuthorization(
      (req) => req.get('x-password') === 'right',
      createAuthFailureLimit({
        store: stores(prefix),
        logger: silentLogger,
        limit: options.limit,
        windowMs: 60_000,
        ...(options.scope ? { scope: options.scope } : {}),
        onLimited: (_req, res) => {
          res.status(429).json({ error: { code: 'too_many_requests' } });
        },
      }),
      (_req, res) => {
        res.status(401).json({ error: { code: 'unauthorized' } });
      },
    ),
  );
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

describe('requireAuthorization with createAuthFailureLimit', () => {
  test('failures from one address are counted across instances sharing the database, then refused with 429', async () => {
    const first = instance('shared-failures', { limit: 3 });
    const second = instance('shared-failures', { limit: 3 });
    const from = (app: express.Express) => request(app).get('/').set('X-Forwarded-For', '198.51.100.7');
    await from(first).set('x-password', 'wrong').expect(401);
    await from(second).set('x-password', 'wrong').expect(401);
    await from(first).set('x-password', 'wrong').expect(401);
    const limited = await from(second).set('x-password', 'wrong').expect(429);
    assert.ok(limited.headers['retry-after'] !== undefined, 'says when to try again');
    await from(first).set('x-password', 'right').expect(200);
    await request(first).get('/').set('X-Forwarded-For', '203.0.113.9').set('x-password', 'wrong').expect(401);
    clock.advance(60_000);
    await from(second).set('x-password', 'wrong').expect(401);
  });

  test('the right password is never counted, however often it is sent', async () => {
    const app = instance('successes', { limit: 1 });
    for (let i = 0; i < 5; i++) await request(app).get('/').set('x-password', 'right').expect(200);
    await request(app).get('/').set('x-password', 'wrong').expect(401);
  });

  test('scope "everyone" counts failures from every address together', async () => {
    const app = instance('overall', { limit: 2, scope: 'everyone' });
    await request(app).get('/').set('X-Forwarded-For', '198.51.100.1').expect(401);
    await request(app).get('/').set('X-Forwarded-For', '198.51.100.2').expect(401);
    await request(app).get('/').set('X-Forwarded-For', '198.51.100.3').expect(429);
  });

  test('a limit that is not a positive integer fails when built', () => {
    const stores = databaseRateLimitStores(database.db, clock);
    const onLimited = () => {};
    assert.throws(() => createAuthFailureLimit({ store: stores('bad'), logger: silentLogger, limit: 0, windowMs: 1, onLimited }));
    assert.throws(() => createAuthFailureLimit({ store: stores('bad2'), logger: silentLogger, limit: 1, windowMs: 0, onLimited }));
  });
});

describe('the operator API counts wrong keys', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('after 30 wrong keys in a minute one address gets 429, and the right key still works from it', async () => {
    const wrong = () => request(t.app).get('/api/cases').set('Authorization', `Bearer ${API_KEY}-guess`);
    for (let i = 0; i < 30; i++) await wrong().expect(401);
    const limited = await wrong().expect(429);
    assert.equal(limited.body.error.code, 'too_many_requests');
    assert.match(String(limited.headers['content-type']), /application\/json/);
    await getApi(t.app, '/cases').expect(200);
    t.clock.advance(60_000);
    await wrong().expect(401);
  });
});
