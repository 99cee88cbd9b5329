import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await putUser(t.app, 'bia', { email: 'bia@example.com' });
});
after(() => t.close());

async function onlyCase(linkId: string) {
  const cases = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<Record<string, unknown>>;
  assert.equal(cases.length, 1);
  return cases[0]!;
}

test('a link the operator never registered gets its institution from Belvo, and the message speaks its language', async () => {
  const linkId = randomUUID();
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  assert.equal((await onlyCase(linkId))['institution'], 'erebor_mx_retail');
  const [get] = t.simulatorServer!.simulator.calls.filter((c) => c.linkId === linkId);
  assert.equal(get!.method, 'GET');
  const mail = await t.database.db('dev_inbox').where({ recipient: 'bia@example.com' }).orderBy('id', 'desc').first();
  assert.match(mail!.subject ?? '', /conexión/);
});

test('a registered institution is used without asking Belvo', async () => {
  const linkId = randomUUID();
  await putLink(t.app, linkId, { external_id: 'bia', institution: 'ofmockbank_br_retail' }).expect(201);
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  assert.equal((await onlyCase(linkId))['institution'], 'ofmockbank_br_retail');
  assert.equal(t.simulatorServer!.simulator.calls.filter((c) => c.linkId === linkId).length, 0);
});

test('when Belvo cannot say, the case opens all the same, without an institution', async () => {
  const linkId = randomUUID();
  t.simulatorServer!.simulator.answerNext({ status: 500, code: 'unexpected_error' });
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  const theCase = await onlyCase(linkId);
  assert.equal(theCase['institution'], null);
  assert.equal(theCase['status'], 'notified');
});

test('after Belvo fails a lookup, no lookup is tried for a minute, then they resume', async () => {
  const calls = () => t.simulatorServer!.simulator.calls.filter((c) => c.method === 'GET').length;
  t.clock.advance(120_000);
  t.simulatorServer!.simulator.answerNext({ status: 503, code: 'unexpected_error' });
  const first = randomUUID();
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId: first, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  const afterFailure = calls();

  const second = randomUUID();
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId: second, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  assert.equal(calls(), afterFailure, 'no lookup within the pause');
  assert.equal((await onlyCase(second))['institution'], null);

  t.clock.advance(61_000);
  const third = randomUUID();
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId: third, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  assert.equal((await onlyCase(third))['institution'], 'erebor_mx_retail');
});
