// End to end, from Belvo's webhook to the page and back: the answers after which a case can never
// succeed end it (and its reminders), and the bank has one name in the message and on the page.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { csrfOf, postForm, stateOf } from '../support/portal-test-app.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;

let t: TestApp;
afterEach(() => t?.close());

async function inbox() {
  return (await t.database.db('dev_inbox').orderBy('id')) as Array<{ text: string; subject: string | null }>;
}

const linkOf = (text: string) => /\/r\/[A-Za-z0-9_-]{35}/.exec(text)![0];

/** A credentials case messaged to its user: the portal path from the dev inbox. */
async function messagedCase(): Promise<{ path: string; caseId: number }> {
  t = await startTestApp();
  const linkId = randomUUID();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' }).expect(201);
  await putLink(t.app, linkId, { external_id: 'ana', institution: 'erebor_mx_retail', institution_display_name: 'Erebor' }).expect(201);
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
  await t.worker.runOnce();
  const [message] = await inbox();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return { path: linkOf(message!.text), caseId: theCase!.id };
}

describe('an answer after which the case can never succeed', () => {
  for (const [password, code, words] of [
    ['inactive', 'institution_inactive', /Erebor ya no se puede conectar/],
    ['invalid-link', 'invalid_link', /Esta conexión no se puede arreglar desde esta página/],
    ['unconfirmed-link', 'unconfirmed_link', /Esta conexión no se puede arreglar desde esta página/],
  ] as const) {
    test(`${code}: the case fails with it as the reason, the page says what to do instead, and no reminder follows`, async () => {
      const { path, caseId } = await messagedCase();
      const agent = request.agent(t.app);
      const csrf = csrfOf((await agent.get(path)).text);
      const { page } = await postForm(agent, `${path}/password`, { _csrf: csrf, password });
      assert.equal(stateOf(page.text), 'error');
      assert.match(page.text, words);
      assert.match(page.text, /<section class="support support-main"/, "support is the way forward");

      const api = (await getApi(t.app, `/cases/${caseId}`)).body as { status: string; timeline: Array<{ type: string; detail: unknown }> };
      assert.equal(api.status, 'failed');
      assert.deepEqual(api.timeline.find((e) => e.type === 'failed')?.detail, { reason: code });
      const warned = t.logs.map((line) => JSON.parse(line)).find((l) => l.code === code && l.case_id === caseId);
      assert.equal(warned?.level, 'warn', 'the operator is told');

      const sent = (await inbox()).length;
      for (const hours of [25, 73, 24 * 8]) {
        t.clock.set(t.clock.now() + hours * HOUR);
        await t.worker.runOnce();
      }
      assert.equal((await inbox()).length, sent, 'no reminder for a failed case');
      assert.equal((await request(t.app).get(path)).status, 410);
    });
  }
});

describe('the bank\'s name', () => {
  test('is the webhook\'s institution_display_name in the message and on the page, over the operator\'s registration', async () => {
    t = await startTestApp();
    const linkId = randomUUID();
    await putUser(t.app, 'bia', { email: 'bia@example.com', locale: 'pt-BR' }).expect(201);
    await putLink(t.app, linkId, { external_id: 'bia', institution: 'ofmockbank_br_retail', institution_display_name: 'Mockbank (cadastro)' }).expect(201);
    const webhook = freshSeedWebhook('consent-about-to-expire', { linkId });
    await postWebhook(t.app, { ...webhook, external_id: 'bia' }).expect(202);
    await t.worker.runOnce();
    const [message] = await inbox();
    assert.match(`${message!.subject} ${message!.text}`, /OF Mockbank/);
    assert.doesNotMatch(`${message!.subject} ${message!.text}`, /cadastro/);
    const page = await request(t.app).get(linkOf(message!.text));
    assert.match(page.text, /OF Mockbank/);
    assert.doesNotMatch(page.text, /cadastro/);
  });
});
