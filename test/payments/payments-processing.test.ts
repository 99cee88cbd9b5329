import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

function intentEvent(objectId: string, data: Record<string, unknown>) {
  const hook = freshSeedWebhook('payments-payment-intent-status');
  return { ...hook, object_id: objectId, data };
}

async function paymentsOf(objectId: string) {
  const res = await getApi(t.app, `/payments/${objectId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.payments as Array<Record<string, unknown>>;
}

describe('payments webhooks', () => {
  test('the seed payment intent is recorded under its object_id with its status, and opens no case', async () => {
    const hook = freshSeedWebhook('payments-payment-intent-status');
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();
    const [intent] = (await paymentsOf(hook.object_id as string)).filter((p) => p['object_type'] === 'PAYMENT_INTENTS');
    assert.equal(intent!['status'], 'SUCCEEDED');
    assert.equal(intent!['last_webhook_code'], 'STATUS_UPDATE');
    assert.equal(intent!['last_webhook_id'], hook.webhook_id);
    const cases = (await t.database.db('cases').count({ n: '*' }).first()) as { n: number | string };
    assert.equal(Number(cases.n), 0);
  });

  test('statuses move forward; an older status delivered late (a Belvo retry) is recorded but does not win', async () => {
    const objectId = randomUUID();
    for (const status of ['PROCESSING', 'SUCCEEDED', 'PROCESSING']) {
      await postWebhook(t.app, intentEvent(objectId, { status })).expect(202);
      t.clock.advance(1000);
      await t.worker.runOnce();
    }
    const [intent] = await paymentsOf(objectId);
    assert.equal(intent!['status'], 'SUCCEEDED');
    assert.equal(intent!['events'], 3);
  });

  test('a failed intent shows its failure code and message', async () => {
    const objectId = randomUUID();
    await postWebhook(t.app, intentEvent(objectId, { status: 'REQUIRES_ACTION' })).expect(202);
    await postWebhook(t.app, intentEvent(objectId, { status: 'FAILED', failure_code: 'payment_rejected', failure_message: 'The bank rejected the payment' })).expect(202);
    await t.worker.runOnce();
    const [intent] = await paymentsOf(objectId);
    assert.equal(intent!['status'], 'FAILED');
    assert.equal(intent!['failure_code'], 'payment_rejected');
    assert.equal(intent!['failure_message'], 'The bank rejected the payment');
  });

  test('several events of one intent processed in one round end on the newest, whatever their order in the batch', async () => {
    const objectId = randomUUID();
    await postWebhook(t.app, intentEvent(objectId, { status: 'SUCCEEDED' })).expect(202);
    await postWebhook(t.app, intentEvent(objectId, { status: 'REQUIRES_ACTION' })).expect(202);
    await t.worker.runOnce();
    assert.equal((await paymentsOf(objectId))[0]!['status'], 'SUCCEEDED');
  });

  test('a bank account and a transaction are recorded by type; one object_id may carry both kinds', async () => {
    const objectId = randomUUID();
    await postWebhook(t.app, { ...freshSeedWebhook('payments-bank-account-created'), object_id: objectId }).expect(202);
    await postWebhook(t.app, { ...freshSeedWebhook('payments-transaction-created'), object_id: objectId }).expect(202);
    await t.worker.runOnce();
    const payments = await paymentsOf(objectId);
    assert.deepEqual(
      payments.map((p) => [p['object_type'], p['last_webhook_code'], p['status'], p['events']]),
      [
        ['BANK_ACCOUNTS', 'OBJECT_CREATED', null, 1],
        ['TRANSACTIONS', 'OBJECT_CREATED', null, 1],
      ],
    );
  });

  test('an object no webhook named is 404; without the key 401', async () => {
    const unknown = await getApi(t.app, `/payments/${randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    assert.equal((await request(t.app).get(`/api/payments/${randomUUID()}`)).status, 401);
  });
});
