// Submitting a new password on the credentials page, through every answer the Belvo simulator gives.
// Every submission answers 303 to the case page (Post/Redirect/Get), which shows what came of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import {
  csrfOf,
  postForm,
  roleText,
  startPortalTestApp,
  stateOf,
  timelineTypes,
  type PortalTestApp,
} from '../support/portal-test-app.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp({ slowDelayMs: 1_000, belvoTimeoutMs: 300 });
});
after(() => t.close());

/** Opens the page as a browser would, posts the form from it and follows the redirect: the page the person sees. */
async function submitPassword(token: string, fields: Record<string, string>, agent = request.agent(t.app)) {
  const page = await agent.get(`/r/${token}`);
  const { location, page: result } = await postForm(agent, `/r/${token}/password`, { _csrf: csrfOf(page.text), ...fields });
  assert.equal(location, `/r/${token}`);
  return result;
}

async function caseRow(caseId: number) {
  return t.db('cases').where({ id: caseId }).first();
}

/** A form posted from a page whose session has gone: no CSRF token. */
function postWithoutCsrf(token: string, acceptLanguage: string) {
  return request(t.app).post(`/r/${token}/password`).set('Accept-Language', acceptLanguage).type('form').send({ password: 'fine' });
}

function putCalls(linkId: string) {
  return t.belvo.simulator.calls.filter((c) => c.method === 'PUT' && c.linkId === linkId);
}

describe('a password Belvo accepts', () => {
  test('resolves the case, shows the success page and sends Belvo only the password', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const res = await submitPassword(token, { password: 'N3w-password!' });
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'success');
    assert.match(res.text, /está conectada de nuevo/);
    const row = await caseRow(caseId);
    assert.equal(row!.status, 'resolved');
    assert.equal(row!.submit_lock_until, null);
    assert.deepEqual(putCalls(linkId).map((c) => c.fields), [['password']]);
    assert.deepEqual(await timelineTypes(t.db, caseId), ['page_opened', 'submitted', 'belvo_answer', 'resolved']);
  });

  test('keeps a password exactly as typed, spaces included', async () => {
    const { token, linkId } = await t.createCase();
    await submitPassword(token, { password: '  spaced out  ' });
    assert.deepEqual(putCalls(linkId)[0]!.body, { password: '  spaced out  ' });
  });

  test('after which another browser gets the already-fixed page with 410', async () => {
    const { token } = await t.createCase();
    await submitPassword(token, { password: 'fine' });
    const res = await request(t.app).get(`/r/${token}`);
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'success');
    assert.match(res.text, /ya está conectada/);
  });

  test('a reload of the result shows it again and calls Belvo no more', async () => {
    const { token, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    await submitPassword(token, { password: 'fine' }, agent);
    const reloaded = await agent.get(`/r/${token}`);
    assert.equal(reloaded.status, 200);
    assert.match(reloaded.text, /está conectada de nuevo/);
    assert.equal(putCalls(linkId).length, 1);
  });
});

describe('a refused password', () => {
  test('asks again with an alert and the tries left, then fails the case on the third refusal', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const first = await submitPassword(token, { password: 'wrong-1' });
    assert.equal(first.status, 200);
    assert.equal(stateOf(first.text), 'password');
    assert.match(roleText(first.text, 'alert') ?? '', /no aceptó esa contraseña.*Te quedan 2 intentos/);

    const second = await submitPassword(token, { password: 'wrong-2' });
    assert.match(roleText(second.text, 'alert') ?? '', /Te queda 1 intento/);

    const third = await submitPassword(token, { password: 'wrong-3' });
    assert.equal(stateOf(third.text), 'error');
    assert.match(third.text, /Nos detuvimos para proteger tu cuenta/);
    assert.match(third.text, /podrían bloquear tu cuenta/);
    assert.match(third.text, /<section class="support support-main"[^>]*>\s*<h2[^>]*>¿Necesitas ayuda\?<\/h2>\s*<p>Contacta al soporte de Demo Fintech/, 'a way forward: support');
    const row = await caseRow(caseId);
    assert.equal(row!.status, 'failed');
    assert.equal(row!.failed_attempts, 3);

    const fourth = await request(t.app).get(`/r/${token}`);
    assert.equal(fourth.status, 410);
    assert.equal(putCalls(linkId).length, 3, 'no fourth attempt reaches the bank');
  });
});

describe('a bank that asks for more', () => {
  test('a 428 goes straight to the MFA step with the instructions and value', async () => {
    const { token, caseId } = await t.createCase();
    const res = await submitPassword(token, { password: 'mfa' });
    assert.equal(res.status, 200);
    assert.equal(stateOf(res.text), 'mfa');
    assert.match(res.text, /En palabras de Erebor México:/, "Belvo's instructions are labelled as the bank's own words");
    assert.match(res.text, /Use this code to generate the token/);
    assert.match(res.text, />12345</);
    assert.match(res.text, /name="token"/);
    const details = JSON.parse((await caseRow(caseId))!.details);
    assert.match(details.mfa.session, /^[0-9a-f]{32}$/);
    assert.equal(details.mfa.expiresAt, t.clock.now() + 720_000);

    const again = await request(t.app).get(`/r/${token}`);
    assert.equal(stateOf(again.text), 'mfa', 'the MFA step survives a reload');
  });

  test('a QR challenge is drawn as an image', async () => {
    const { token } = await t.createCase();
    const res = await submitPassword(token, { password: 'mfa-qr' });
    assert.match(res.text, /<img src="data:image\/svg\+xml;base64,/);
  });

  test('a required password2 adds the second field, and both together resolve the case', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const first = await submitPassword(token, { password: 'two-passwords' });
    assert.equal(stateOf(first.text), 'password');
    assert.match(first.text, /name="password2"/);
    assert.match(roleText(first.text, 'alert') ?? '', /segunda contraseña/);

    const missing = await submitPassword(token, { password: 'two-passwords' });
    assert.equal(stateOf(missing.text), 'password');
    assert.match(roleText(missing.text, 'alert') ?? '', /Escribe también tu segunda contraseña/);
    assert.equal(putCalls(linkId).length, 1, 'an empty password2 is caught before Belvo');

    const both = await submitPassword(token, { password: 'two-passwords', password2: '4321' });
    assert.equal(stateOf(both.text), 'success');
    assert.equal((await caseRow(caseId))!.status, 'resolved');
    assert.deepEqual(putCalls(linkId)[1]!.fields, ['password', 'password2']);
  });

  test('too_many_sessions asks again, telling the user to close other sessions', async () => {
    const { token, caseId } = await t.createCase();
    const res = await submitPassword(token, { password: 'sessions' });
    assert.equal(stateOf(res.text), 'password');
    assert.match(roleText(res.text, 'alert') ?? '', /Cierra la app de Erebor México/);
    assert.equal((await caseRow(caseId))!.failed_attempts, 0);
  });
});

describe('when the bank or Belvo fails', () => {
  for (const password of ['down', 'unavailable']) {
    test(`"${password}" says the bank is not answering, when to try again, and keeps the case open`, async () => {
      const { token, caseId } = await t.createCase();
      const res = await submitPassword(token, { password });
      assert.equal(stateOf(res.text), 'error');
      assert.match(res.text, /Erebor México no responde/);
      // 15:00 UTC is 09:00 in Mexico City: fifteen minutes later.
      assert.match(res.text, /Puedes volver a intentarlo a partir de las 9:15/);
      assert.match(res.text, new RegExp(`<a class="button primary" href="/r/${token}" data-retry-in="900" hidden>Intentar de nuevo</a>`));
      assert.match(res.text, /Contacta al soporte de Demo Fintech/);
      assert.equal((await caseRow(caseId))!.status, 'opened');
    });
  }

  test('once the time has come, the same link shows the form again', async () => {
    const { token, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    await submitPassword(token, { password: 'down' }, agent);
    t.clock.advance(15 * 60_000);
    const again = await agent.get(`/r/${token}`);
    assert.equal(stateOf(again.text), 'password');
    const fine = await submitPassword(token, { password: 'fine' }, agent);
    assert.equal(stateOf(fine.text), 'success');
    assert.equal(putCalls(linkId).length, 2);
  });

  for (const [password, code] of [
    ['boom', 'unexpected_error'],
    ['unauthorized', 'authentication_failed'],
    ['forbidden', 'access_to_resource_denied'],
    ['slow', 'timeout'],
  ] as const) {
    test(`"${password}" apologises, keeps the case open and logs ${code} for the operator`, async () => {
      const { token, caseId } = await t.createCase();
      const res = await submitPassword(token, { password });
      assert.equal(stateOf(res.text), 'error');
      assert.match(res.text, /algo falló de nuestro lado/);
      assert.doesNotMatch(res.text, /no aceptó esa contraseña|contraseña (es )?incorrecta/, 'never "your password is wrong"');
      assert.match(res.text, /Puedes volver a intentarlo a partir de las/);
      const row = await caseRow(caseId);
      assert.equal(row!.status, 'opened');
      assert.equal(row!.submit_lock_until, null);
      const logged = t.logs.map((line) => JSON.parse(line)).find((l) => l.level === 'error' && l.case_id === caseId);
      assert.ok(logged, 'an error line names the case');
      assert.ok(logged.code === code || logged.reason === code);
    });
  }
});

describe('a submission that is not right', () => {
  test('without a CSRF token is refused with the 403 page in the user\'s language, naming the bank, and never reaches Belvo', async () => {
    const { token, linkId, caseId } = await t.createCase({ user: { email: 'ana@example.com', locale: 'en' } });
    const res = await postWithoutCsrf(token, 'pt-BR');
    assert.equal(res.status, 403);
    assert.equal(stateOf(res.text), 'error');
    assert.match(res.text, /<html lang="en">[\s\S]*Your page had expired/);
    assert.match(res.text, /we didn&#39;t send what you entered to Erebor México/);
    assert.match(res.text, new RegExp(`href="/r/${token}"`));
    assert.equal(putCalls(linkId).length, 0);
    assert.equal((await caseRow(caseId))!.status, 'notified');
  });

  test('without a CSRF token, a user with no language of their own reads the 403 page in the bank country\'s', async () => {
    const { token } = await t.createCase({
      institution: 'ofmockbank_br_retail',
      displayName: 'OF Mockbank',
      user: { email: 'ana@example.com' },
    });
    const res = await postWithoutCsrf(token, 'en-US');
    assert.equal(res.status, 403);
    assert.match(res.text, /<html lang="pt-BR">[\s\S]*Esta página tinha expirado/);
  });

  test('without a CSRF token, a link that names no case gets the 403 page in the browser\'s language', async () => {
    const res = await postWithoutCsrf('AAAAAAABawWmcI56aZu2iCNXrJxxZXYttU0', 'en-US');
    assert.equal(res.status, 403);
    assert.match(res.text, /<html lang="en">[\s\S]*Your page had expired/);
    assert.match(res.text, /we didn&#39;t send what you entered to your bank/);
  });

  test('with an empty password asks again before calling Belvo', async () => {
    const { token, linkId } = await t.createCase();
    const res = await submitPassword(token, { password: '' });
    assert.equal(stateOf(res.text), 'password');
    assert.match(roleText(res.text, 'alert') ?? '', /Escribe tu contraseña/);
    assert.equal(putCalls(linkId).length, 0);
  });

  test('with an absurdly long password asks again before calling Belvo', async () => {
    const { token, linkId } = await t.createCase();
    const res = await submitPassword(token, { password: 'x'.repeat(300) });
    assert.match(roleText(res.text, 'alert') ?? '', /demasiado largo/);
    assert.equal(putCalls(linkId).length, 0);
  });

  test('on an expired link goes back to its page, which offers a new link; no Belvo call', async () => {
    const { expiredToken, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${expiredToken}`);
    const { page: res } = await postForm(agent, `/r/${expiredToken}/password`, { _csrf: csrfOf(page.text), password: 'fine' });
    assert.equal(res.status, 410);
    assert.equal(stateOf(res.text), 'expired');
    assert.equal(putCalls(linkId).length, 0);
  });

  test('a CSRF token from another link\'s page is refused', async () => {
    const mine = await t.createCase();
    const other = await t.createCase();
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${other.token}`);
    const res = await agent.post(`/r/${mine.token}/password`).type('form').send({ _csrf: csrfOf(page.text), password: 'fine' });
    assert.equal(res.status, 403);
    assert.equal(putCalls(mine.linkId).length, 0);
  });

  test('on a consent case is sent back to its page', async () => {
    const { token } = await t.createCase({ kind: 'consent' });
    const res = await submitPassword(token, { password: 'fine' });
    assert.equal(stateOf(res.text), 'consent');
  });
});

describe('two submissions at once', () => {
  test('make one Belvo call; the other is told the first is still being checked', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const post = () => postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'fine' });
    t.belvo.simulator.answerNext({ hang: true });
    const first = post();
    await waitFor(() => putCalls(linkId).length === 1);
    // Another tab of the same person (its own session, so the results do not overwrite each other).
    const second = await submitPassword(token, { password: 'fine' });
    assert.equal(stateOf(second.text), 'password');
    assert.match(roleText(second.text, 'alert') ?? '', /Todavía estamos verificando/);
    assert.equal(stateOf((await first).page.text), 'error', 'the hung call ends in a timeout');
    assert.equal(putCalls(linkId).length, 1);
    const row = await caseRow(caseId);
    assert.equal(row!.submit_lock_until, null, 'the lock is released for the next try');
  });

  test('racing from two browsers still reach Belvo once', async () => {
    const { token, linkId } = await t.createCase();
    const results = await Promise.all([submitPassword(token, { password: 'fine' }), submitPassword(token, { password: 'fine' })]);
    assert.equal(putCalls(linkId).length, 1);
    const answers = results.map((r) => `${r.status} ${stateOf(r.text)}`);
    // The winner sees its success; the loser either found the lock taken (asked to wait) or the
    // case already resolved (410).
    const winner = answers.indexOf('200 success');
    assert.ok(winner >= 0, answers.join(', '));
    assert.ok(['200 password', '410 success'].includes(answers[1 - winner]!), answers.join(', '));
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
