// Getting into the console and being kept out of it, over HTTP: the redirect without a session,
// the password, CSRF, the limits on failed sign-ins (per address and overall), the session's own
// cookie, its idle and absolute expiry, and sign-out.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { ADMIN_PASSWORD, csrfIn, pageOf, postForm, signedInAgent } from '../support/console-session.ts';

const MINUTE = 60_000;

let t: TestApp;
before(async () => {
  // Behind a proxy, so that tests can come from several addresses.
  t = await startTestApp({ env: { ADMIN_PASSWORD, TRUST_PROXY: 'true' } });
});
after(() => t.close());
// Each test starts in a fresh rate-limit window.
beforeEach(() => t.clock.advance(16 * MINUTE));

let addresses = 0;
/** A client at an address of its own, or at the one given. */
function client(address?: string) {
  addresses += 1;
  const agent = request.agent(t.app);
  agent.set('X-Forwarded-For', address ?? `10.1.${Math.floor(addresses / 250)}.${addresses % 250}`);
  return agent;
}

const locationOf = (res: { headers: Record<string, string> }): string => String(res.headers['location']);

async function trySignIn(agent: ReturnType<typeof client>, password: string, extra: Record<string, string> = {}) {
  const page = await agent.get('/admin/sign-in').expect(200);
  return agent.post('/admin/sign-in').type('form').send({ _csrf: csrfIn(page.text), password, ...extra });
}

describe('without a session', () => {
  for (const path of ['/admin', '/admin/cases', '/admin/cases/1', '/admin/funnel?from=2026-11-01&to=2026-11-02']) {
    test(`GET ${path} redirects to the sign-in page, which leads back to it`, async () => {
      const res = await request(t.app).get(path);
      assert.equal(res.status, 303);
      const location = new URL(locationOf(res), 'http://x');
      assert.equal(location.pathname, '/admin/sign-in');
      assert.equal(location.searchParams.get('next'), path);
    });
  }

  test('a POST to an action redirects to sign in and changes nothing', async () => {
    const res = await request(t.app).post('/admin/cases/1/close').type('form').send({ confirm: 'yes' });
    assert.equal(res.status, 303);
    assert.match(locationOf(res), /^\/admin\/sign-in/);
  });

  test('the sign-in page is a form with a password field and a CSRF token, never cached', async () => {
    const res = await request(t.app).get('/admin/sign-in').set('Accept-Language', 'pt-BR');
    assert.equal(res.status, 200);
    assert.equal(pageOf(res.text), 'sign-in');
    assert.match(res.text, /<html lang="pt-BR">/);
    assert.match(res.text, /<input id="password" name="password" type="password"/);
    assert.ok(csrfIn(res.text));
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  });
});

describe('signing in', () => {
  test('the right password starts a session of its own and lands on the cases', async () => {
    const agent = client();
    const page = await agent.get('/admin/sign-in');
    const before = /relink\.console=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    const res = await agent.post('/admin/sign-in').type('form').send({ _csrf: csrfIn(page.text), password: ADMIN_PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(locationOf(res), '/admin/cases');
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /relink\.console=/);
    assert.match(cookie, /Path=\/admin/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.notEqual(/relink\.console=([^;]+)/.exec(cookie)?.[1], before, 'a new session id after sign-in');
    const cases = await agent.get('/admin/cases');
    assert.equal(cases.status, 200);
    assert.equal(pageOf(cases.text), 'cases');
    assert.ok(t.logs.some((line) => line.includes('operator signed in to the console')));
  });

  test('after sign-in the operator goes back to the page they asked for, never to another site', async () => {
    const agent = client();
    const res = await trySignIn(agent, ADMIN_PASSWORD, { next: '/admin/funnel?from=2026-11-01&to=2026-11-02' });
    assert.equal(locationOf(res), '/admin/funnel?from=2026-11-01&to=2026-11-02');
    for (const next of ['//evil.example/admin', 'https://evil.example/', '/admin/../r/x', '/admin\\evil']) {
      const other = await trySignIn(client(), ADMIN_PASSWORD, { next });
      assert.equal(other.headers['location'], '/admin/cases', next);
    }
  });

  test('a wrong password goes back to the form with an alert, and signs nobody in', async () => {
    const agent = client();
    const res = await trySignIn(agent, `${ADMIN_PASSWORD}x`);
    assert.equal(res.status, 303);
    assert.match(locationOf(res), /^\/admin\/sign-in\?notice=wrong_password/);
    const page = await agent.get(locationOf(res)).set('Accept-Language', 'en');
    assert.match(page.text, /role="alert">That password is not right/);
    assert.equal((await agent.get('/admin/cases')).status, 303);
    assert.ok(!t.logs.some((line) => line.includes(`${ADMIN_PASSWORD}x`)), 'the guess is never logged');
  });

  test('a sign-in without its CSRF token is refused with 403', async () => {
    const agent = client();
    await agent.get('/admin/sign-in');
    const res = await agent.post('/admin/sign-in').type('form').send({ password: ADMIN_PASSWORD });
    assert.equal(res.status, 403);
    assert.equal(pageOf(res.text), 'problem');
    assert.equal((await agent.get('/admin/cases')).status, 303);
  });

  test('an action with a wrong CSRF token is refused with 403', async () => {
    const agent = await signedInAgent(t.app, { 'X-Forwarded-For': '10.9.9.9' });
    const res = await agent.post('/admin/sign-out').type('form').send({ _csrf: 'not-the-token' });
    assert.equal(res.status, 403);
    assert.equal((await agent.get('/admin/cases')).status, 200, 'still signed in');
  });
});

describe('failed sign-ins are limited', () => {
  test('ten failures from one address lock that address out, even with the right password, until the window ends', async () => {
    const agent = client();
    for (let i = 0; i < 10; i += 1) assert.equal((await trySignIn(agent, 'wrong-guess')).status, 303);
    const locked = await trySignIn(agent, ADMIN_PASSWORD);
    assert.equal(locked.status, 429);
    assert.equal(pageOf(locked.text), 'sign-in');
    assert.match(locked.text, /role="alert"/);
    assert.ok(Number(locked.headers['retry-after']) > 0);

    assert.equal((await trySignIn(client(), ADMIN_PASSWORD)).status, 303, 'another address still signs in');
    t.clock.advance(15 * MINUTE);
    assert.equal((await trySignIn(agent, ADMIN_PASSWORD)).headers['location'], '/admin/cases');
  });

  test('a hundred failures spread over many addresses lock everyone out', async () => {
    for (let i = 0; i < 20; i += 1) {
      const agent = client();
      for (let j = 0; j < 5; j += 1) await trySignIn(agent, 'wrong-guess');
    }
    const fresh = await trySignIn(client(), ADMIN_PASSWORD);
    assert.equal(fresh.status, 429);
    t.clock.advance(15 * MINUTE);
    assert.equal((await trySignIn(client(), ADMIN_PASSWORD)).status, 303);
  });

  test('successful sign-ins are never limited', async () => {
    for (let i = 0; i < 15; i += 1) assert.equal(locationOf(await trySignIn(client('10.3.0.1'), ADMIN_PASSWORD)), '/admin/cases');
  });
});

describe('the session', () => {
  test('ends after 30 minutes without a request, and the sign-in page says so', async () => {
    const agent = await signedInAgent(t.app, { 'X-Forwarded-For': '10.2.0.1', 'Accept-Language': 'en' });
    t.clock.advance(25 * MINUTE);
    assert.equal((await agent.get('/admin/cases')).status, 200, 'a request within the idle time keeps it');
    t.clock.advance(25 * MINUTE);
    assert.equal((await agent.get('/admin/cases')).status, 200);
    t.clock.advance(31 * MINUTE);
    const res = await agent.get('/admin/funnel');
    assert.equal(res.status, 303);
    assert.match(locationOf(res), /notice=ended/);
    const page = await agent.get(locationOf(res));
    assert.match(page.text, /role="status">Your session ended/);
  });

  test('ends 12 hours after sign-in however busy the operator is', async () => {
    const agent = await signedInAgent(t.app, { 'X-Forwarded-For': '10.2.0.2' });
    for (let elapsed = 0; elapsed < 11.5 * 60; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      assert.equal((await agent.get('/admin/cases')).status, 200);
    }
    t.clock.advance(40 * MINUTE);
    const res = await agent.get('/admin/cases');
    assert.equal(res.status, 303);
    assert.match(locationOf(res), /notice=ended/);
  });

  test('sign-out ends it for good: the old cookie opens nothing', async () => {
    const agent = await signedInAgent(t.app, { 'X-Forwarded-For': '10.2.0.3' });
    const cases = await agent.get('/admin/cases');
    const cookie = /relink\.console=[^;]+/.exec(String(cases.headers['set-cookie']))![0];
    const res = await postForm(agent, '/admin/cases', '/admin/sign-out');
    assert.equal(res.status, 303);
    assert.equal(locationOf(res), '/admin/sign-in?notice=signed_out');
    assert.equal((await agent.get('/admin/cases')).status, 303);
    assert.equal((await request(t.app).get('/admin/cases').set('Cookie', cookie)).status, 303);
  });

  test('the portal’s session cookie opens nothing in the console', async () => {
    const res = await request(t.app).get('/admin/cases').set('Cookie', 'relink.sid=s%3Aanything.signature');
    assert.equal(res.status, 303);
  });
});
