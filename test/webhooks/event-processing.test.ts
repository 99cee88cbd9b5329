import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createRuntime } from '../../server/runtime.ts';
import { createLogger } from '../../server/logger.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' });
});
after(() => t.close());

async function casesOf(linkId: string) {
  const res = await getApi(t.app, `/cases?link_id=${linkId}`);
  assert.equal(res.status, 200);
  return res.body.cases as Array<Record<string, unknown>>;
}
const timelineTypes = async (caseId: unknown) =>
  ((await getApi(t.app, `/cases/${caseId}`)).body.timeline as Array<{ type: string }>).map((e) => e.type);
const inbox = () => t.database.db('dev_inbox').orderBy('id');

describe('from webhook to message', () => {
  test('invalid_credentials for a known user opens a credentials case and sends one e-mail', async () => {
    const linkId = randomUUID();
    const before = (await inbox()).length;
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    await t.worker.runOnce();
    const [theCase] = await casesOf(linkId);
    assert.equal(theCase!['kind'], 'credentials');
    assert.equal(theCase!['status'], 'notified');
    assert.deepEqual(await timelineTypes(theCase!['id']), ['event_received', 'message_queued', 'message_sent']);
    const messages = (await inbox()).slice(before);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.recipient, 'ana@example.com');
    assert.match(messages[0]!.text, /https:\/\/relink\.example\.com\/r\/[A-Za-z0-9_-]{35}/);
  });

  test('a webhook naming no known user finds the user through the registered link', async () => {
    const linkId = randomUUID();
    await putLink(t.app, linkId, { external_id: 'ana', institution: 'erebor_mx_retail' }).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-token-required', { linkId, externalId: 'someone-else' })).expect(202);
    await t.worker.runOnce();
    const [theCase] = await casesOf(linkId);
    assert.equal(theCase!['kind'], 'mfa');
    assert.equal(theCase!['status'], 'notified');
    assert.equal(theCase!['institution'], 'erebor_mx_retail');
  });

  test('a webhook for an unknown user becomes an unreachable case the operator can see', async () => {
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'nobody' })).expect(202);
    await t.worker.runOnce();
    const unreachable = (await getApi(t.app, '/cases?status=unreachable')).body.cases as Array<{ link_id: string }>;
    assert.ok(unreachable.some((c) => c.link_id === linkId));
    const [theCase] = await casesOf(linkId);
    assert.deepEqual(await timelineTypes(theCase!['id']), ['event_received', 'user_unreachable']);
  });

  test('the same problem again within the cool-down updates the case and sends nothing more', async () => {
    const linkId = randomUUID();
    const before = (await inbox()).length;
    await postWebhook(t.app, freshSeedWebhook('link-token-required', { linkId, externalId: 'ana' })).expect(202);
    await t.worker.runOnce();
    t.clock.advance(60_000);
    const second = freshSeedWebhook('link-token-required', {
      linkId,
      externalId: 'ana',
      mfaSession: { session: 'b'.repeat(32), expiry: 600, token_generation_data: { type: 'numeric', value: '1' } },
    });
    await postWebhook(t.app, second).expect(202);
    await t.worker.runOnce();
    const cases = await casesOf(linkId);
    assert.equal(cases.length, 1);
    assert.equal((await inbox()).length - before, 1);
    const stored = await t.database.db('cases').where({ id: Number(cases[0]!['id']) }).first();
    assert.equal(JSON.parse(stored!.details).mfa.session, 'b'.repeat(32));
  });

  test('historical_update resolves the open case as fixed elsewhere', async () => {
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    await t.worker.runOnce();
    await postWebhook(t.app, freshSeedWebhook('accounts-historical-update', { linkId })).expect(202);
    await t.worker.runOnce();
    const [theCase] = await casesOf(linkId);
    assert.equal(theCase!['status'], 'resolved');
    assert.ok(theCase!['closed_at']);
    const timeline = (await getApi(t.app, `/cases/${theCase!['id']}`)).body.timeline as Array<{ type: string; detail: unknown }>;
    assert.deepEqual(timeline.at(-1), { at: timeline.at(-1)!['at' as never], type: 'resolved', detail: { reason: 'fixed_elsewhere' } });
  });

  test('payments webhooks are recorded and open no case', async () => {
    const hook = freshSeedWebhook('payments-payment-intent-status');
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();
    const event = await t.database.db('events').where({ webhook_id: hook.webhook_id }).first();
    assert.equal(event!.state, 'done');
  });
});

describe('several workers over one database', () => {
  test('two workers racing over the same events handle each once: one case, one message', async () => {
    const other = createRuntime({ config: t.config, db: t.database.db, clock: t.clock, logger: createLogger({ write: () => {} }) });
    const linkIds = Array.from({ length: 5 }, () => randomUUID());
    const before = (await inbox()).length;
    for (const linkId of linkIds) {
      await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    }
    await Promise.all([t.worker.runOnce(), other.worker.runOnce(), t.worker.runOnce(), other.worker.runOnce()]);
    await Promise.all([t.worker.runOnce(), other.worker.runOnce()]);
    for (const linkId of linkIds) assert.equal((await casesOf(linkId)).length, 1);
    assert.equal((await inbox()).length - before, linkIds.length);
  });
});

describe('an event that cannot be processed', () => {
  test('is retried with backoff, then marked failed once its tries run out, without stopping the others', async () => {
    const hook = freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId: 'ana' });
    await postWebhook(t.app, hook).expect(202);
    // A row nobody can read, as after a bad manual edit: processing it throws.
    await t.database.db('events').where({ webhook_id: hook.webhook_id }).update({ payload: '{not json' });
    const next = freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId: 'ana' });
    await postWebhook(t.app, next).expect(202);

    await t.worker.runOnce();
    const broken = () => t.database.db('events').where({ webhook_id: hook.webhook_id }).first();
    let row = await broken();
    assert.equal(row!.state, 'pending');
    assert.equal(row!.attempts, 1);
    assert.ok(row!.available_at > t.clock.now(), 'the retry waits');
    assert.ok(row!.last_error);
    assert.equal((await t.database.db('events').where({ webhook_id: next.webhook_id }).first())!.state, 'done');

    for (let i = 0; i < 10 && row!.state !== 'failed'; i++) {
      t.clock.advance(3_600_000);
      await t.worker.runOnce();
      row = await broken();
    }
    assert.equal(row!.state, 'failed');
    assert.equal(row!.attempts, 6);
  });
});
