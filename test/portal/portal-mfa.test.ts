// The MFA step: a token (or a device approval) forwarded with PATCH /api/links/, and what happens
// when it is wrong or when the bank's session runs out. Every POST answers 303 to the case page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SANDBOX_MFA_TOKEN } from '../../server/sandbox/simulator-scenarios.ts';
import {
  csrfOf,
  postForm,
  roleText,
  startPortalTestApp,
  stateOf,
  type CreatedCase,
  type PortalTestApp,
} from '../support/portal-test-app.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp();
});
after(() => t.close());

/** A credentials case whose password Belvo met with a 428 of the given kind: the MFA page is showing. */
async function atMfaStep(password: 'mfa' | 'mfa-qr' | 'mfa-device' = 'mfa') {
  const created = await t.createCase();
  const agent = request.agent(t.app);
  const page = await agent.get(`/r/${created.token}`);
  const csrf = csrfOf(page.text);
  const { page: mfa } = await postForm(agent, `/r/${created.token}/password`, { _csrf: csrf, password });
  assert.equal(stateOf(mfa.text), 'mfa');
  const sendToken = async (fields: Record<string, string> = {}) =>
    (await postForm(agent, `/r/${created.token}/token`, { _csrf: csrf, ...fields })).page;
  return { ...created, agent, csrf, sendToken, mfaPage: mfa };
}

function patchCalls(linkId: string) {
  return t.belvo.simulator.calls.filter((c) => c.method === 'PATCH' && c.linkId === linkId);
}

async function caseRow(caseId: number) {
  return t.db('cases').where({ id: caseId }).first();
}

describe('the right token', () => {
  test('resolves the case with PATCH session, link and token', async () => {
    const { sendToken, caseId, linkId } = await atMfaStep();
    const res = await sendToken({ token: SANDBOX_MFA_TOKEN });
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'success');
    assert.equal((await caseRow(caseId))!.status, 'resolved');
    assert.deepEqual(patchCalls(linkId)[0]!.fields, ['link', 'session', 'token']);
  });

  test('typed with spaces, as phones group digits, is still accepted', async () => {
    const { sendToken } = await atMfaStep();
    const res = await sendToken({ token: '123 456' });
    assert.equal(stateOf(res.text), 'success');
  });
});

describe('a wrong token', () => {
  test('asks again on the MFA page with an alert, and the third refusal fails the case', async () => {
    const { sendToken, caseId } = await atMfaStep();
    const first = await sendToken({ token: '000000' });
    assert.equal(stateOf(first.text), 'mfa');
    assert.match(roleText(first.text, 'alert') ?? '', /no aceptó ese código.*Te quedan 2 intentos/);
    assert.match(first.text, /Use this code to generate the token/, 'the challenge is still shown');

    await sendToken({ token: '000001' });
    const third = await sendToken({ token: '000002' });
    assert.equal(stateOf(third.text), 'error');
    assert.equal((await caseRow(caseId))!.status, 'failed');
  });

  test('an empty token is caught before Belvo', async () => {
    const { sendToken, linkId } = await atMfaStep();
    const res = await sendToken({ token: ' ' });
    assert.equal(stateOf(res.text), 'mfa');
    assert.match(roleText(res.text, 'alert') ?? '', /Escribe el código/);
    assert.equal(patchCalls(linkId).length, 0);
  });
});

describe('approval on another device', () => {
  test('the page has no input and the button sends no token', async () => {
    const { agent, token, sendToken, linkId } = await atMfaStep('mfa-device');
    const page = await agent.get(`/r/${token}`);
    assert.doesNotMatch(page.text, /name="token"/);
    const res = await sendToken({ token: 'ignored' });
    assert.equal(stateOf(res.text), 'success');
    assert.deepEqual(patchCalls(linkId)[0]!.fields, ['link', 'session']);
  });
});

describe("when the bank's session runs out", () => {
  test('a submission after the expiry is not sent; the page says so and offers to start again', async () => {
    const { sendToken, agent, token, csrf, linkId, caseId } = await atMfaStep();
    t.clock.advance(721_000);
    const res = await sendToken({ token: SANDBOX_MFA_TOKEN });
    assert.equal(stateOf(res.text), 'expired');
    assert.match(res.text, new RegExp(`href="/r/${token}\\?step=password"`));
    assert.equal(patchCalls(linkId).length, 0);

    const restart = await agent.get(`/r/${token}?step=password`);
    assert.equal(stateOf(restart.text), 'password');
    const { page: again } = await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'mfa' });
    assert.equal(stateOf(again.text), 'mfa', 'a new 428 opens a new session');
    const details = JSON.parse((await caseRow(caseId))!.details);
    assert.ok(details.mfa.expiresAt > t.clock.now());
    const done = await sendToken({ token: SANDBOX_MFA_TOKEN });
    assert.equal(stateOf(done.text), 'success');
  });

  test('session_expired from Belvo clears the challenge and shows the start-again page', async () => {
    const created: CreatedCase = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 'f'.repeat(32), expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'numeric' } } },
    });
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${created.token}`)).text);
    const { page: res } = await postForm(agent, `/r/${created.token}/token`, { _csrf: csrf, token: SANDBOX_MFA_TOKEN });
    assert.equal(stateOf(res.text), 'expired');
    assert.match(res.text, /Se acabó el tiempo para confirmar que eres tú[\s\S]*Erebor México da solo unos minutos/);
    const row = await caseRow(created.caseId);
    assert.equal(JSON.parse(row!.details).mfa, undefined);
    assert.equal(row!.status, 'opened');
    assert.equal(stateOf((await agent.get(`/r/${created.token}`)).text), 'expired', 'a reload says it again');
    const page = await request(t.app).get(`/r/${created.token}`);
    assert.equal(stateOf(page.text), 'password', 'with the challenge gone, a fresh visit asks for the password');
  });
});

describe('a token post without a challenge', () => {
  test('is sent back to the page', async () => {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const res = await agent.post(`/r/${token}/token`).type('form').send({ _csrf: csrf, token: '123456' });
    assert.equal(res.status, 303);
  });
});

describe('the MFA page', () => {
  test('after a password typed in our form, our token form is the main way and the widget comes after it', async () => {
    const { mfaPage } = await atMfaStep();
    const html = mfaPage.text;
    const form = html.indexOf('action="/r/');
    const tokenForm = html.indexOf('/token"');
    const widget = html.indexOf('widget-offer');
    assert.ok(tokenForm > 0 && widget > tokenForm, 'the widget offer comes after the token form');
    assert.match(html, /<button type="submit" class="button primary">Confirmar<\/button>/);
    assert.match(html, /class="form widget-offer widget-offer-secondary"[\s\S]*?<button type="submit" class="button secondary">Continuar con Belvo/);
    assert.match(html, /¿Prefieres la ventana segura de Belvo\? Te pedirá otra vez tu contraseña\./);
    assert.doesNotMatch(html, /O escribe el código aquí/);
    assert.ok(form > 0);
  });

  test('an MFA case opened by a webhook offers the widget first, as for a password', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 's', expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'numeric', instructions: 'Usa tu token' } } },
    });
    const html = (await request(t.app).get(`/r/${token}`)).text;
    assert.ok(html.indexOf('widget-offer') < html.indexOf('/token"'));
    assert.match(html, /O escribe el código aquí:/);
    assert.match(html, /<figure class="bank-words"><figcaption>En palabras de Erebor México:<\/figcaption><blockquote><p>Usa tu token<\/p><\/blockquote><\/figure>/);
  });

  test('with nothing to type, no text asks to type a code: the line before the button speaks of approving', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'inputless', expects_user_input: false } } },
    });
    const html = (await request(t.app).get(`/r/${token}`)).text;
    assert.doesNotMatch(html, /name="token"/);
    assert.doesNotMatch(html, /escribe el código/i);
    assert.match(html, /O, cuando ya lo hayas aprobado, avísanos aquí:/);
    assert.match(html, /Ya lo aprobé/);
  });
});
