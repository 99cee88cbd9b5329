// Delivery of the operator's webhooks to a real HTTP receiver on loopback: signed so that
// standardwebhooks' own verify accepts them (with each of two rotating secrets), retried with the
// same webhook-id after a 500 or a timeout on the schedule's clock, redirects not followed, one
// failing delivery holding up no other work, replayed on request, listed for the operator, and a
// loopback address refused in production when the name resolves to one.
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { claimBatch } from '../../server/db/claim.ts';
import { WEBHOOK_RETRY_POLICY } from '../../server/operator-webhooks/delivery-repository.ts';
import { recordOperatorEvent, type OperatorEvent } from '../../server/operator-webhooks/operator-events.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { retryDelay } from '../../server/jobs/retry.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';

const OLD_SECRET = newWebhookSecret();
const NEW_SECRET = newWebhookSecret();
const TIMEOUT_MS = 300;

let receiver: WebhookReceiver;
let app: TestApp;

before(async () => {
  receiver = await startWebhookReceiver();
  app = await startTestApp({
    env: { OPERATOR_WEBHOOK_URL: receiver.url, OPERATOR_WEBHOOK_SECRET: `${OLD_SECRET} ${NEW_SECRET}` },
    webhookTimeoutMs: TIMEOUT_MS,
  });
  // Receivers check webhook-timestamp against their own clock (five minutes either way).
  app.clock.set(Date.now());
});
after(async () => {
  await app.close();
  await receiver.close();
});

let storms = 0;
/** Records an event as the storm guard would, and returns its delivery's id. */
async function recordStorm(target: TestApp = app): Promise<number> {
  const event: OperatorEvent = { type: 'storm.detected', data: { institution: `bank_${++storms}`, cases: 51 } };
  await target.database.db.transaction((trx) => recordOperatorEvent(trx, event, target.clock.now()));
  const row = (await target.database.db('webhook_deliveries').max({ id: 'id' }).first()) as { id: number };
  return row.id;
}

async function delivery(id: number) {
  return (await getApi(app.app, `/webhook-deliveries/${id}`).expect(200)).body;
}

function verifiesWith(secret: string, req: ReceivedRequest): unknown {
  return new Webhook(secret).verify(req.body, receiver.signatureHeaders(req));
}

const from = (start: number) => receiver.requests.slice(start);
const operatorPost = (target: TestApp, path: string) => request(target.app).post(`/api${path}`).set('Authorization', `Bearer ${API_KEY}`);

describe('signing', () => {
  test("a case's events are posted once each, and standardwebhooks' verify accepts every one with either rotating secret", async () => {
    const start = receiver.requests.length;
    await putUser(app.app, 'ana', { email: 'ana@example.com' }).expect(201);
    await postWebhook(app.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'ana', linkId: randomUUID() })).expect(202);
    await app.worker.runOnce();
    const received = from(start);
    assert.deepEqual(received.map((r) => r.json.type), ['case.created', 'case.updated']);
    for (const req of received) {
      assert.equal(req.method, 'POST');
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(String(req.headers['webhook-signature']).split(' ').length, 2, 'one signature per secret');
      assert.deepEqual(verifiesWith(OLD_SECRET, req), req.json);
      assert.deepEqual(verifiesWith(NEW_SECRET, req), req.json);
      assert.throws(() => verifiesWith(newWebhookSecret(), req), /No matching signature/);
    }
    assert.notEqual(received[0]!.headers['webhook-id'], received[1]!.headers['webhook-id']);
    await app.worker.runOnce();
    assert.equal(from(start).length, 2, 'a delivered event is not posted again');
  });
});

describe('retries', () => {
  test('after a 500, the same webhook-id is retried within 10 s, then within 20 s more, until it is delivered', async () => {
    const start = receiver.requests.length;
    let answered = 0;
    receiver.answerWith(() => (++answered <= 2 ? { status: 500, body: 'down for maintenance' } : { status: 204 }));
    const id = await recordStorm();

    await app.worker.runOnce();
    let shown = await delivery(id);
    assert.equal(shown.status, 'pending');
    assert.equal(shown.attempts, 1);
    assert.deepEqual(shown.last_response, { status: 500, body: 'down for maintenance' });
    assert.ok(Date.parse(shown.next_attempt_at) - app.clock.now() <= 10_000);
    await app.worker.runOnce();
    assert.equal(from(start).length, 1, 'not before its time');

    app.clock.set(Date.parse(shown.next_attempt_at));
    await app.worker.runOnce();
    shown = await delivery(id);
    assert.equal(shown.attempts, 2);
    assert.ok(Date.parse(shown.next_attempt_at) - app.clock.now() <= 20_000);

    app.clock.set(Date.parse(shown.next_attempt_at));
    await app.worker.runOnce();
    shown = await delivery(id);
    assert.equal(shown.status, 'delivered');
    assert.equal(shown.attempts, 3);
    assert.equal(shown.last_error, null);

    const attempts = from(start);
    assert.equal(attempts.length, 3);
    assert.equal(new Set(attempts.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every attempt');
    assert.equal(new Set(attempts.map((r) => r.body)).size, 1, 'the same body on every attempt');
    for (const req of attempts) assert.deepEqual(verifiesWith(NEW_SECRET, req), req.json);
    receiver.answerWith(() => ({ status: 204 }));
  });

  test('an endpoint that does not answer in time is retried with the same webhook-id', async () => {
    const start = receiver.requests.length;
    receiver.answerWith(() => 'hang');
    const id = await recordStorm();
    await app.worker.runOnce();
    const shown = await delivery(id);
    assert.equal(shown.status, 'pending');
    assert.equal(shown.last_error, `no answer within ${TIMEOUT_MS / 1000} s`);
    assert.equal(shown.last_response, null);

    receiver.answerWith(() => ({ status: 200, body: 'ok' }));
    app.clock.set(Date.parse(shown.next_attempt_at));
    await app.worker.runOnce();
    assert.equal((await delivery(id)).status, 'delivered');
    const [first, second] = from(start);
    assert.equal(second!.headers['webhook-id'], first!.headers['webhook-id']);
    assert.deepEqual(verifiesWith(OLD_SECRET, second!), second!.json);
  });

  test('the schedule: first retry within 10 s, second within 60 s, failed for good only after more than 24 hours', () => {
    const { maxAttempts } = WEBHOOK_RETRY_POLICY;
    assert.ok(retryDelay(WEBHOOK_RETRY_POLICY, 1, () => 1) <= 10_000);
    assert.ok(retryDelay(WEBHOOK_RETRY_POLICY, 2, () => 1) <= 60_000);
    let shortest = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt++) shortest += retryDelay(WEBHOOK_RETRY_POLICY, attempt, () => 0);
    assert.ok(shortest >= 24 * 3_600_000, `the retries span at least ${shortest / 3_600_000} hours`);
  });

  test('a delivery still failing at its last attempt is failed for good, and says why', async () => {
    receiver.answerWith(() => ({ status: 410, body: 'gone' }));
    const id = await recordStorm();
    for (let attempt = 1; attempt <= WEBHOOK_RETRY_POLICY.maxAttempts; attempt++) {
      await app.worker.runOnce();
      const shown = await delivery(id);
      if (shown.next_attempt_at) app.clock.set(Date.parse(shown.next_attempt_at));
    }
    const shown = await delivery(id);
    assert.equal(shown.status, 'failed');
    assert.equal(shown.attempts, WEBHOOK_RETRY_POLICY.maxAttempts);
    assert.equal(shown.next_attempt_at, null);
    assert.equal(shown.last_error, 'answered 410');
    assert.ok(app.logs.some((line) => /operator webhook failed for good/.test(line) && line.includes(`"delivery_id":${id}`)));

    // Once the endpoint is fixed, the operator replays it: a fresh round of retries, starting now.
    receiver.answerWith(() => ({ status: 204 }));
    app.clock.set(Date.now());
    const replayed = await operatorPost(app, `/webhook-deliveries/${id}/replay`).expect(202);
    assert.deepEqual([replayed.body.status, replayed.body.attempts], ['pending', 0]);
    await app.worker.runOnce();
    assert.equal((await delivery(id)).status, 'delivered');
  });
});

describe('redirects', () => {
  test('a 30x answer is a failure, and its target receives nothing', async () => {
    const target = await startWebhookReceiver();
    try {
      receiver.answerWith(() => ({ status: 307, headers: { location: target.url } }));
      const id = await recordStorm();
      await app.worker.runOnce();
      const shown = await delivery(id);
      assert.equal(shown.status, 'pending');
      assert.equal(shown.last_response.status, 307);
      assert.equal(shown.last_error, `redirect to ${target.url} not followed`);
      assert.equal(target.requests.length, 0);
      assert.ok(app.logs.some((line) => /operator webhook failed; will retry/.test(line) && line.includes(`"delivery_id":${id}`)));
    } finally {
      receiver.answerWith(() => ({ status: 204 }));
      await target.close();
    }
  });
});

describe('independence', () => {
  test('a delivery that hangs holds up neither the other deliveries nor the messages to users', async () => {
    // The real timeout here (10 s), so the hanging requests hang for the whole test.
    const slowReceiver = await startWebhookReceiver();
    const slow = await startTestApp({ env: { OPERATOR_WEBHOOK_URL: slowReceiver.url, OPERATOR_WEBHOOK_SECRET: NEW_SECRET } });
    slow.clock.set(Date.now());
    try {
      const stuck = await recordStorm(slow);
      const stuckInstitution = `bank_${storms}`;
      const others = [await recordStorm(slow), await recordStorm(slow)];
      slowReceiver.answerWith((req) => (req.json.data['institution'] === stuckInstitution || req.json.type.startsWith('case.') ? 'hang' : { status: 204 }));
      slow.worker.start();
      try {
        // A case opens and its e-mail goes out while every webhook about it hangs.
        await putUser(slow.app, 'bea', { email: 'bea@example.com' }).expect(201);
        await postWebhook(slow.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'bea', linkId: randomUUID() })).expect(202);
        slow.worker.wake();
        await waitFor(async () => (await slow.database.db('outbox').where({ state: 'done' })).length === 1, 'the e-mail is sent');
        await waitFor(async () => (await slow.database.db('webhook_deliveries').whereIn('id', others).where({ state: 'done' })).length === 2, 'the others are delivered');
        assert.equal((await slow.database.db('webhook_deliveries').where({ id: stuck }).first())!.state, 'running', 'the stuck one is still waiting for its answer');
      } finally {
        slowReceiver.answerWith(() => ({ status: 204 }));
        slowReceiver.release(500);
        await slow.worker.stop();
      }
    } finally {
      await slow.close();
      await slowReceiver.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 8_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('replay and listing', () => {
  test('replay posts an event again now, with the same webhook-id and body; an unknown delivery is 404', async () => {
    const id = await recordStorm();
    await app.worker.runOnce();
    const first = receiver.requests.at(-1)!;
    assert.equal((await delivery(id)).status, 'delivered');

    await request(app.app).post(`/api/webhook-deliveries/${id}/replay`).expect(401);
    const replayed = await operatorPost(app, `/webhook-deliveries/${id}/replay`).expect(202);
    assert.equal(replayed.body.status, 'pending');
    assert.equal(replayed.body.next_attempt_at, new Date(app.clock.now()).toISOString());
    await app.worker.runOnce();
    const again = receiver.requests.at(-1)!;
    assert.notEqual(again, first);
    assert.equal(again.headers['webhook-id'], first.headers['webhook-id']);
    assert.equal(again.body, first.body);
    assert.equal((await delivery(id)).status, 'delivered');

    await operatorPost(app, '/webhook-deliveries/999999/replay').expect(404);
  });

  test('a delivery being attempted right now is not replayed (409): its attempt decides', async () => {
    const id = await recordStorm();
    const [claimed] = await claimBatch(app.database.db, { table: 'webhook_deliveries', owner: 'another worker', now: app.clock.now(), leaseMs: 60_000, limit: 1 });
    assert.equal(claimed?.id, id);
    const refused = await operatorPost(app, `/webhook-deliveries/${id}/replay`).expect(409);
    assert.equal(refused.body.error.code, 'delivery_in_progress');
    assert.equal((await delivery(id)).status, 'sending');
  });

  test('the list shows status, attempts, last answer and next attempt, newest first, by status, a page at a time', async () => {
    await request(app.app).get('/api/webhook-deliveries').expect(401);
    const all = (await getApi(app.app, '/webhook-deliveries?limit=200').expect(200)).body;
    const ids = all.deliveries.map((d: { id: number }) => d.id);
    assert.deepEqual(ids, [...ids].sort((a: number, b: number) => b - a));
    assert.equal(all.next_before, null);
    const [newest] = all.deliveries;
    assert.deepEqual(Object.keys(newest).sort(), [
      'attempts', 'created_at', 'delivered_at', 'id', 'last_attempt_at', 'last_error', 'last_response', 'next_attempt_at', 'payload', 'status', 'type', 'webhook_id',
    ]);

    const delivered = (await getApi(app.app, '/webhook-deliveries?status=delivered').expect(200)).body.deliveries;
    assert.ok(delivered.length >= 1);
    assert.ok(delivered.every((d: { status: string }) => d.status === 'delivered'));
    const sending = (await getApi(app.app, '/webhook-deliveries?status=sending').expect(200)).body.deliveries;
    assert.deepEqual(sending.map((d: { id: number }) => d.id), [ids[0]], 'the one another worker holds');
    const pending = (await getApi(app.app, '/webhook-deliveries?status=pending').expect(200)).body.deliveries;
    assert.ok(pending.some((d: { last_response: { status: number } | null }) => d.last_response?.status === 307), 'the redirected one waits for its retry');

    const page1 = (await getApi(app.app, '/webhook-deliveries?limit=2').expect(200)).body;
    assert.deepEqual(page1.deliveries.map((d: { id: number }) => d.id), ids.slice(0, 2));
    const page2 = (await getApi(app.app, `/webhook-deliveries?limit=2&before=${page1.next_before}`).expect(200)).body;
    assert.deepEqual(page2.deliveries.map((d: { id: number }) => d.id), ids.slice(2, 4));

    const bad = await getApi(app.app, '/webhook-deliveries?status=done').expect(400);
    assert.equal(bad.body.error.details?.field ?? bad.body.error.field, 'status');
  });
});

describe('addresses refused in production', () => {
  async function productionApp(url: string, extra: Record<string, string> = {}): Promise<TestApp> {
    const { NODE_ENV, ADMIN_PASSWORD, BRAND_NAME, SUPPORT_EMAIL } = PRODUCTION_ENV;
    const production = { NODE_ENV, ADMIN_PASSWORD, BRAND_NAME, SUPPORT_EMAIL };
    const started = await startTestApp({ env: { ...production, OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: NEW_SECRET, ...extra } });
    started.clock.set(Date.now());
    return started;
  }

  test('a host name that resolves to a loopback address is refused when the delivery is made', async () => {
    const local = await startWebhookReceiver();
    // The name, not the address: the check happens when the name is resolved, at delivery.
    const prod = await productionApp(local.url.replace('127.0.0.1', 'localhost'));
    try {
      const id = await recordStorm(prod);
      await prod.worker.runOnce();
      const row = (await prod.database.db('webhook_deliveries').where({ id }).first())!;
      assert.equal(row.state, 'pending');
      assert.match(row.last_error ?? '', /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback or link-local address$/);
      assert.equal(local.requests.length, 0);
    } finally {
      await prod.close();
      await local.close();
    }
  });

  test('OPERATOR_WEBHOOK_ALLOW_LOCAL=true lets a loopback address through', async () => {
    const local = await startWebhookReceiver();
    const prod = await productionApp(local.url, { OPERATOR_WEBHOOK_ALLOW_LOCAL: 'true' });
    try {
      const id = await recordStorm(prod);
      await prod.worker.runOnce();
      assert.equal((await prod.database.db('webhook_deliveries').where({ id }).first())!.state, 'done');
      const [req] = await local.waitForRequests(1);
      assert.deepEqual(new Webhook(NEW_SECRET).verify(req!.body, local.signatureHeaders(req!)), req!.json);
    } finally {
      await prod.close();
      await local.close();
    }
  });
});
