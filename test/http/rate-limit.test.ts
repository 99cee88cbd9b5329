// The limiter factories with a JSON refusal, as /webhooks uses them, over the database store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { createCaseRateLimit, createIpRateLimit } from '../../server/http/rate-limit.ts';
import { databaseRateLimitStores } from '../../server/http/rate-limit-store.ts';
import { silentLogger } from '../../server/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';

let database: TestDatabase;
const clock = manualClock();
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

const jsonRefusal = (_req: express.Request, res: express.Response) => {
  res.status(429).json({ error: { code: 'rate_limited', message: 'Too many requests' } });
};

describe('createIpRateLimit', () => {
  test('lets `limit` requests through per window, answers the next with the given responder', async () => {
    const stores = databaseRateLimitStores(database.db, clock);
    const app = express();
    app.use(createIpRateLimit({ store: stores('ip-json'), logger: silentLogger, limit: 2, windowMs: 1_000, onLimited: jsonRefusal }));
    app.post('/hook', (_req, res) => {
      res.status(202).end();
    });
    await request(app).post('/hook').expect(202);
    await request(app).post('/hook').expect(202);
    const limited = await request(app).post('/hook').expect(429);
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.match(String(limited.headers['ratelimit']), /limit=2, remaining=0/);
    clock.advance(1_000);
    await request(app).post('/hook').expect(202);
  });

  test('fails when built with a limit that is not a positive integer', () => {
    const stores = databaseRateLimitStores(database.db, clock);
    assert.throws(() => createIpRateLimit({ store: stores('bad'), logger: silentLogger, limit: 0, onLimited: jsonRefusal }));
    assert.throws(() => createIpRateLimit({ store: stores('bad2'), logger: silentLogger, windowMs: -1, onLimited: jsonRefusal }));
  });
});

describe('createCaseRateLimit', () => {
  test('counts per case across clients and leaves requests naming no case alone', async () => {
    const stores = databaseRateLimitStores(database.db, clock);
    const app = express();
    app.set('trust proxy', 'loopback');
    const limit = createCaseRateLimit({
      store: stores('case-json'),
      logger: silentLogger,
      limit: 1,
      windowMs: 60_000,
      onLimited: jsonRefusal,
      caseIdOf: (req) => (/^\d+$/.test(String(req.params['id'])) ? Number(req.params['id']) : undefined),
    });
    app.post('/cases/:id', limit, (_req, res) => {
      res.status(200).end();
    });
    await request(app).post('/cases/1').set('X-Forwarded-For', '10.0.0.1').expect(200);
    await request(app).post('/cases/1').set('X-Forwarded-For', '10.0.0.2').expect(429);
    await request(app).post('/cases/2').expect(200);
    await request(app).post('/cases/nope').expect(200);
    await request(app).post('/cases/nope').expect(200);
  });
});
