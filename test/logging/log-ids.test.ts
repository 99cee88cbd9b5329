// Every HTTP answer names its request id, and every log line written for that request carries it;
// every log line a background job writes carries that job's id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { ADMIN_PASSWORD, csrfIn } from '../support/console-session.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let t: TestApp;
before(async () => {
  t = await startTestApp({ env: { ADMIN_PASSWORD } });
});
after(() => t.close());

const logLines = () => t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('request ids', () => {
  test('an answer carries a fresh id when the caller sent none, on every kind of route', async () => {
    const ids = new Set<string>();
    for (const path of ['/healthz', '/admin/sign-in', '/r/not-a-link', '/api/cases', '/no-such-page']) {
      const res = await request(t.app).get(path);
      const id = res.headers['x-request-id'];
      assert.match(String(id), UUID, path);
      ids.add(String(id));
    }
    assert.equal(ids.size, 5, 'one id per request');
  });

  test("a caller's short, plain X-Request-Id is kept; anything else is replaced", async () => {
    const kept = await request(t.app).get('/healthz').set('X-Request-Id', 'lb-7f3a.91:2');
    assert.equal(kept.headers['x-request-id'], 'lb-7f3a.91:2');
    for (const given of ['x'.repeat(65), 'has space', 'quote"d', '{"level":"error"}', 'a\u00e9b']) {
      const res = await request(t.app).get('/healthz').set('X-Request-Id', given);
      assert.match(String(res.headers['x-request-id']), UUID, given);
    }
  });

  test('the log lines of a request carry its id', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/admin/sign-in').expect(200);
    const res = await agent
      .post('/admin/sign-in')
      .set('X-Request-Id', 'sign-in-attempt-1')
      .type('form')
      .send({ _csrf: csrfIn(page.text), password: 'not the password at all' })
      .expect(303);
    assert.equal(res.headers['x-request-id'], 'sign-in-attempt-1');
    const line = logLines().find((l) => l['msg'] === 'console sign-in failed: wrong password');
    assert.equal(line?.['request_id'], 'sign-in-attempt-1');
  });
});

describe('job ids', () => {
  test("the worker's lines about an event carry the event's job id", async () => {
    await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' }).expect(201);
    const webhook = freshSeedWebhook('link-invalid-credentials', { linkId: 'not-a-belvo-id', externalId: 'ana' });
    await postWebhook(t.app, webhook).expect(202);
    const event = await t.database.db('events').where({ webhook_id: webhook.webhook_id }).first();
    assert.ok(event, 'the webhook is recorded');
    await t.worker.runOnce();
    const line = logLines().find((l) => String(l['msg']).includes('not a Belvo id'));
    assert.equal(line?.['job_id'], `event:${event.id}`);
  });
});
