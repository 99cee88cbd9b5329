// Post/Redirect/Get, and a page view that stores nothing: every form POST under /r answers 303 to
// the page that shows its result, which waits in a session born with that first POST; a GET with
// no cookie (a mail scanner's prefetch) writes no row in any table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { isCurrent, type PortalResult } from '../../server/portal/portal-result.ts';
import { aCase, T0 } from '../support/records.ts';
import { csrfOf, postForm, startPortalTestApp, stateOf, type PortalTestApp } from '../support/portal-test-app.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp({ limits: { perIp: { limit: 1_000, windowMs: 60_000 } } });
});
after(() => t.close());

const TABLES = ['users', 'links', 'events', 'cases', 'case_timeline', 'outbox', 'dev_inbox', 'sessions', 'rate_limits'];
const everyRow = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await t.db(table).select()])));
const sessionCount = async () => (await t.db('sessions').select()).length;

describe('a page view with no cookie', () => {
  const kinds = [
    ['a password page', () => t.createCase()],
    ['an MFA page', () => t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'numeric' } } } })],
    ['a consent page', () => t.createCase({ kind: 'consent', details: { consent: { consentId: 'c', webhookCode: 'openfinance_consent_expired', dueDate: null, institutionDisplayName: null, institutionLogo: null, message: null } } })],
    ['a closed case', () => t.createCase({ status: 'resolved' })],
  ] as const;
  for (const [name, create] of kinds) {
    test(`of ${name} writes no row in any table`, async () => {
      const { token, expiredToken } = await create();
      const before = await everyRow();
      for (const path of [`/r/${token}`, `/r/${expiredToken}`, `/r/${token}?step=password`]) {
        const res = await request(t.app).get(path);
        assert.ok([200, 410].includes(res.status), `${path}: ${res.status}`);
        assert.doesNotMatch(String(res.headers['set-cookie'] ?? ''), /relink\.sid/, 'no session cookie');
      }
      assert.deepEqual(await everyRow(), before);
    });
  }
});

describe('the first POST', () => {
  test('starts the session; the next POSTs of the same browser use it', async () => {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const before = await sessionCount();
    await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'wrong-1' });
    assert.equal(await sessionCount(), before + 1);
    await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'wrong-2' });
    assert.equal(await sessionCount(), before + 1);
  });

  test('a result is shown only to the browser that posted: another one sees the case as it stands', async () => {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const { page } = await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'wrong' });
    assert.match(page.text, /role="alert"/);
    assert.doesNotMatch((await request(t.app).get(`/r/${token}`)).text, /role="alert"/);
  });

  test('a result older than half an hour is no longer shown', async () => {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'wrong' });
    t.clock.advance(31 * 60_000);
    const later = await agent.get(`/r/${token}`);
    assert.equal(stateOf(later.text), 'password');
    assert.doesNotMatch(later.text, /role="alert"/);
  });
});

describe('every form POST under /r answers 303 to a page', () => {
  const WITH_CPF = { email: 'br@example.com', name: 'Ana Souza', document: { type: 'CPF' as const, number: '52998224725' } };
  const consent = (webhookCode: string) => ({
    consent: { consentId: 'c-1', webhookCode, dueDate: null, institutionDisplayName: 'OF Mockbank', institutionLogo: null, message: null },
  });
  const forms: Array<[string, () => ReturnType<PortalTestApp['createCase']>, string, Record<string, string>]> = [
    ['password', () => t.createCase(), 'password', { password: 'fine' }],
    ['token', () => t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: {} } } }), 'token', { token: '1' }],
    ['widget', () => t.createCase(), 'widget', {}],
    ['renew', () => t.createCase({ kind: 'consent', user: WITH_CPF, details: consent('openfinance_consent_expired') }), 'renew', {}],
    ['reconnect', () => t.createCase({ kind: 'consent', user: WITH_CPF, details: consent('openfinance_consent_with_unrecoverable_resources') }), 'widget', {}],
  ];
  for (const [name, create, action, fields] of forms) {
    test(name, async () => {
      const { token } = await create();
      const agent = request.agent(t.app);
      const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
      const res = await agent.post(`/r/${token}/${action}`).type('form').send({ _csrf: csrf, ...fields });
      assert.equal(res.status, 303);
    });
  }

  test('new-link, from an expired link', async () => {
    const { expiredToken } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${expiredToken}`)).text);
    const res = await agent.post(`/r/${expiredToken}/new-link`).type('form').send({ _csrf: csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], `/r/${expiredToken}`);
  });

  test('a POST with a wrong CSRF token is answered 403 directly, and nothing else happens', async () => {
    const { token, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const res = await agent.post(`/r/${token}/password`).type('form').send({ _csrf: `${csrf.slice(0, -2)}AA`, password: 'fine' });
    assert.equal(res.status, 403);
    assert.equal(stateOf(res.text), 'error');
    assert.equal(t.belvo.simulator.calls.filter((c) => c.linkId === linkId).length, 0);
  });
});

describe('whether a result still describes the case', () => {
  const cases: Array<[string, PortalResult, Parameters<typeof aCase>[0], boolean]> = [
    ['an alert on the password step, case open', { kind: 'ask', step: 'password', alert: 'wrongPassword', triesLeft: 2 }, {}, true],
    ['an alert on the password step, once a webhook opened an MFA step', { kind: 'ask', step: 'password', alert: 'wrongPassword' }, { details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: null } } }, false],
    ['an alert on the MFA step after the bank\'s session ran out', { kind: 'ask', step: 'mfa', alert: 'wrongToken' }, { details: { mfa: { session: 's', expiresAt: T0 - 1, tokenGenerationData: null } } }, false],
    ['success, the case resolved', { kind: 'notice', state: 'success', notice: 'resolved' }, { status: 'resolved' }, true],
    ['success, but the case was reopened', { kind: 'notice', state: 'success', notice: 'resolved' }, {}, false],
    ['a final failure, the case failed', { kind: 'notice', state: 'error', notice: 'institutionInactive' }, { status: 'failed' }, true],
    ['try later, before the time', { kind: 'notice', state: 'error', notice: 'institutionDown', retryAt: T0 + 1 }, {}, true],
    ['try later, once the time has come', { kind: 'notice', state: 'error', notice: 'institutionDown', retryAt: T0 }, {}, false],
    ['try later, the case closed meanwhile', { kind: 'notice', state: 'error', notice: 'serviceError', retryAt: T0 + 1 }, { status: 'resolved' }, false],
  ];
  for (const [name, result, overrides, expected] of cases) {
    test(`${name}: ${expected ? 'shown' : 'not shown'}`, () => {
      assert.equal(isCurrent(result, aCase(overrides), T0), expected);
    });
  }
});
