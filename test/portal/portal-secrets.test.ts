// A canary password and MFA token, sent through every outcome, must end up at Belvo and nowhere
// else: not in the logs, not in any table (outbox and sessions included), not in any page, not on
// the metrics page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { NextAnswer } from '../../server/sandbox/belvo-simulator.ts';
import { csrfOf, postForm, startPortalTestApp, type PortalTestApp } from '../support/portal-test-app.ts';

const PASSWORD = 'Canary-Pw-5f2b8e';
const TOKEN = '77C4n4ry91';

let t: PortalTestApp;
before(async () => {
  t = await startPortalTestApp({ belvoTimeoutMs: 300 });
});
after(() => t.close());

async function allRows(): Promise<string> {
  const tables = ['users', 'links', 'events', 'cases', 'case_timeline', 'outbox', 'dev_inbox', 'sessions', 'rate_limits'];
  const dumps = await Promise.all(tables.map(async (table) => JSON.stringify(await t.db(table).select())));
  return dumps.join('\n');
}

test('a canary password and token through every outcome appear in no log, row or page', async () => {
  const pages: string[] = [];
  const passwordOutcomes: Array<{ password: string; next?: NextAnswer }> = [
    { password: PASSWORD },
    { password: `wrong ${PASSWORD}` },
    { password: PASSWORD, next: { status: 400, code: 'too_many_sessions' } },
    { password: PASSWORD, next: { status: 400, code: 'institution_down' } },
    { password: PASSWORD, next: { status: 400, code: 'session_expired' } },
    { password: PASSWORD, next: { status: 500, code: 'unexpected_error', message: `echo ${PASSWORD}` } },
    { password: PASSWORD, next: { status: 401, code: 'authentication_failed' } },
    { password: PASSWORD, next: { status: 403, code: 'access_to_resource_denied' } },
    { password: PASSWORD, next: { status: 408, code: 'request_timeout' } },
    { password: PASSWORD, next: { status: 400, code: 'institution_inactive' } },
    { password: PASSWORD, next: { status: 400, code: 'invalid_link', message: `echo ${PASSWORD}` } },
    { password: PASSWORD, next: { hang: true } },
    { password: PASSWORD.repeat(20) },
  ];

  for (const { password, next } of passwordOutcomes) {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    if (next) t.belvo.simulator.answerNext(next);
    const { page } = await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password, password2: PASSWORD });
    pages.push(page.text);
    const refused = await request(t.app).post(`/r/${token}/password`).type('form').send({ password });
    pages.push(refused.text);
  }

  for (const next of [undefined, { status: 500, code: 'unexpected_error' } as const, { hang: true } as const]) {
    const { token } = await t.createCase();
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    await postForm(agent, `/r/${token}/password`, { _csrf: csrf, password: 'mfa' });
    if (next) t.belvo.simulator.answerNext(next);
    const { page } = await postForm(agent, `/r/${token}/token`, { _csrf: csrf, token: TOKEN });
    pages.push(page.text);
  }

  const sentToBelvo = JSON.stringify(t.belvo.simulator.calls.map((c) => c.body));
  assert.match(sentToBelvo, new RegExp(PASSWORD), 'the password did reach Belvo');
  assert.match(sentToBelvo, new RegExp(TOKEN), 'the token did reach Belvo');

  const metrics = (await request(t.app).get('/metrics').expect(200)).text;
  const everywhere = [t.logs.join('\n'), await allRows(), pages.join('\n'), metrics];
  for (const [name, text] of [['logs', everywhere[0]], ['database', everywhere[1]], ['pages', everywhere[2]], ['metrics', everywhere[3]]] as const) {
    assert.doesNotMatch(text!, new RegExp(PASSWORD), `password found in ${name}`);
    assert.doesNotMatch(text!, new RegExp(TOKEN), `token found in ${name}`);
  }
});
