// Recording an operator event: in the transaction of the change it reports (a rollback takes it
// back), as the exact body every delivery attempt will send, and nothing at all when webhooks are off.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { recordOperatorEvent, type OperatorEvent } from '../../server/operator-webhooks/operator-events.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';

const STORM: OperatorEvent = { type: 'storm.detected', data: { institution: 'erebor_mx_retail', cases: 51 } };

describe('with OPERATOR_WEBHOOK_URL set', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ env: { OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/relink', OPERATOR_WEBHOOK_SECRET: newWebhookSecret() } });
  });
  after(() => app.close());

  test('an event is stored with its type, time and data, pending delivery now under an id of its own', async () => {
    const now = app.clock.now();
    await app.database.db.transaction((trx) => recordOperatorEvent(trx, STORM, now));
    await app.database.db.transaction((trx) => recordOperatorEvent(trx, STORM, now));
    const rows = await app.database.db('webhook_deliveries').orderBy('id');
    assert.equal(rows.length, 2);
    const row = rows[0]!;
    assert.deepEqual(JSON.parse(row.payload), { type: 'storm.detected', timestamp: new Date(now).toISOString(), data: STORM.data });
    assert.equal(row.state, 'pending');
    assert.equal(Number(row.available_at), now);
    assert.match(row.webhook_id, /^msg_[A-Za-z0-9_-]{22}$/);
    assert.notEqual(rows[1]!.webhook_id, row.webhook_id);
  });

  test('an event whose transaction rolls back is gone with it', async () => {
    const before = await app.database.db('webhook_deliveries').count({ n: '*' }).first();
    await assert.rejects(
      app.database.db.transaction(async (trx) => {
        await recordOperatorEvent(trx, STORM, app.clock.now());
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual(await app.database.db('webhook_deliveries').count({ n: '*' }).first(), before);
  });
});

describe('without OPERATOR_WEBHOOK_URL', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  test('recording is the same call and stores nothing', async () => {
    await app.database.db.transaction((trx) => recordOperatorEvent(trx, STORM, app.clock.now()));
    assert.equal((await app.database.db('webhook_deliveries')).length, 0);
  });
});
