// Rate limits on the end-user pages: per client address on everything, per case on submissions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfOf, startPortalTestApp, stateOf, type PortalTestApp } from '../support/portal-test-app.ts';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp({
    limits: {
      perIp: { limit: 6, windowMs: 60_000 },
      perCaseSubmissions: { limit: 2, windowMs: 15 * 60_000 },
    },
  });
});
after(() => t.close());

describe('rate limits', () => {
  test('a client past its per-minute allowance gets the translated 429 page until the window ends', async () => {
    const { token } = await t.createCase({ user: { email: 'x@example.com', locale: 'pt-BR' } });
    for (let i = 0; i < 6; i++) assert.equal((await request(t.app).get(`/r/${token}`)).status, 200);
    const limited = await request(t.app).get(`/r/${token}`).set('Accept-Language', 'en');
    assert.equal(limited.status, 429);
    assert.equal(stateOf(limited.text), 'error');
    assert.match(limited.text, /<html lang="pt-BR">[\s\S]*Tentativas demais/, "in the case's language");
    assert.equal(limited.headers['cache-control'], 'no-store');

    const elsewhere = await request(t.app).get('/r/not-a-token').set('Accept-Language', 'en');
    assert.equal(elsewhere.status, 429);
    assert.match(elsewhere.text, /Too many attempts/);

    t.clock.advance(60_000);
    assert.equal((await request(t.app).get(`/r/${token}`)).status, 200);
  });

  test('a case past its submission allowance gets 429 without another Belvo call', async () => {
    t.clock.advance(60_000);
    const { token, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const post = () => agent.post(`/r/${token}/password`).type('form').send({ _csrf: csrf, password: 'wrong' });
    assert.equal((await post()).status, 422);
    assert.equal((await post()).status, 422);
    const limited = await post();
    assert.equal(limited.status, 429);
    assert.match(limited.text, /Demasiados intentos/);
    const calls = t.belvo.simulator.calls.filter((c) => c.linkId === linkId);
    assert.equal(calls.length, 2);

    const other = await t.createCase();
    const otherAgent = request.agent(t.app);
    const otherCsrf = csrfOf((await otherAgent.get(`/r/${other.token}`)).text);
    const res = await otherAgent.post(`/r/${other.token}/password`).type('form').send({ _csrf: otherCsrf, password: 'fine' });
    assert.equal(stateOf(res.text), 'success', 'another case keeps its own allowance');
  });
});
