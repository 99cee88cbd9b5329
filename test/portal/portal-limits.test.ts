// Rate limits on the end-user pages: per client address on everything but page views of a
// genuine link, per case on submissions. A limited form POST goes to a page that says when to try
// again, like any other result; anything else gets that page at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { csrfOf, postForm, startPortalTestApp, stateOf, type PortalTestApp } from '../support/portal-test-app.ts';

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
    // Guessing links is what the limit is for.
    for (let i = 0; i < 6; i++) assert.equal((await request(t.app).get(`/r/guess-${i}`)).status, 404);
    const elsewhere = await request(t.app).get('/r/not-a-token').set('Accept-Language', 'en');
    assert.equal(elsewhere.status, 429);
    assert.match(elsewhere.text, /Too many attempts/);

    // A form POST of the person's own case goes, like any result, to the page that says when to try again.
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const { page: limited } = await postForm(agent.set('Accept-Language', 'en'), `/r/${token}/password`, { _csrf: csrf, password: 'fine' });
    assert.equal(stateOf(limited.text), 'error');
    assert.match(limited.text, /<html lang="pt-BR">[\s\S]*Tentativas demais/, "in the case's language");
    assert.match(limited.text, /Você pode tentar de novo a partir das \d{1,2}:\d{2}/);
    assert.equal(limited.headers['cache-control'], 'no-store');
    assert.equal(t.belvo.simulator.calls.filter((c) => c.method === 'PUT').length, 0);

    t.clock.advance(60_000);
    assert.equal((await request(t.app).get('/r/not-a-token')).status, 404);
  });

  test('page views of a genuine link are never counted: a mail scanner\'s visit writes nothing', async () => {
    t.clock.advance(60_000);
    const { token } = await t.createCase();
    const before = await t.db('rate_limits').select();
    for (let i = 0; i < 10; i++) assert.equal((await request(t.app).get(`/r/${token}`)).status, 200);
    assert.deepEqual(await t.db('rate_limits').select(), before);
  });

  test('a case past its submission allowance gets 429 without another Belvo call', async () => {
    t.clock.advance(60_000);
    const { token, linkId } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    const post = async () => (await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'wrong' })).page;
    assert.equal(stateOf((await post()).text), 'password');
    assert.equal(stateOf((await post()).text), 'password');
    const limited = await post();
    assert.equal(stateOf(limited.text), 'error');
    assert.match(limited.text, /Demasiados intentos/);
    assert.match(limited.text, /Puedes volver a intentarlo a partir de las/);
    const calls = t.belvo.simulator.calls.filter((c) => c.linkId === linkId);
    assert.equal(calls.length, 2);

    const other = await t.createCase();
    const otherAgent = request.agent(t.app);
    const otherCsrf = csrfOf((await otherAgent.get(`/r/${other.token}`)).text);
    const { page: res } = await postForm(otherAgent, `/r/${other.token}/password`, { _csrf: otherCsrf, password: 'fine' });
    assert.equal(stateOf(res.text), 'success', 'another case keeps its own allowance');
  });
});
