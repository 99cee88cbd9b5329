// Which consent webhooks message the user is the operator's choice (CONSENT_CODES_TO_NOTIFY);
// every consent webhook is recorded on a case either way, and a later data webhook closes it unless
// the consent is only about to expire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const TEMPORARY = 'openfinance_consent_with_temporarily_unavailable_resources';

describe('CONSENT_CODES_TO_NOTIFY and REMEDIATION_PATHS are read at start-up', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'relink-consent-config-'));

  test('by default three consent codes message the user, and pages offer both the widget and the form', () => {
    const config = loadConfig({ DATA_DIR: dir() });
    assert.deepEqual(config.consentCodesToNotify, [
      'openfinance_consent_about_to_expire',
      'openfinance_consent_expired',
      'openfinance_consent_with_unrecoverable_resources',
    ]);
    assert.deepEqual(config.remediationPaths, ['widget', 'form']);
  });

  test('lists are read as given; "none" turns every consent message off', () => {
    const config = loadConfig({ DATA_DIR: dir(), CONSENT_CODES_TO_NOTIFY: `openfinance_consent_expired, ${TEMPORARY}`, REMEDIATION_PATHS: 'widget' });
    assert.deepEqual(config.consentCodesToNotify, ['openfinance_consent_expired', TEMPORARY]);
    assert.deepEqual(config.remediationPaths, ['widget']);
    assert.deepEqual(loadConfig({ DATA_DIR: dir(), CONSENT_CODES_TO_NOTIFY: 'none' }).consentCodesToNotify, []);
  });

  test('an unknown word stops the start and names the variable', () => {
    assert.throws(() => loadConfig({ DATA_DIR: dir(), REMEDIATION_PATHS: 'widget,phone' }), (e: Error) => e instanceof ConfigError && /REMEDIATION_PATHS/.test(e.message));
    assert.throws(() => loadConfig({ DATA_DIR: dir(), REMEDIATION_PATHS: 'none' }), /REMEDIATION_PATHS/);
    assert.throws(() => loadConfig({ DATA_DIR: dir(), CONSENT_CODES_TO_NOTIFY: 'consent_revoked' }), /CONSENT_CODES_TO_NOTIFY/);
  });

  test('consent_expired is read as openfinance_consent_expired, the one spelling the rest of the portal knows', () => {
    assert.deepEqual(loadConfig({ DATA_DIR: dir(), CONSENT_CODES_TO_NOTIFY: 'consent_expired' }).consentCodesToNotify, ['openfinance_consent_expired']);
  });
});

async function consentCaseAfter(t: TestApp, seed: Parameters<typeof freshSeedWebhook>[0]) {
  const linkId = randomUUID();
  const before = await t.database.db('outbox').count({ n: '*' }).first();
  await postWebhook(t.app, freshSeedWebhook(seed, { linkId, externalId: 'bia' })).expect(202);
  await t.worker.runOnce();
  const after = await t.database.db('outbox').count({ n: '*' }).first();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<Record<string, unknown>>;
  return { linkId, theCase: theCase!, messages: Number(after!['n']) - Number(before!['n']) };
}

describe('consent webhooks end to end', () => {
  let byDefault: TestApp;
  let configured: TestApp;
  before(async () => {
    byDefault = await startTestApp();
    configured = await startTestApp({ env: { CONSENT_CODES_TO_NOTIFY: TEMPORARY } });
    for (const t of [byDefault, configured]) await putUser(t.app, 'bia', { email: 'bia@example.com', locale: 'pt-BR' }).expect(201);
  });
  after(async () => {
    await byDefault.close();
    await configured.close();
  });

  test('temporarily unavailable resources: recorded on a case, no message by default', async () => {
    const { theCase, messages } = await consentCaseAfter(byDefault, 'consent-temporarily-unavailable');
    assert.equal(theCase['kind'], 'consent');
    assert.equal(messages, 0);
  });

  test('temporarily unavailable resources message the user when the operator lists the code', async () => {
    const { messages } = await consentCaseAfter(configured, 'consent-temporarily-unavailable');
    assert.equal(messages, 1);
  });

  test('a code the operator left out of the list is recorded without a message', async () => {
    const { theCase, messages } = await consentCaseAfter(configured, 'consent-about-to-expire');
    assert.equal(theCase['kind'], 'consent');
    assert.equal(messages, 0);
  });

  test('a later ACCOUNTS webhook for the link closes an expired consent\'s case: data flows again', async () => {
    const { linkId, theCase } = await consentCaseAfter(byDefault, 'consent-expired');
    await postWebhook(byDefault.app, freshSeedWebhook('accounts-historical-update', { linkId })).expect(202);
    await byDefault.worker.runOnce();
    const closed = (await getApi(byDefault.app, `/cases/${theCase['id']}`)).body;
    assert.equal(closed.status, 'resolved');
    assert.deepEqual(closed.timeline.at(-1).detail, { reason: 'fixed_elsewhere' });
  });

  test('but not a consent about to expire: it still works until its date, and still needs renewing', async () => {
    const { linkId, theCase } = await consentCaseAfter(byDefault, 'consent-about-to-expire');
    await postWebhook(byDefault.app, freshSeedWebhook('accounts-historical-update', { linkId })).expect(202);
    await byDefault.worker.runOnce();
    assert.equal((await getApi(byDefault.app, `/cases/${theCase['id']}`)).body.status, 'notified');
  });
});
