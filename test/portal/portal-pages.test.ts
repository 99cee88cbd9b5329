// What a person sees on GET /r/:token for every kind and state of case, and that looking changes nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import {
  caseSnapshot,
  csrfOf,
  HOUR,
  startPortalTestApp,
  stateOf,
  timelineTypes,
  type PortalTestApp,
} from '../support/portal-test-app.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp();
});
after(() => t.close());

describe('links that do not open a case', () => {
  test('a tampered token answers 404 with the invalid page and calls nobody', async () => {
    const { token } = await t.createCase();
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const res = await request(t.app).get(`/r/${tampered}`);
    assert.equal(res.status, 404);
    assert.equal(stateOf(res.text), 'invalid');
    assert.equal(t.belvo.simulator.calls.length, 0);
  });

  test('a token signed for a case that does not exist answers 404', async () => {
    const res = await request(t.app).get(`/r/${t.signer.sign(987_654, t.clock.now() + HOUR)}`);
    assert.equal(res.status, 404);
    assert.equal(stateOf(res.text), 'invalid');
  });

  test('garbage and unknown paths under /r answer 404 invalid, in the browser language', async () => {
    for (const path of ['/r/not-a-token', '/r/', '/r/abc/def/ghi']) {
      const res = await request(t.app).get(path).set('Accept-Language', 'pt-BR,pt;q=0.9');
      assert.equal(res.status, 404, path);
      assert.equal(stateOf(res.text), 'invalid', path);
      assert.match(res.text, /<html lang="pt-BR">/);
      assert.match(res.text, /Este link não funciona/);
    }
  });

  test('the invalid page starts no session', async () => {
    const res = await request(t.app).get('/r/not-a-token');
    assert.equal(res.headers['set-cookie'], undefined);
  });
});

describe('closed cases answer 410', () => {
  const closed = [
    ['resolved', 'success', /ya está conectada/i],
    ['failed', 'error', /Cerramos este enlace/],
    ['expired', 'expired', /Este enlace ya no está activo/],
  ] as const;
  for (const [status, state, words] of closed) {
    test(`a ${status} case shows data-state ${state} with no form`, async () => {
      const { token } = await t.createCase({ status });
      const res = await request(t.app).get(`/r/${token}`);
      assert.equal(res.status, 410);
      assert.equal(stateOf(res.text), state);
      assert.match(res.text, words);
      assert.doesNotMatch(res.text, /<form/);
    });
  }

  test('a closed case answers 410 even when its link has expired too', async () => {
    const { expiredToken } = await t.createCase({ status: 'resolved' });
    const res = await request(t.app).get(`/r/${expiredToken}`);
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'success');
  });
});

describe('an expired link', () => {
  test('of an open case answers 410 expired and offers a new link without showing the contact', async () => {
    const { expiredToken } = await t.createCase({ user: { email: 'lucia.private@example.com', phone: '+5215599990000' } });
    const res = await request(t.app).get(`/r/${expiredToken}`);
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'expired');
    assert.match(res.text, new RegExp(`<form[^>]+action="/r/${expiredToken}/new-link"`));
    assert.doesNotMatch(res.text, /lucia|example\.com|5599990000/);
  });

  test('of an unreachable case answers 410 expired without the new-link form', async () => {
    const { expiredToken } = await t.createCase({ status: 'unreachable' });
    const res = await request(t.app).get(`/r/${expiredToken}`);
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'expired');
    assert.doesNotMatch(res.text, /new-link/);
  });
});

describe('GET never changes state', () => {
  test('opening each kind of page leaves the case, its timeline and its outbox as they were', async () => {
    const cases = [
      await t.createCase(),
      await t.createCase({ kind: 'consent', details: { consent: consentInfo() } }),
      await t.createCase({ kind: 'mfa', details: { mfa: challenge() } }),
    ];
    for (const created of cases) {
      const before = await caseSnapshot(t.db, created.caseId);
      for (const path of [`/r/${created.token}`, `/r/${created.expiredToken}`, `/r/${created.token}?step=password`]) {
        await request(t.app).get(path).expect((res) => assert.ok(res.status < 500));
      }
      assert.deepEqual(await caseSnapshot(t.db, created.caseId), before);
    }
    assert.equal(t.belvo.simulator.calls.length, 0);
  });
});

describe('every page', () => {
  test('is private: no-store, no-referrer, a strict CSP and no inline script or style', async () => {
    const { token } = await t.createCase();
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(res.headers['content-security-policy'] ?? '', /script-src 'self'/);
    assert.doesNotMatch(res.text, /<script(?![^>]*\ssrc=)[^>]*>/);
    assert.doesNotMatch(res.text, /\sstyle=|<style/);
    assert.equal((res.text.match(/<h1[\s>]/g) ?? []).length, 1);
  });

  test('a page with a form sets an httpOnly SameSite=Lax CSRF cookie, and no session', async () => {
    const { token } = await t.createCase();
    const res = await request(t.app).get(`/r/${token}`);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /relink\.csrf=/);
    assert.doesNotMatch(cookie, /relink\.sid=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
  });

  test("speaks the user's language first, then the institution's country, then the browser's", async () => {
    const own = await t.createCase({ user: { email: 'a@example.com', locale: 'en' }, institution: 'ofmockbank_br_retail' });
    const brazil = await t.createCase({ user: { email: 'b@example.com' }, institution: 'ofmockbank_br_retail' });
    const unknown = await t.createCase({ user: { email: 'c@example.com' }, institution: 'somebank' });
    const html = async (token: string, lang = 'es-MX') =>
      (await request(t.app).get(`/r/${token}`).set('Accept-Language', lang)).text;
    assert.match(await html(own.token), /<html lang="en">[\s\S]*Reconnect/);
    assert.match(await html(brazil.token), /<html lang="pt-BR">[\s\S]*Reconecte/);
    assert.match(await html(unknown.token, 'en-GB,en;q=0.8'), /<html lang="en">/);
    assert.match(await html(unknown.token, 'fr'), /<html lang="es">/);
  });
});

describe('the password page', () => {
  test('names the institution and asks for the password with a labelled field and a CSRF token', async () => {
    const { token } = await t.createCase();
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'password');
    assert.match(res.text, /Erebor México/);
    assert.match(res.text, /<label for="password">/);
    assert.match(res.text, /<input id="password" name="password" type="password" autocomplete="current-password"/);
    assert.match(res.text, new RegExp(`<form[^>]+method="post" action="/r/${token}/password"`));
    assert.ok(csrfOf(res.text).length >= 32);
    assert.doesNotMatch(res.text, /name="password2"/);
  });

  test('asks for password2 too when the institution needs it', async () => {
    const { token } = await t.createCase({ details: { needsPassword2: true } });
    const res = await request(t.app).get(`/r/${token}`);
    assert.match(res.text, /<label for="password2">/);
    assert.match(res.text, /name="password2"/);
  });

  test('falls back to a readable institution name when the operator registered none', async () => {
    const { token } = await t.createCase({ displayName: null, institution: 'banco_estrella_co_retail' });
    const res = await request(t.app).get(`/r/${token}`);
    assert.match(res.text, /Reconecta tu cuenta de Banco Estrella/);
  });

  test('speaks of "your bank" in whole sentences when no institution name is known', async () => {
    const expected = [
      ['es', /<h1>Reconecta tu cuenta bancaria<\/h1>/, /<label for="password">Tu contraseña del banco<\/label>/],
      ['pt-BR', /<h1>Reconecte sua conta bancária<\/h1>/, /<label for="password">Senha da sua conta bancária<\/label>/],
      ['en', /<h1>Reconnect your bank account<\/h1>/, /<label for="password">Your bank password<\/label>/],
    ] as const;
    for (const [locale, heading, label] of expected) {
      const { token } = await t.createCase({ displayName: null, institution: null, user: { email: `${locale}@example.com`, locale } });
      const res = await request(t.app).get(`/r/${token}`);
      assert.match(res.text, heading);
      assert.match(res.text, label);
      assert.doesNotMatch(res.text, /your your|tu tu|de seu banco/i);
    }
  });
});

describe('the MFA page', () => {
  test('shows the instructions, the value and a numeric one-time-code field', async () => {
    const { token } = await t.createCase({ kind: 'mfa', details: { mfa: challenge() } });
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'mfa');
    assert.match(res.text, /Use this code to generate the token/);
    assert.match(res.text, />12345</);
    assert.match(res.text, /<input id="token" name="token" type="text" autocomplete="one-time-code"[^>]*inputmode="numeric"/);
    assert.match(res.text, /<label for="token">/);
    assert.match(res.text, /Te quedan unos 10 minutos para terminar este paso/);
    assert.match(res.text, /data-countdown="600"/);
  });

  test('draws a QR challenge on the server as an image with alt text', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: { mfa: challenge({ type: 'qr', value: 'otpauth://bank/login?s=abc', instructions: 'Scan it' }) },
    });
    const res = await request(t.app).get(`/r/${token}`);
    assert.match(res.text, /<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="Código QR para escanear con la app de Erebor México"/);
    assert.match(res.text, /name="token"/);
  });

  test('asks for no input when the bank expects approval on another device', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: { mfa: challenge({ type: 'inputless', expects_user_input: false, instructions: 'Approve it in the app' }) },
    });
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(stateOf(res.text), 'mfa');
    assert.doesNotMatch(res.text, /name="token"/);
    assert.match(res.text, /<button type="submit"[^>]*>Ya lo aprobé<\/button>/);
  });

  test("once the bank's session ran out, says so and offers to start again with the password", async () => {
    const { token } = await t.createCase({ kind: 'mfa', details: { mfa: challenge({}, t.clock.now() - 1) } });
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(stateOf(res.text), 'expired');
    assert.match(res.text, /Se acabó el tiempo para confirmar que eres tú[\s\S]*Erebor México da solo unos minutos/);
    assert.match(res.text, new RegExp(`href="/r/${token}\\?step=password"`));

    const restart = await request(t.app).get(`/r/${token}?step=password`);
    assert.equal(stateOf(restart.text), 'password');
    assert.match(restart.text, /name="password"/);
  });
});

describe('the consent page', () => {
  test('shows the name, the https logo, the due date in Portuguese and a renewal button', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'd@example.com' },
      details: { consent: consentInfo() },
    });
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'consent');
    assert.match(res.text, /<html lang="pt-BR">/);
    assert.match(res.text, /OF Mockbank/);
    assert.match(res.text, /<img class="institution-logo" src="https:\/\/logo\.example\/ofmockbank\.png"/);
    assert.match(res.text, /vence em 26 de dezembro de 2026/);
    assert.match(res.text, /<a class="button primary" href="https:\/\/meuportal\.belvo\.example\/\?mode=landing"/);
    assert.doesNotMatch(res.text, /<form/);
  });

  test('renders no logo that is not an https URL', async () => {
    for (const logo of ['http://logo.example/x.png', 'https://user:pass@logo.example/x.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', 'not a url']) {
      const { token } = await t.createCase({ kind: 'consent', details: { consent: consentInfo({ institutionLogo: logo }) } });
      const res = await request(t.app).get(`/r/${token}`);
      assert.equal(stateOf(res.text), 'consent');
      assert.doesNotMatch(res.text, /<img/, logo);
    }
  });

  test('says the consent has expired when Belvo said so', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      user: { email: 'e@example.com', locale: 'en' },
      details: { consent: consentInfo({ webhookCode: 'openfinance_consent_expired', dueDate: null }) },
    });
    const res = await request(t.app).get(`/r/${token}`);
    assert.match(res.text, /has expired/);
  });
});

describe('POST /r/:token/seen', () => {
  test('moves a notified case to opened once, with a page_opened entry, given the CSRF header', async () => {
    const { token, caseId } = await t.createCase();
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`);
    const csrf = /data-csrf-token="([^"]+)"/.exec(page.text)![1]!;
    await agent.post(`/r/${token}/seen`).set('X-CSRF-Token', csrf).expect(204);
    await agent.post(`/r/${token}/seen`).set('X-CSRF-Token', csrf).expect(204);
    assert.equal((await t.db('cases').where({ id: caseId }).first())!.status, 'opened');
    assert.deepEqual(await timelineTypes(t.db, caseId), ['page_opened']);
  });

  test('without the CSRF token is refused with 403 and changes nothing', async () => {
    const { token, caseId } = await t.createCase();
    const res = await request(t.app).post(`/r/${token}/seen`);
    assert.equal(res.status, 403);
    assert.equal((await t.db('cases').where({ id: caseId }).first())!.status, 'notified');
  });

  test('for an expired link answers 410 and records nothing', async () => {
    const { expiredToken, caseId } = await t.createCase();
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${expiredToken}`);
    await agent.post(`/r/${expiredToken}/seen`).set('X-CSRF-Token', csrfOf(page.text)).expect(410);
    assert.deepEqual(await timelineTypes(t.db, caseId), []);
  });
});

function challenge(data: Record<string, unknown> = {}, expiresAt = t.clock.now() + 10 * 60_000) {
  return {
    session: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    expiresAt,
    tokenGenerationData: { instructions: 'Use this code to generate the token', type: 'numeric', value: '12345', ...data },
  };
}

function consentInfo(overrides: Record<string, unknown> = {}) {
  return {
    consentId: '9e763d19-15a4-410c-a106-18c0f60ca5eb',
    webhookCode: 'openfinance_consent_about_to_expire',
    dueDate: '2026-12-26T10:45:58.000Z',
    institutionDisplayName: 'OF Mockbank',
    institutionLogo: 'https://logo.example/ofmockbank.png',
    message: null,
    ...overrides,
  };
}
