import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { recordLinkData } from '../../server/link-data/link-data-repository.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' });
});
after(() => t.close());

const simulator = () => t.simulatorServer!.simulator;
const linkView = async (linkId: string) => {
  const res = await getApi(t.app, `/links/${linkId}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.link as Record<string, any>;
};

describe('ACCOUNTS webhooks on the link', () => {
  test('new_accounts_available is recorded on the link, and the account list read from Belvo shows its count and ids', async () => {
    const linkId = randomUUID();
    simulator().setAccountCount(linkId, 130);
    const hook = freshSeedWebhook('accounts-new-accounts-available', { linkId });
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();

    const link = await linkView(linkId);
    assert.equal(link.link_id, linkId);
    assert.equal(link.external_id, null, 'never registered by the operator');
    assert.deepEqual(link.accounts.last_event, {
      webhook_code: 'new_accounts_available',
      webhook_id: hook.webhook_id,
      received_at: new Date(t.clock.now()).toISOString(),
      total_accounts: null,
      new_accounts: 1,
    });
    const expected = (await t.belvo.listAccounts(linkId)).map((a) => a.id);
    assert.equal(link.accounts.count, 130);
    assert.deepEqual(link.accounts.account_ids, expected);
    assert.equal(link.accounts.fetched_at, new Date(t.clock.now()).toISOString());
    assert.equal(link.accounts.fetch.state, 'done');
    assert.equal(link.accounts.fetch.attempts, 1);
  });

  test('historical_update is recorded with its total and asks Belvo for nothing', async () => {
    const linkId = randomUUID();
    const callsBefore = simulator().calls.length;
    await postWebhook(t.app, freshSeedWebhook('accounts-historical-update', { linkId })).expect(202);
    await t.worker.runOnce();
    const link = await linkView(linkId);
    assert.equal(link.accounts.last_event.webhook_code, 'historical_update');
    assert.equal(link.accounts.last_event.total_accounts, 5);
    assert.equal(link.accounts.count, null);
    assert.equal(link.accounts.fetch, null);
    assert.equal(simulator().calls.length, callsBefore);
  });

  test('two new_accounts_available before the worker runs make one account fetch', async () => {
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    await t.worker.runOnce();
    const fetches = await t.database.db('account_fetches').where({ link_id: linkId });
    assert.equal(fetches.length, 1);
    assert.equal(fetches[0]?.state, 'done');
  });

  test('a Belvo failure is retried with backoff, and the operator sees the wait and the error meanwhile', async () => {
    const linkId = randomUUID();
    simulator().setAccountCount(linkId, 2);
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    simulator().answerNext({ status: 503, code: 'service_unavailable' });
    await t.worker.runOnce();

    let link = await linkView(linkId);
    assert.equal(link.accounts.count, null);
    assert.equal(link.accounts.fetch.state, 'pending');
    assert.equal(link.accounts.fetch.attempts, 1);
    assert.match(link.accounts.fetch.last_error, /503 service_unavailable/);
    const retryAt = Date.parse(link.accounts.fetch.next_try_at);
    // Default policy, first retry: 30 s ceiling with equal jitter (the test app pins random at 0.5).
    assert.equal(retryAt - t.clock.now(), 22_500);

    await t.worker.runOnce();
    assert.equal((await linkView(linkId)).accounts.fetch.state, 'pending', 'not before its time');

    t.clock.set(retryAt);
    await t.worker.runOnce();
    link = await linkView(linkId);
    assert.equal(link.accounts.fetch.state, 'done');
    assert.equal(link.accounts.fetch.attempts, 2);
    assert.equal(link.accounts.count, 2);
  });

  test('a refusal that will not pass (401) is not retried: the fetch fails and says why', async () => {
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    simulator().answerNext({ status: 401, code: 'authentication_failed' });
    await t.worker.runOnce();
    const link = await linkView(linkId);
    assert.equal(link.accounts.fetch.state, 'failed');
    assert.match(link.accounts.fetch.last_error, /401 authentication_failed/);
    assert.equal(link.accounts.fetch.next_try_at, null);
  });

  test('an ACCOUNTS webhook still closes the link\'s open case', async () => {
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    await t.worker.runOnce();
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    await t.worker.runOnce();
    const cases = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ status: string }>;
    assert.deepEqual(cases.map((c) => c.status), ['resolved']);
    assert.ok((await linkView(linkId)).accounts.count !== null);
  });

  test('an earlier event recorded after a later one leaves the later one on the link', async () => {
    const linkId = randomUUID();
    const at = t.clock.now();
    const activity = { linkId, resource: 'ACCOUNTS', fetchAccounts: false } as const;
    await t.database.db.transaction((trx) =>
      recordLinkData(trx, { ...activity, webhookId: 'later', code: 'historical_update', at: at + 1000, summary: { total_accounts: 7 } }, at),
    );
    await t.database.db.transaction((trx) =>
      recordLinkData(trx, { ...activity, webhookId: 'earlier', code: 'new_accounts_available', at, summary: { new_accounts: 1 } }, at),
    );
    const link = await linkView(linkId);
    assert.equal(link.accounts.last_event.webhook_id, 'later');
    assert.equal(link.accounts.last_event.total_accounts, 7);
  });
});

describe('GET /api/links/:linkId', () => {
  test('a registered link without ACCOUNTS events shows its registration and no accounts', async () => {
    const linkId = randomUUID();
    await putLink(t.app, linkId, { external_id: 'ana', institution: 'erebor_mx_retail' }).expect(201);
    const link = await linkView(linkId);
    assert.equal(link.external_id, 'ana');
    assert.equal(link.institution, 'erebor_mx_retail');
    assert.equal(link.accounts, null);
  });

  test('an unknown link is 404, a malformed id 400 naming the field, and no key 401', async () => {
    const unknown = await getApi(t.app, `/links/${randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    const bad = await getApi(t.app, '/links/not_a_link!');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'linkId');
    const anonymous = await request(t.app).get(`/api/links/${randomUUID()}`);
    assert.equal(anonymous.status, 401);
  });
});
