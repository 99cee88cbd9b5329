// Ids that arrive in webhooks and are not Belvo's (UUIDs): recorded for the operator, and Belvo is
// never called with them. The Belvo simulator on loopback records every request it gets.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import { InvalidBelvoIdError } from '../../server/belvo/belvo-types.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const ODD_IDS = ['${7*7}', '%00', '../../api/token', 'l-1', `${randomUUID()}x`];

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' }).expect(201);
});
after(() => t.close());

const simulatorCalls = () => t.simulatorServer!.simulator.calls;

describe('a webhook naming a link id that is not a Belvo id', () => {
  for (const linkId of ODD_IDS) {
    test(`${JSON.stringify(linkId)}: its case is failed at once and visible, nobody is messaged, Belvo is never called`, async () => {
      const callsBefore = simulatorCalls().length;
      const inboxBefore = (await t.database.db('dev_inbox')).length;
      for (const seed of ['link-invalid-credentials', 'link-token-required', 'consent-expired'] as const) {
        await postWebhook(t.app, freshSeedWebhook(seed, { linkId, externalId: 'ana' })).expect(202);
      }
      await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
      await t.worker.runOnce();
      await t.worker.runOnce();

      assert.equal(simulatorCalls().length, callsBefore, JSON.stringify(simulatorCalls().slice(callsBefore)));
      assert.equal((await t.database.db('dev_inbox')).length, inboxBefore, 'nobody is messaged');
      assert.equal(await t.database.db('account_fetches').where({ link_id: linkId }).first(), undefined);

      const failed = ((await getApi(t.app, '/cases?status=failed&limit=200')).body.cases as Array<Record<string, any>>).filter(
        (c) => c['link_id'] === linkId,
      );
      assert.deepEqual(failed.map((c) => c['kind']).sort(), ['consent', 'credentials', 'mfa']);
      for (const c of failed) {
        assert.ok(c['closed_at'], 'closed from the start');
        const timeline = (await getApi(t.app, `/cases/${c['id']}`)).body.timeline as Array<{ type: string; detail: unknown }>;
        assert.deepEqual(timeline.map((e) => e.type), ['event_received', 'failed']);
        assert.deepEqual(timeline[1]!.detail, { reason: 'invalid_link_id' });
      }
      assert.ok(
        t.logs.some((line) => line.includes('not a Belvo id') && line.includes(JSON.stringify(linkId).slice(1, -1))),
        'the log names the id for the operator',
      );
    });
  }

  test('an odd object_id is recorded on its payment object as received', async () => {
    const hook = { ...freshSeedWebhook('payments-charge-failed'), object_id: 'not-a-uuid' };
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();
    const [charge] = (await getApi(t.app, '/payments/not-a-uuid')).body.payments as Array<Record<string, unknown>>;
    assert.equal(charge!['status'], 'FAILED');
    assert.ok(t.logs.some((line) => line.includes('object id that is not a Belvo id')));
  });
});

describe('the Belvo client refuses an odd id before any request', () => {
  const client = () =>
    createBelvoClient({
      apiUrl: t.simulatorServer!.url,
      secretId: t.simulatorServer!.secretId,
      secretPassword: t.simulatorServer!.secretPassword,
      timeoutMs: 1000,
    });
  const callbacks = { success: 'https://x.example/s', exit: 'https://x.example/e', event: 'https://x.example/v' };

  for (const linkId of ODD_IDS) {
    test(`${JSON.stringify(linkId)}: every call that names a link`, async () => {
      const belvo = client();
      const before = simulatorCalls().length;
      const attempts = [
        belvo.getLink(linkId),
        belvo.updateLinkCredentials(linkId, { password: 'secret' }),
        belvo.completeLinkRequest({ linkId, session: 's', token: '123456' }),
        belvo.listAccounts(linkId),
        belvo.createWidgetToken({ kind: 'update', linkId, callbackUrls: callbacks }),
      ];
      for (const attempt of attempts) await assert.rejects(attempt, InvalidBelvoIdError);
      assert.equal(simulatorCalls().length, before);
    });
  }

  test('a Belvo id goes into the path percent-encoded and reaches the simulator as sent', async () => {
    const linkId = randomUUID();
    await client().getLink(linkId);
    assert.equal(simulatorCalls().at(-1)!.linkId, linkId);
  });
});
