import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { startTestApp, WEBHOOK_AUTH, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const post = (body: unknown, auth: string | null = WEBHOOK_AUTH) => {
  const req = request(t.app).post('/webhooks/belvo').set('Content-Type', 'application/json');
  if (auth !== null) req.set('Authorization', auth);
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
};
const eventCount = async (webhookId: string) =>
  Number((await t.database.db('events').where({ webhook_id: webhookId }).count({ n: '*' }))[0]!['n']);

describe('POST /webhooks/belvo: who may call', () => {
  test('a request without Authorization is refused with 401 and recorded nowhere', async () => {
    const hook = freshSeedWebhook('link-invalid-credentials');
    const res = await post(hook, null);
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
    assert.equal(await eventCount(hook.webhook_id), 0);
  });

  test('a wrong token is refused with 401, even one differing only in its last character', async () => {
    const hook = freshSeedWebhook('link-invalid-credentials');
    const res = await post(hook, WEBHOOK_AUTH.slice(0, -1) + 'X');
    assert.equal(res.status, 401);
    assert.equal(await eventCount(hook.webhook_id), 0);
  });
});

describe('POST /webhooks/belvo: recording', () => {
  test('a valid webhook is recorded before the 2xx answer', async () => {
    const hook = freshSeedWebhook('link-invalid-credentials');
    const res = await post(hook);
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { status: 'accepted', webhook_id: hook.webhook_id });
    assert.equal(await eventCount(hook.webhook_id), 1);
  });

  test('a repeated webhook_id answers 2xx and records nothing new', async () => {
    const hook = freshSeedWebhook('link-token-required');
    assert.equal((await post(hook)).status, 202);
    const again = await post(hook);
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'duplicate');
    assert.equal(await eventCount(hook.webhook_id), 1);
  });

  test('twenty copies of one webhook arriving at once are recorded once, and each gets a 2xx', async () => {
    const hook = freshSeedWebhook('consent-expired');
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(hook)));
    assert.ok(answers.every((r) => r.status === 200 || r.status === 202), answers.map((r) => r.status).join());
    assert.equal(answers.filter((r) => r.status === 202).length, 1);
    assert.equal(await eventCount(hook.webhook_id), 1);
  });

  test('an unknown type or code is recorded and answered 2xx', async () => {
    const hook = { ...freshSeedWebhook('link-invalid-credentials'), webhook_type: 'SOMETHING_NEW', webhook_code: 'happened' };
    assert.equal((await post(hook)).status, 202);
    assert.equal(await eventCount(hook.webhook_id), 1);
  });

  for (const seed of ['payments-payment-intent-status', 'accounts-historical-update', 'consent-temporarily-unavailable'] as const) {
    test(`the seed ${seed} is accepted`, async () => {
      assert.equal((await post(freshSeedWebhook(seed))).status, 202);
    });
  }
});

describe('POST /webhooks/belvo: bad input', () => {
  test('malformed JSON answers 400 with a JSON error', async () => {
    const res = await post('{"webhook_id": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_json');
  });

  test('a payload missing a core field answers 400 naming the field', async () => {
    const { webhook_code: _omitted, ...hook } = freshSeedWebhook('link-invalid-credentials');
    const res = await post(hook);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_payload');
    assert.equal(res.body.error.field, 'webhook_code');
  });

  test('a token_required without its MFA session answers 400 naming data.session', async () => {
    const hook = freshSeedWebhook('link-token-required');
    delete (hook.data as Record<string, unknown>)['session'];
    const res = await post(hook);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'data.session');
    assert.equal(await eventCount(hook.webhook_id), 0);
  });

  test('a body over 1 MiB answers 413', async () => {
    const hook = { ...freshSeedWebhook('link-invalid-credentials'), padding: 'x'.repeat(1024 * 1024) };
    const res = await post(hook);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });
});

describe('health', () => {
  test('/healthz answers while the process lives and /readyz checks the database', async () => {
    assert.equal((await request(t.app).get('/healthz')).status, 200);
    const ready = await request(t.app).get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
  });
});

describe('POST /webhooks/belvo: guessing the token', () => {
  test('a caller failing authentication is limited per IP with 429, while Belvo itself is never limited', async () => {
    const guesser = await startTestApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) {
        const res = await request(guesser.app)
          .post('/webhooks/belvo')
          .set('Authorization', `Bearer guess-${i}`)
          .send(freshSeedWebhook('link-invalid-credentials'));
        statuses.push(res.status);
      }
      assert.deepEqual(statuses.slice(0, 30), Array(30).fill(401));
      assert.equal(statuses[30], 429);
      const belvo = await request(guesser.app)
        .post('/webhooks/belvo')
        .set('Authorization', WEBHOOK_AUTH)
        .send(freshSeedWebhook('link-invalid-credentials'));
      assert.equal(belvo.status, 202);
    } finally {
      await guesser.close();
    }
  });
});
