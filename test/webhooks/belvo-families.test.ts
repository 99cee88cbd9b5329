// Each family of webhooks Belvo sends, through the real app and worker: what the operator and the
// user see afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook, type SeedWebhookName } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' }).expect(201);
});
after(() => t.close());

async function send(seed: SeedWebhookName, options: { linkId?: string; externalId?: string } = {}, extra: Record<string, unknown> = {}) {
  const hook = { ...freshSeedWebhook(seed, options), ...extra };
  await postWebhook(t.app, hook).expect(202);
  await t.worker.runOnce();
  return hook;
}
const casesOf = async (linkId: string) => (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<Record<string, any>>;
const caseOf = async (id: unknown) => (await getApi(t.app, `/cases/${id}`)).body as Record<string, any>;
const inbox = () => t.database.db('dev_inbox').orderBy('id');

describe('aggregation data webhooks of every resource', () => {
  for (const seed of ['transactions-historical-update', 'owners-historical-update', 'bills-historical-update', 'investments-historical-update'] as const) {
    test(`${seed} for a link with an open credentials case resolves it as fixed elsewhere`, async () => {
      const linkId = randomUUID();
      await send('link-invalid-credentials', { linkId, externalId: 'ana' });
      await send(seed, { linkId });
      const [theCase] = await casesOf(linkId);
      assert.equal(theCase!['status'], 'resolved');
      assert.deepEqual((await caseOf(theCase!['id'])).timeline.at(-1).detail, { reason: 'fixed_elsewhere' });
    });
  }

  test('TRANSACTIONS historical_update resolves an MFA case too', async () => {
    const linkId = randomUUID();
    await send('link-token-required', { linkId, externalId: 'ana' });
    await send('transactions-historical-update', { linkId });
    assert.equal((await casesOf(linkId))[0]!['status'], 'resolved');
  });

  test('transactions_updated and transactions_deleted are recorded on the link and leave the case open', async () => {
    const linkId = randomUUID();
    await send('link-invalid-credentials', { linkId, externalId: 'ana' });
    const deleted = await send('transactions-deleted', { linkId });
    assert.equal((await casesOf(linkId))[0]!['status'], 'notified');
    const link = (await getApi(t.app, `/links/${linkId}`)).body.link;
    assert.deepEqual(link.data_events, [
      { webhook_type: 'TRANSACTIONS', webhook_code: 'transactions_deleted', webhook_id: deleted.webhook_id, received_at: new Date(t.clock.now()).toISOString(), data: {} },
    ]);
  });

  test('every resource is on the link, each with its last event and the counts its data held', async () => {
    const linkId = randomUUID();
    const transactions = await send('transactions-historical-update', { linkId });
    t.clock.advance(1000);
    await send('owners-historical-update', { linkId });
    const owners = await send('owners-new-owners-available', { linkId });
    await send('bills-new-bills-available', { linkId });
    const link = (await getApi(t.app, `/links/${linkId}`)).body.link;
    assert.equal(link.accounts, null, 'no ACCOUNTS event yet');
    const byType = Object.fromEntries((link.data_events as Array<Record<string, any>>).map((e) => [e['webhook_type'], e]));
    assert.deepEqual(Object.keys(byType), ['BILLS', 'OWNERS', 'TRANSACTIONS']);
    assert.equal(byType['TRANSACTIONS'].webhook_id, transactions.webhook_id);
    assert.deepEqual(byType['TRANSACTIONS'].data, {
      total_transactions: 19,
      total_inflow_transactions: 10,
      total_outflow_transactions: 9,
      first_transaction_date: '2023-01-03',
      last_transaction_date: '2024-01-03',
    });
    assert.equal(byType['OWNERS'].webhook_id, owners.webhook_id, 'the later event of a resource replaces the earlier');
    assert.deepEqual(byType['OWNERS'].data, { new_owners: 1 });
  });

  test('Belvo is asked for the account list after new_accounts_available only: not for other resources', async () => {
    const linkId = randomUUID();
    const calls = t.simulatorServer!.simulator.calls.length;
    await send('transactions-new-transactions-available', { linkId });
    await send('investments-new-investments-available', { linkId });
    await t.worker.runOnce();
    assert.equal(t.simulatorServer!.simulator.calls.length, calls);
    assert.equal(await t.database.db('account_fetches').where({ link_id: linkId }).first(), undefined);
  });
});

describe('payments CHARGES', () => {
  test('OBJECT_CREATED with data null, then SCHEDULED, SUCCEEDED and a late SCHEDULED: the charge shows SUCCEEDED', async () => {
    const objectId = randomUUID();
    await send('payments-charge-created', {}, { object_id: objectId });
    const status = (s: string) => send('payments-charge-succeeded', {}, { object_id: objectId, data: { status: s } });
    await status('SCHEDULED');
    await status('SUCCEEDED');
    await status('SCHEDULED');
    const [charge] = (await getApi(t.app, `/payments/${objectId}`)).body.payments as Array<Record<string, unknown>>;
    assert.equal(charge!['object_type'], 'CHARGES');
    assert.equal(charge!['status'], 'SUCCEEDED');
    assert.equal(charge!['events'], 4);
  });

  test('a FAILED charge keeps its failure code and message', async () => {
    const hook = await send('payments-charge-failed', {}, { object_id: randomUUID() });
    const [charge] = (await getApi(t.app, `/payments/${hook.object_id}`)).body.payments as Array<Record<string, unknown>>;
    assert.deepEqual([charge!['status'], charge!['failure_code'], charge!['failure_message']], [
      'FAILED',
      'consent_expired',
      'The payment consent was not accepted in time.',
    ]);
  });
});

describe('token_required without a hint', () => {
  for (const seed of ['link-token-required-null-generation-data', 'link-token-required-null-value'] as const) {
    test(`${seed}: an MFA case opens, the user is messaged, and the page asks for the token`, async () => {
      const linkId = randomUUID();
      const before = (await inbox()).length;
      await send(seed, { linkId, externalId: 'ana' });
      const [theCase] = await casesOf(linkId);
      assert.equal(theCase!['kind'], 'mfa');
      assert.equal(theCase!['status'], 'notified');
      const stored = JSON.parse((await t.database.db('cases').where({ id: theCase!['id'] }).first())!.details);
      assert.equal(stored.mfa.session.length, 32);
      assert.equal(stored.mfa.tokenGenerationData?.value, undefined);
      const messages = (await inbox()).slice(before);
      assert.equal(messages.length, 1);
      const path = /\/r\/[A-Za-z0-9_-]{35}/.exec(messages[0]!.text)![0];
      const page = await request(t.app).get(path);
      assert.equal(page.status, 200);
      assert.match(page.text, /<main[^>]*data-state="mfa"/);
      assert.match(page.text, /<input[^>]*name="token"/);
    });
  }
});

describe('consent codes', () => {
  test('consent_expired opens the case openfinance_consent_expired opens, and messages the user', async () => {
    const linkId = randomUUID();
    const before = (await inbox()).length;
    await send('consent-expired-short-code', { linkId, externalId: 'ana' });
    const [theCase] = await casesOf(linkId);
    assert.equal(theCase!['kind'], 'consent');
    const stored = JSON.parse((await t.database.db('cases').where({ id: theCase!['id'] }).first())!.details);
    assert.equal(stored.consent.webhookCode, 'openfinance_consent_expired');
    assert.equal((await inbox()).length - before, 1);
    await send('consent-expired', { linkId, externalId: 'ana' });
    assert.equal((await casesOf(linkId)).length, 1, 'both spellings are one problem: one case');
  });

  test('openfinance_consent_expiration_changed without an open consent case is recorded, nothing opens', async () => {
    const linkId = randomUUID();
    const hook = await send('consent-expiration-changed', { linkId, externalId: 'ana' });
    assert.deepEqual(await casesOf(linkId), []);
    assert.equal((await t.database.db('events').where({ webhook_id: hook.webhook_id }).first())!.state, 'done');
  });
});
