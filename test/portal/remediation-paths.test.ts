// REMEDIATION_PATHS: the operator chooses what a credentials or MFA page offers, Belvo's Connect
// widget, our own form, or both; the path not offered is refused, not just hidden.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfOf, startPortalTestApp, type PortalTestApp } from '../support/portal-test-app.ts';
import { tokenCalls } from '../support/widget-journey.ts';

const MFA = { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'numeric' } } };

function linkCalls(t: PortalTestApp) {
  return t.belvo.simulator.calls.filter((c) => c.path.startsWith('/api/links')).length;
}

describe('REMEDIATION_PATHS=form', () => {
  let t: PortalTestApp;
  before(async () => {
    t = await startPortalTestApp({ env: { REMEDIATION_PATHS: 'form' } });
  });
  after(() => t.close());

  test('the pages offer only our own form', async () => {
    const password = await request(t.app).get(`/r/${(await t.createCase()).token}`);
    const mfa = await request(t.app).get(`/r/${(await t.createCase({ kind: 'mfa', details: MFA })).token}`);
    for (const page of [password.text, mfa.text]) {
      assert.doesNotMatch(page, /widget-offer|Continuar con Belvo/);
      assert.match(page, /name="(password|token)"/);
      assert.match(page, /<button type="submit" class="button primary">(Reconectar|Confirmar)</);
    }
  });

  test('a POST to the widget is refused without asking Belvo for a token', async () => {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const res = await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers['location'], `/r/${token}`);
    assert.equal(tokenCalls(t).length, 0);
  });
});

describe('REMEDIATION_PATHS=widget', () => {
  let t: PortalTestApp;
  before(async () => {
    t = await startPortalTestApp({ env: { REMEDIATION_PATHS: 'widget' } });
  });
  after(() => t.close());

  test('the pages offer only "Continue with Belvo"', async () => {
    const password = await request(t.app).get(`/r/${(await t.createCase()).token}`);
    const mfa = await request(t.app).get(`/r/${(await t.createCase({ kind: 'mfa', details: MFA })).token}`);
    for (const page of [password.text, mfa.text]) {
      assert.match(page, /Continuar con Belvo/);
      assert.doesNotMatch(page, /name="(password|token)"/);
      assert.doesNotMatch(page, /O escribe/);
    }
  });

  test('our own form is refused without a call to Belvo', async () => {
    const { token, caseId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const before = linkCalls(t);
    for (const path of ['password', 'token']) {
      const res = await agent.post(`/r/${token}/${path}`).type('form').send({ _csrf: csrf, password: 'x', token: '1' });
      assert.equal(res.status, 303);
    }
    assert.equal(linkCalls(t), before);
    assert.equal((await t.db('cases').where({ id: caseId }).first())!.status, 'notified');
  });
});

describe('REMEDIATION_PATHS by default', () => {
  let t: PortalTestApp;
  before(async () => {
    t = await startPortalTestApp();
  });
  after(() => t.close());

  test('both: the widget first, then "or type it here" and our form', async () => {
    const password = (await request(t.app).get(`/r/${(await t.createCase()).token}`)).text;
    const mfa = (await request(t.app).get(`/r/${(await t.createCase({ kind: 'mfa', details: MFA })).token}`)).text;
    assert.ok(password.indexOf('Continuar con Belvo') < password.indexOf('O escribe tu nueva contraseña aquí'));
    assert.ok(password.indexOf('O escribe tu nueva contraseña aquí') < password.indexOf('name="password"'));
    assert.match(mfa, /Continuar con Belvo[\s\S]*O escribe el código aquí[\s\S]*name="token"/);
  });

  test('both: the widget\'s button is the one primary action, our form\'s submit is outlined', async () => {
    const password = (await request(t.app).get(`/r/${(await t.createCase()).token}`)).text;
    const mfa = (await request(t.app).get(`/r/${(await t.createCase({ kind: 'mfa', details: MFA })).token}`)).text;
    for (const [page, submit] of [[password, 'Reconectar'], [mfa, 'Confirmar']] as const) {
      assert.deepEqual(page.match(/class="button primary">[^<]*/g), ['class="button primary">Continuar con Belvo']);
      assert.match(page, new RegExp(`<button type="submit" class="button secondary">${submit}<`));
    }
  });
});
