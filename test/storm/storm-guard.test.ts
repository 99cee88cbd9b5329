// The storm guard end to end, on a manual clock, with the real local SMTP server: the guard holds at
// exactly its threshold, the operator sees what is held and is told once, a release sends through
// the shared send-rate limit and restarts counting, held messages expire with their case and get no
// reminders, and an institution Belvo reports down is held too.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { openTestDatabase } from '../support/database.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { busiestSecond, until } from '../support/send-checks.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';

const THRESHOLD = 3;
const EMAIL_RATE = 4;
const DAY = 86_400_000;

let smtp: SmtpTestServer;
let t: TestApp;

before(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      STORM_GUARD: `${THRESHOLD}/10m`,
      EMAIL_RATE_PER_SECOND: String(EMAIL_RATE),
      OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/relink',
      OPERATOR_WEBHOOK_SECRET: newWebhookSecret(),
    },
  });
});
after(async () => {
  await t.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.messages.length = 0;
  smtp.arrivals.length = 0;
});

const release = (institution: string) =>
  request(t.app).post(`/api/storms/${encodeURIComponent(institution)}/release`).set('Authorization', `Bearer ${API_KEY}`);

/** Records `n` invalid_credentials webhooks, each for a user and link of its own at `institution`. */
async function webhooks(institution: string, n: number): Promise<string[]> {
  const linkIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const externalId = `${institution}-${randomUUID()}`;
    const linkId = randomUUID();
    await putUser(t.app, externalId, { email: `${externalId}@example.com` }).expect(201);
    await putLink(t.app, linkId, { external_id: externalId, institution }).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    linkIds.push(linkId);
  }
  return linkIds;
}

const round = () => t.worker.runOnce();

/** Runs the worker until no event or message waits. */
async function drain(): Promise<void> {
  await until(async () => {
    const waiting = await t.database.db('events').whereIn('state', ['pending', 'running']).count({ n: '*' }).first();
    const queued = await t.database.db('outbox').whereIn('state', ['pending', 'running']).count({ n: '*' }).first();
    return Number(waiting!.n) + Number(queued!.n) === 0;
  }, round);
}

async function caseOf(linkId: string) {
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`).expect(200)).body.cases as Array<{ id: number; link_id: string; status: string; held: boolean }>;
  return theCase!;
}

/** The cases of these links the guard holds. Workers open cases of different links side by side, so which ones is up to the order they were processed. */
async function heldCases(linkIds: readonly string[]) {
  return (await Promise.all(linkIds.map(caseOf))).filter((c) => c.held);
}

async function timelineOf(caseId: number) {
  return ((await getApi(t.app, `/cases/${caseId}`).expect(200)).body.timeline as Array<{ type: string; detail: Record<string, unknown> }>).map((e) => e.type);
}

const stormWarnings = (logs: readonly string[], institution: string) => logs.filter((line) => line.includes('STORM GUARD') && line.includes(institution));

/** The data of the operator events of this type recorded for the institution. */
async function operatorEvents(type: 'storm.detected' | 'storm.released', institution: string) {
  const rows = (await t.database.db('webhook_deliveries').where({ type }).orderBy('id')) as Array<{ payload: string }>;
  return rows.map((row) => (JSON.parse(row.payload) as { data: { institution: string; cases: number } }).data).filter((d) => d.institution === institution);
}

async function stormOf(institution: string) {
  const storms = (await getApi(t.app, '/storms').expect(200)).body.storms as Array<Record<string, unknown>>;
  return storms.find((s) => s['institution'] === institution);
}

describe('holding at the threshold', () => {
  test(`${THRESHOLD} cases send, the next ones are held, shown as held, and the operator is told once`, async () => {
    const institution = 'erebor_mx_retail';
    const links = await webhooks(institution, THRESHOLD + 2);
    await drain();
    assert.equal(smtp.messages.length, THRESHOLD, 'only the cases up to the threshold were messaged');

    const cases = await Promise.all(links.map(caseOf));
    assert.deepEqual(
      cases.map((c) => `${c.status}${c.held ? ', held' : ''}`).sort(),
      [...Array(THRESHOLD).fill('notified'), 'open, held', 'open, held'],
    );
    const held = cases.find((c) => c.held)!;
    assert.deepEqual(await timelineOf(held.id), ['event_received', 'message_held']);

    const storm = await stormOf(institution);
    assert.equal(storm?.['reason'], 'threshold');
    assert.equal(storm?.['cases_counted'], THRESHOLD + 1);
    assert.equal(storm?.['held_cases'], 2);
    assert.equal(storm?.['held_messages'], 2);
    assert.equal(stormWarnings(t.logs, institution).length, 1, 'one warning');
    assert.deepEqual(await operatorEvents('storm.detected', institution), [{ institution, cases: THRESHOLD + 1 }], 'one event');
    assert.match(stormWarnings(t.logs, institution)[0]!, /"level":"warn"/);

    // A repeated webhook for a held case keeps one held message; another bank is not held.
    await webhooks('gringotts_co_retail', 1);
    await drain();
    assert.equal(smtp.messages.length, THRESHOLD + 1);
    assert.equal((await stormOf(institution))?.['held_messages'], 2);
  });

  test('the held messages get no reminders, however long they wait', async () => {
    const institution = 'moria_br_retail';
    const links = await webhooks(institution, THRESHOLD + 1);
    await drain();
    const [held] = await heldCases(links);
    t.clock.advance(3 * DAY);
    await drain();
    await t.worker.runOnce();
    assert.deepEqual(await timelineOf(held!.id), ['event_received', 'message_held']);
    assert.equal((await heldCases(links)).length, 1);
    await release(institution).expect(200);
    await drain();
  });
});

describe('release', () => {
  test('sends every held message through SMTP within the send-rate limit, and counting starts again', async () => {
    const institution = 'rohan_mx_retail';
    const links = await webhooks(institution, THRESHOLD + 12);
    await drain();
    assert.equal(smtp.messages.length, THRESHOLD);
    smtp.arrivals.length = 0;

    const res = await release(institution).expect(200);
    assert.equal(res.body.storm.released_messages, 12);
    assert.equal(res.body.storm.released_cases, 12);
    assert.deepEqual(await operatorEvents('storm.released', institution), [{ institution, cases: 12 }]);
    await until(() => smtp.messages.length >= THRESHOLD + 12, round);
    assert.ok(busiestSecond(smtp.arrivals) <= EMAIL_RATE, `${busiestSecond(smtp.arrivals)} e-mails in one second`);
    const cases = await Promise.all(links.map(caseOf));
    assert.ok(cases.every((c) => c.status === 'notified' && !c.held));
    const released = (await Promise.all(cases.map(async (c) => (await timelineOf(c.id)).includes('storm_released')))).filter(Boolean);
    assert.equal(released.length, 12);
    assert.equal(await stormOf(institution), undefined);
    await release(institution).expect(404);

    // Counting restarts at the release: a minute later, the window's 15 cases no longer count.
    t.clock.advance(60_000);
    smtp.messages.length = 0;
    const again = await webhooks(institution, THRESHOLD + 1);
    await drain();
    assert.equal(smtp.messages.length, THRESHOLD);
    assert.equal((await heldCases(again)).length, 1);
    assert.equal(stormWarnings(t.logs, institution).length, 2, 'a new storm is a new warning');
    await release(institution).expect(200);
    await drain();
  });

  test('an institution that is not held answers 404', async () => {
    const res = await release('nobody_mx_retail').expect(404);
    assert.equal(res.body.error.code, 'not_found');
  });
});

describe('expiry', () => {
  test('a message held longer than a case lives expires with its case, and a release never sends it', async () => {
    const institution = 'isengard_co_retail';
    const links = await webhooks(institution, THRESHOLD + 1);
    await drain();
    const [held] = await heldCases(links);
    t.clock.advance(t.config.reminders.expiryMs + 60_000);
    await t.worker.runOnce();
    const expired = await caseOf(held!.link_id);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.held, false);
    assert.deepEqual((await timelineOf(held!.id)).slice(-2), ['expired', 'message_skipped']);
    assert.equal((await stormOf(institution))?.['held_messages'], 0);
    smtp.messages.length = 0;
    const res = await release(institution).expect(200);
    assert.equal(res.body.storm.released_messages, 0);
    await drain();
    assert.equal(smtp.messages.length, 0);
  });
});

describe('two workers', () => {
  test('processing one burst at once, they hold at the same count and tell the operator once', async () => {
    const institution = 'gondor_mx_retail';
    const logs: string[] = [];
    const other = openTestDatabase(t.database.url, t.database.schema);
    const second = createRuntime({ config: t.config, db: other, clock: t.clock, logger: createLogger({ write: (line) => logs.push(line) }), random: () => 0.5 });
    try {
      const links = await webhooks(institution, 10);
      await Promise.all([t.worker.runOnce(), second.worker.runOnce(), t.worker.runOnce(), second.worker.runOnce()]);
      await drain();
      const cases = await Promise.all(links.map(caseOf));
      assert.equal(cases.filter((c) => c.held).length, 10 - THRESHOLD);
      assert.equal(smtp.messages.length, THRESHOLD);
      assert.equal(stormWarnings([...t.logs, ...logs], institution).length, 1);
      assert.deepEqual(await operatorEvents('storm.detected', institution), [{ institution, cases: THRESHOLD + 1 }]);
    } finally {
      await second.worker.stop();
      await other.destroy();
    }
    await release(institution).expect(200);
    await drain();
  });
});

describe('institution_down', () => {
  test('a submission Belvo answers institution_down holds the institution: the next case is held', async () => {
    const institution = 'mordor_br_retail';
    const [first] = await webhooks(institution, 1);
    await drain();
    const theCase = await caseOf(first!);
    const [mail] = smtp.messages;
    const path = /\/r\/[A-Za-z0-9_-]+/.exec(mail!.text ?? '')![0];
    const agent = request.agent(t.app);
    const page = await agent.get(path).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await agent.post(`${path}/password`).type('form').send({ _csrf: csrf, password: 'down' }).expect(303);
    assert.equal((await caseOf(first!)).status, 'opened', 'the person may try again later');
    assert.equal(stormWarnings(t.logs, institution).length, 1);
    assert.equal((await stormOf(institution))?.['reason'], 'institution_down');
    assert.deepEqual(await operatorEvents('storm.detected', institution), [{ institution, cases: 1 }]);

    const [next] = await webhooks(institution, 1);
    await drain();
    assert.equal((await caseOf(next!)).held, true);
    assert.equal(smtp.messages.length, 1);
    assert.ok(theCase.id > 0);
    await release(institution).expect(200);
    await until(() => smtp.messages.length >= 2, round);
  });
});
