// The log canary beyond the portal's forms (test/portal/portal-secrets.test.ts): the console's
// password, and a Belvo that answers every call with an error echoing what it was sent (the user's
// password, our secret keys, the Authorization header) to the portal and to the worker's jobs.
// None of it may reach a log line, while those lines still say what failed, with their ids.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { csrfIn } from '../support/console-session.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { csrfOf } from '../support/portal-test-app.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const ADMIN_PASSWORD = `Canary-Admin-${randomUUID()}`;
const BELVO_SECRET_ID = 'canary-secret-id';
const BELVO_SECRET_PASSWORD = `Canary-Belvo-Key-${randomUUID()}`;
const BASIC = Buffer.from(`${BELVO_SECRET_ID}:${BELVO_SECRET_PASSWORD}`).toString('base64');
const USER_PASSWORD = `Canary-User-${randomUUID()}`;

/** A Belvo that refuses everything, quoting the request back: in an error array, and in a body that is none. */
function startEchoingBelvo(): Promise<{ url: string; calls: string[]; server: Server }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const echo = `you sent ${req.headers.authorization} ${body}`;
      calls.push(`${req.method} ${req.url} ${echo}`);
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url?.startsWith('/api/links/')) {
        res.statusCode = 500;
        return res.end(JSON.stringify({ detail: echo }));
      }
      res.statusCode = 400;
      res.end(JSON.stringify([{ code: 'login_error', message: echo, password: echo, request_id: 'r'.repeat(32) }]));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server }));
  });
}

let t: TestApp;
let belvo: Awaited<ReturnType<typeof startEchoingBelvo>>;
before(async () => {
  belvo = await startEchoingBelvo();
  t = await startTestApp({
    belvoUrl: belvo.url,
    env: { ADMIN_PASSWORD, BELVO_SECRET_ID, BELVO_SECRET_PASSWORD },
  });
});
after(async () => {
  await t.close();
  await new Promise((resolve) => belvo.server.close(resolve));
});

const logLines = () => t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

function assertNoSecretInLogs(...secrets: string[]): void {
  const logs = t.logs.join('\n');
  for (const secret of secrets) assert.ok(!logs.includes(secret), `${secret.slice(0, 20)}… is in the logs`);
}

describe('secrets stay out of the logs', () => {
  test("the console's password, right or wrong, and the session cookie", async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/admin/sign-in').expect(200);
    await agent.post('/admin/sign-in').type('form').send({ _csrf: csrfIn(page.text), password: `${ADMIN_PASSWORD}-wrong` }).expect(303);
    const again = await agent.get('/admin/sign-in').expect(200);
    const signedIn = await agent.post('/admin/sign-in').type('form').send({ _csrf: csrfIn(again.text), password: ADMIN_PASSWORD }).expect(303);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
    await agent.get('/admin/cases').expect(200);

    assert.ok(logLines().some((l) => l['msg'] === 'operator signed in to the console' && typeof l['request_id'] === 'string'));
    assertNoSecretInLogs(ADMIN_PASSWORD, decodeURIComponent(cookie));
  });

  test("a worker's jobs and the portal against a Belvo whose errors echo what it was sent", async () => {
    const linkId = randomUUID();
    await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'en' }).expect(201);
    // The link is not registered: the event's job asks Belvo for its institution.
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    await t.worker.runOnce();

    const [message] = await t.database.db('dev_inbox').where({ recipient: 'ana@example.com' });
    const token = /\/r\/([A-Za-z0-9_-]+)/.exec(String(message?.text))?.[1];
    assert.ok(token, 'the message carries its link');
    const agent = request.agent(t.app);
    const csrf = csrfOf((await agent.get(`/r/${token}`)).text);
    await agent.post(`/r/${token}/password`).type('form').send({ _csrf: csrf, password: USER_PASSWORD }).expect(303);
    await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrf }).expect(303);

    // Belvo says the link has new accounts: a job asks Belvo for them.
    await postWebhook(t.app, freshSeedWebhook('accounts-new-accounts-available', { linkId })).expect(202);
    await t.worker.runOnce();
    await t.worker.runOnce();

    const sent = belvo.calls.join('\n');
    for (const secret of [USER_PASSWORD, BELVO_SECRET_PASSWORD, BASIC]) assert.ok(sent.includes(secret), 'Belvo was sent it, and echoed it');
    const lines = logLines();
    const jobLine = (job: string) => lines.find((l) => String(l['job_id']).startsWith(`${job}:`) && l['err']);
    assert.ok(jobLine('event'), "the institution lookup's failure is logged with the event's job id");
    assert.ok(jobLine('account_fetch'), "the account fetch's failure is logged with its job id");
    assert.ok(lines.some((l) => l['msg'] === 'could not get a widget token from Belvo' && l['request_id'] && l['err']));
    assertNoSecretInLogs(USER_PASSWORD, BELVO_SECRET_PASSWORD, BASIC);
    const metrics = (await request(t.app).get('/metrics').expect(200)).text;
    for (const secret of [USER_PASSWORD, BELVO_SECRET_PASSWORD, BASIC, token]) assert.ok(!metrics.includes(secret), 'not on the metrics page either');
  });
});
