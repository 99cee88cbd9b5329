// GET /metrics as Prometheus scrapes it: the contract's names with their labels, counters that move
// with real traffic (a webhook, its case, its message through a local SMTP server, a portal page),
// and gauges read from the database that two instances over one database report alike.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadConfig } from '../../server/config.ts';
import { createRuntime } from '../../server/runtime.ts';
import { silentLogger } from '../../server/logger.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { csrfOf } from '../support/portal-test-app.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';
import { parseSeries, typeOf, valueOf } from '../support/prometheus-text.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let smtp: SmtpTestServer;
let t: TestApp;
before(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ env: { SMTP_URL: smtp.url } });
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es' }).expect(201);
});
after(async () => {
  await t.close();
  await smtp.close();
});

async function scrape(app = t.app): Promise<string> {
  const res = await request(app).get('/metrics').expect(200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.text;
}

/** Counters are the process's: a test reads how much one moved. */
function delta(before: string, after: string, name: string, labels: Record<string, string>): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

async function sendInvalidCredentials(linkId = randomUUID()): Promise<string> {
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
  return linkId;
}

describe('the metrics page', () => {
  test("names every metric of the contract with its type and labels, and the process's own", async () => {
    await sendInvalidCredentials();
    await t.worker.runOnce();
    const text = await scrape();
    const expected: Array<[string, string, string[]]> = [
      ['relink_webhooks_received_total', 'counter', ['type', 'outcome']],
      ['relink_messages_total', 'counter', ['channel', 'status']],
      ['relink_cases_total', 'counter', ['kind', 'status']],
      ['relink_outbox_pending', 'gauge', []],
      ['relink_belvo_requests_total', 'counter', ['operation', 'status']],
      ['relink_belvo_request_duration_seconds', 'histogram', ['operation', 'status']],
      ['relink_http_request_duration_seconds', 'histogram', ['route', 'method', 'status']],
      ['relink_cases_open', 'gauge', ['kind', 'status']],
      ['relink_outbox_oldest_pending_age_seconds', 'gauge', []],
      ['relink_webhook_events_pending', 'gauge', []],
      ['relink_retention_deleted_rows_total', 'counter', ['table']],
    ];
    const series = parseSeries(text);
    for (const [name, type, labels] of expected) {
      assert.equal(typeOf(text, name), type, name);
      if (name === 'relink_retention_deleted_rows_total') continue; // no row has aged out in this test
      const sample = series.find((s) => s.name === name || s.name === `${name}_count`);
      assert.ok(sample, `${name} has a series`);
      assert.deepEqual(Object.keys(sample.labels).sort(), [...labels].sort(), name);
    }
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      assert.ok(typeOf(text, name), `${name}, a default process metric`);
    }
  });

  test('a webhook, its case and its message through SMTP move their counters', async () => {
    const before = await scrape();
    const linkId = await sendInvalidCredentials();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' })).expect(202);
    const duplicate = freshSeedWebhook('link-invalid-credentials', { linkId, externalId: 'ana' });
    await postWebhook(t.app, duplicate).expect(202);
    await postWebhook(t.app, duplicate).expect(200);
    await postWebhook(t.app, { webhook_type: 'LINK' }).expect(400);
    await request(t.app).post('/webhooks/belvo').set('Authorization', 'Bearer wrong-token-0123456789').send({}).expect(401);
    await t.worker.runOnce();
    await smtp.waitForMessages(1);
    const after = await scrape();

    const webhooks = (outcome: string, type = 'LINK') => delta(before, after, 'relink_webhooks_received_total', { type, outcome });
    assert.equal(webhooks('accepted'), 3);
    assert.equal(webhooks('duplicate'), 1);
    assert.equal(webhooks('invalid'), 1);
    assert.equal(webhooks('unauthorized', 'unknown'), 1);
    assert.equal(delta(before, after, 'relink_cases_total', { kind: 'credentials', status: 'open' }), 1, 'one case opened');
    assert.equal(delta(before, after, 'relink_cases_total', { kind: 'credentials', status: 'notified' }), 1, 'and messaged');
    assert.equal(delta(before, after, 'relink_messages_total', { channel: 'email', status: 'sent' }), 1);
    // The link is not registered: for each of its three events the worker asked Belvo (the simulator) for its institution.
    const getLink = { operation: 'GET /api/links/{id}/', status: '200' };
    assert.equal(delta(before, after, 'relink_belvo_requests_total', getLink), 3);
    assert.equal(delta(before, after, 'relink_belvo_request_duration_seconds_count', getLink), 3);
    const intake = { route: '/webhooks/belvo', method: 'POST' };
    assert.equal(delta(before, after, 'relink_http_request_duration_seconds_count', { ...intake, status: '202' }), 3);
    assert.equal(delta(before, after, 'relink_http_request_duration_seconds_count', { ...intake, status: '401' }), 1);
  });

  test('a message the SMTP server refuses for now counts as retried, then one it refuses for good as failed', async () => {
    const before = await scrape();
    smtp.failNext(451);
    await sendInvalidCredentials();
    await t.worker.runOnce();
    const retried = await scrape();
    assert.equal(delta(before, retried, 'relink_messages_total', { channel: 'email', status: 'retried' }), 1);
    smtp.failNext(550);
    await sendInvalidCredentials();
    await t.worker.runOnce();
    const failed = await scrape();
    assert.equal(delta(retried, failed, 'relink_messages_total', { channel: 'email', status: 'failed' }), 1);
    assert.equal(delta(retried, failed, 'relink_cases_total', { kind: 'credentials', status: 'unreachable' }), 1);
  });

  test("a portal page is labelled with its route's pattern: no link token becomes a label value", async () => {
    const linkId = await sendInvalidCredentials();
    await t.worker.runOnce();
    const token = /\/r\/([A-Za-z0-9_-]+)/.exec(String(smtp.messages.at(-1)?.text))?.[1];
    assert.ok(token, linkId);
    const agent = request.agent(t.app);
    const page = await agent.get(`/r/${token}`).expect(200);
    await agent.post(`/r/${token}/password`).type('form').send({ _csrf: csrfOf(page.text), password: 'a new password' }).expect(303);
    await agent.get(`/r/${token}/widget/nonce/success`);
    await request(t.app).get(`/r/${token}x`);
    await request(t.app).get('/api/cases/1').expect(401);
    const text = await scrape();
    assert.ok(!text.includes(token), 'the token is in no label');
    const routes = new Set(parseSeries(text).flatMap((s) => (s.labels['route'] ? [s.labels['route']] : [])));
    for (const route of ['/r/:token', '/api/*', '/webhooks/belvo', '/metrics']) assert.ok(routes.has(route), `${route} in ${[...routes].join(' ')}`);
    for (const route of routes) assert.doesNotMatch(route, /[A-Za-z0-9_-]{20,}/, route);
  });
});

describe('gauges read from the database', () => {
  /** A fresh instance over the same database: its first scrape reads the tables (no cached answer). */
  const instance = () => createRuntime({ config: t.config, db: t.database.db, clock: t.clock, logger: silentLogger }).app;

  async function fromTables() {
    const count = async (table: string) =>
      Number((await t.database.db(table).whereIn('state', ['pending', 'running']).count({ n: '*' }))[0]!.n);
    const notified = await t.database.db('cases').where({ kind: 'credentials', status: 'notified' }).count({ n: '*' });
    const oldest = await t.database.db('outbox').where({ state: 'pending' }).min({ at: 'available_at' });
    return {
      events: await count('events'),
      outbox: await count('outbox'),
      notified: Number(notified[0]!.n),
      oldestSeconds: oldest[0]!.at === null ? 0 : Math.max(0, (t.clock.now() - Number(oldest[0]!.at)) / 1000),
    };
  }

  function assertReports(text: string, truth: Awaited<ReturnType<typeof fromTables>>): void {
    assert.equal(valueOf(text, 'relink_webhook_events_pending'), truth.events);
    assert.equal(valueOf(text, 'relink_outbox_pending'), truth.outbox);
    assert.equal(valueOf(text, 'relink_cases_open', { kind: 'credentials', status: 'notified' }), truth.notified);
    assert.equal(valueOf(text, 'relink_outbox_oldest_pending_age_seconds'), truth.oldestSeconds);
  }

  test('two instances over one database report the backlog and the open cases as the tables hold them', async () => {
    for (let i = 0; i < 3; i++) await sendInvalidCredentials();
    const waiting = await fromTables();
    assert.ok(waiting.events >= 3);
    for (const app of [instance(), instance()]) assertReports(await scrape(app), waiting);
    // Every kind and active status has its series, at zero if need be.
    assert.equal(parseSeries(await scrape(instance())).filter((s) => s.name === 'relink_cases_open').length, 3 * 4);

    // The worker opens the cases and queues their messages while SMTP refuses them for now.
    smtp.failNext(451, 3);
    await t.worker.runOnce();
    t.clock.advance(120_000);
    const queued = await fromTables();
    assert.equal(queued.events, 0);
    assert.ok(queued.outbox >= 3 && queued.oldestSeconds > 0);
    for (const app of [instance(), instance()]) assertReports(await scrape(app), queued);
  });
});

describe('who may read it', () => {
  test('with METRICS_TOKEN, only a Bearer request carrying it', async () => {
    const token = `metrics-${randomUUID()}`;
    const guarded = await startTestApp({ env: { METRICS_TOKEN: token } });
    try {
      const refused = await request(guarded.app).get('/metrics').expect(401);
      assert.equal(refused.headers['www-authenticate'], 'Bearer');
      assert.equal(refused.body.error.code, 'unauthorized');
      await request(guarded.app).get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
      await request(guarded.app).get('/metrics').set('Authorization', token).expect(401);
      const ok = await request(guarded.app).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      assert.ok(typeOf(ok.text, 'relink_outbox_pending'));
    } finally {
      await guarded.close();
    }
  });

  test('a METRICS_TOKEN too short to resist guessing, or with spaces, stops the start, named', () => {
    for (const token of ['short', 'has spaces in it 0123456789']) {
      assert.throws(() => loadConfig({ DATA_DIR: t.config.dataDir, METRICS_TOKEN: token }), /METRICS_TOKEN/);
    }
  });

  test('in production without METRICS_TOKEN there is no metrics page at all; with one, it is served', async () => {
    const production = {
      ...PRODUCTION_ENV,
      BELVO_API_URL: 'http://127.0.0.1:9/',
      DATA_DIR: t.config.dataDir,
    };
    const absent = createRuntime({ config: loadConfig(production), db: t.database.db, logger: silentLogger }).app;
    await request(absent).get('/metrics').expect(404);
    await request(absent).get('/metrics').set('Authorization', 'Bearer anything-at-all-0123').expect(404);
    const token = `metrics-${randomUUID()}`;
    const served = createRuntime({ config: loadConfig({ ...production, METRICS_TOKEN: token }), db: t.database.db, logger: silentLogger }).app;
    await request(served).get('/metrics').expect(401);
    await request(served).get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
  });
});

describe("the operator's webhooks", () => {
  test('each attempt to post one counts as delivered, or retried when the endpoint fails', async () => {
    const receiver = await startWebhookReceiver();
    const hooked = await startTestApp({ env: { OPERATOR_WEBHOOK_URL: `${receiver.url}/hook`, OPERATOR_WEBHOOK_SECRET: newWebhookSecret() } });
    try {
      await putUser(hooked.app, 'ana', { email: 'ana@example.com' }).expect(201);
      const before = await scrape(hooked.app);
      await postWebhook(hooked.app, freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId: 'ana' })).expect(202);
      await hooked.worker.runOnce();
      await receiver.waitForRequests(1);
      const delivered = await scrape(hooked.app);
      assert.ok(delta(before, delivered, 'relink_operator_webhooks_total', { status: 'delivered' }) >= 1);
      receiver.answerWith(() => ({ status: 500 }));
      await postWebhook(hooked.app, freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId: 'ana' })).expect(202);
      await hooked.worker.runOnce();
      const retried = await scrape(hooked.app);
      assert.ok(delta(delivered, retried, 'relink_operator_webhooks_total', { status: 'retried' }) >= 1);
    } finally {
      await hooked.close();
      await receiver.close();
    }
  });
});
