// Every JSON answer, success or error, tells browsers not to sniff it and caches not to keep it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook } from '../support/operator-calls.ts';
import { startTestApp, WEBHOOK_AUTH, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

function assertJsonHeaders(res: request.Response, what: string): void {
  assert.match(String(res.headers['content-type']), /application\/json/, `${what} is JSON`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers['cache-control'], 'no-store', `${what}: no-store`);
}

test('health, readiness, the operator API and the webhooks answer JSON with nosniff and no-store, errors included', async () => {
  const answers: Array<[string, request.Test, number]> = [
    ['/healthz', request(t.app).get('/healthz'), 200],
    ['/readyz', request(t.app).get('/readyz'), 200],
    ['/api/cases', getApi(t.app, '/cases'), 200],
    ['/api/cases without a key', request(t.app).get('/api/cases'), 401],
    ['an unknown /api route', getApi(t.app, '/nothing-here'), 404],
    ['a webhook', postWebhook(t.app, freshSeedWebhook('link-invalid-credentials')), 202],
    ['a webhook without auth', request(t.app).post('/webhooks/belvo').send({}), 401],
    [
      'a malformed webhook',
      request(t.app).post('/webhooks/belvo').set('Authorization', WEBHOOK_AUTH).set('Content-Type', 'application/json').send('{'),
      400,
    ],
    [
      'a webhook too large',
      request(t.app)
        .post('/webhooks/belvo')
        .set('Authorization', WEBHOOK_AUTH)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'x'.repeat(1_100_000) })),
      413,
    ],
  ];
  for (const [what, pending, status] of answers) {
    const res = await pending;
    assert.equal(res.status, status, what);
    assertJsonHeaders(res, what);
  }
});
