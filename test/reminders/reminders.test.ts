// The reminder schedule driven through the whole app with the manual clock: the worker is run by
// hand at chosen instants and what the user receives (the dev inbox) is what the test checks.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The manual clock's start: 23 November 2026, 15:00 UTC, 09:00 in Mexico City. */
const T0 = Date.UTC(2026, 10, 23, 15, 0, 0);

let t: TestApp;
afterEach(() => t?.close());

async function start(user: Record<string, unknown> = {}): Promise<string> {
  t = await startTestApp();
  await putUser(t.app, 'ana', { email: 'ana@example.com', locale: 'es', ...user }).expect((res) => assert.ok(res.status < 300));
  const linkId = randomUUID();
  await putLink(t.app, linkId, { external_id: 'ana', institution: 'erebor_mx_retail', institution_display_name: 'Erebor' });
  return linkId;
}

async function openCase(linkId: string, seed: Parameters<typeof freshSeedWebhook>[0] = 'link-invalid-credentials') {
  await postWebhook(t.app, freshSeedWebhook(seed, { linkId, externalId: 'ana' })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number; status: string }>;
  return theCase!;
}

/** Moves the clock to `ms` and runs one worker round there. */
async function runAt(ms: number): Promise<void> {
  t.clock.set(ms);
  await t.worker.runOnce();
}

async function inbox() {
  return (await t.database.db('dev_inbox').orderBy('id')) as Array<{ channel: string; subject: string | null; text: string; created_at: number | string }>;
}

const linkOf = (text: string) => /\/r\/[A-Za-z0-9_-]{35}/.exec(text)![0];
const stateOf = (html: string) => /<main[^>]*data-state="([a-z]+)"/.exec(html)?.[1];

async function caseOf(id: number) {
  return (await getApi(t.app, `/cases/${id}`)).body as { status: string; timeline: Array<{ type: string; detail: Record<string, unknown> | null }> };
}

describe('reminders of an unanswered case', () => {
  test('remind exactly 24 h and 72 h after the first message, in different words, and expire after 7 days', async () => {
    const linkId = await start();
    const theCase = await openCase(linkId);
    const [first] = await inbox();
    assert.match(first!.subject!, /dejó de funcionar/);

    await runAt(T0 + 24 * HOUR - 1);
    assert.equal((await inbox()).length, 1);
    await runAt(T0 + 24 * HOUR);
    const [, reminder] = await inbox();
    assert.equal(Number(reminder!.created_at), T0 + 24 * HOUR);
    assert.equal(reminder!.subject, 'Recordatorio de Demo Fintech: la conexión de tu cuenta de Erebor sigue sin funcionar');
    // A link lives as long as its case, so the reminder carries the same working link.
    assert.equal(linkOf(reminder!.text), linkOf(first!.text));
    assert.equal(stateOf((await request(t.app).get(linkOf(reminder!.text))).text), 'password');

    await runAt(T0 + 72 * HOUR - 1);
    assert.equal((await inbox()).length, 2);
    await runAt(T0 + 72 * HOUR);
    assert.equal((await inbox()).length, 3);

    // Past LINK_TTL_HOURS (72 h) the first message's link still works: the case is still open.
    await runAt(T0 + 5 * DAY);
    const early = await request(t.app).get(linkOf(first!.text));
    assert.equal(early.status, 200);
    assert.equal(stateOf(early.text), 'password');

    await runAt(T0 + 7 * DAY - 1);
    assert.equal((await caseOf(theCase.id)).status, 'notified');
    await runAt(T0 + 7 * DAY);
    const expired = await caseOf(theCase.id);
    assert.equal(expired.status, 'expired');
    assert.deepEqual(expired.timeline.at(-1)!.detail, { reason: 'no_answer', reminders_sent: 2 });
    const reminders = expired.timeline.filter((e) => e.type === 'message_queued' && e.detail?.['template'] === 'reminder');
    assert.equal(reminders.length, 2);

    for (const message of await inbox()) {
      const page = await request(t.app).get(linkOf(message.text));
      assert.equal(page.status, 410);
      assert.equal(stateOf(page.text), 'expired');
    }
    await runAt(T0 + 30 * DAY);
    assert.equal((await inbox()).length, 3);
  });

  test('a reminder due at night in the user’s time zone waits for 08:00 there', async () => {
    // 15:00 UTC is midnight in Tokyo: the first message goes at once, its reminder not at midnight.
    const linkId = await start({ time_zone: 'Asia/Tokyo' });
    await openCase(linkId);
    await runAt(T0 + 24 * HOUR);
    await runAt(Date.UTC(2026, 10, 24, 22, 59)); // 07:59 in Tokyo
    assert.equal((await inbox()).length, 1);
    await runAt(Date.UTC(2026, 10, 24, 23, 0)); // 08:00 in Tokyo
    const all = await inbox();
    assert.equal(all.length, 2);
    assert.equal(Number(all[1]!.created_at), Date.UTC(2026, 10, 24, 23, 0));
  });

  test('no reminder and no expiry once the case is resolved', async () => {
    const linkId = await start();
    const theCase = await openCase(linkId);
    t.clock.set(T0 + HOUR);
    await postWebhook(t.app, freshSeedWebhook('accounts-historical-update', { linkId })).expect(202);
    await t.worker.runOnce();
    for (const at of [T0 + 24 * HOUR, T0 + 72 * HOUR, T0 + 8 * DAY]) await runAt(at);
    assert.equal((await inbox()).length, 1);
    assert.equal((await caseOf(theCase.id)).status, 'resolved');
  });

  test('two workers over one database send a due reminder once', async () => {
    const linkId = await start();
    await openCase(linkId);
    const other = createRuntime({ config: t.config, db: t.database.db, clock: t.clock, logger: createLogger({ write: () => {} }) });
    t.clock.set(T0 + 24 * HOUR);
    await Promise.all([t.worker.runOnce(), other.worker.runOnce(), t.worker.runOnce(), other.worker.runOnce()]);
    await Promise.all([t.worker.runOnce(), other.worker.runOnce()]);
    assert.equal((await inbox()).length, 2);
  });

  test('a worker that was down sends one reminder for the ones it missed, then the schedule goes on', async () => {
    const linkId = await start();
    const theCase = await openCase(linkId);
    await runAt(T0 + 80 * HOUR); // 17:00 in Mexico City, past both reminders
    assert.equal((await inbox()).length, 2);
    await runAt(T0 + 6 * DAY);
    assert.equal((await inbox()).length, 2);
    await runAt(T0 + 7 * DAY);
    assert.equal((await caseOf(theCase.id)).status, 'expired');
  });
});

describe('consent reminders', () => {
  test('are timed against the consent’s due date, and the case lives until that date', async () => {
    const linkId = await start({ locale: 'pt-BR' });
    const due = Date.UTC(2026, 11, 3, 18, 0); // 3 December 2026, 15:00 in São Paulo
    const hook = freshSeedWebhook('consent-about-to-expire', { linkId });
    Object.assign(hook.data as Record<string, unknown>, { consent_due_date: new Date(due).toISOString(), institution: 'ofmockbank_br_retail' });
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();
    const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;

    await runAt(T0 + 72 * HOUR);
    assert.equal((await inbox()).length, 1, 'no 24 h / 72 h reminders for a consent with a due date');
    await runAt(due - 3 * DAY);
    await runAt(due - DAY);
    const all = await inbox();
    assert.deepEqual(all.map((m) => Number(m.created_at)), [T0, due - 3 * DAY, due - DAY]);
    assert.match(all[1]!.subject!, /^Lembrete de Demo Fintech: o consentimento da sua conta .* vence em 3 de dezembro de 2026/);

    await runAt(due - 1);
    assert.equal((await caseOf(theCase!.id)).status, 'notified');
    await runAt(due);
    assert.equal((await caseOf(theCase!.id)).status, 'expired');
  });
});

describe('openfinance_consent_expiration_changed', () => {
  async function aboutToExpire(due: number) {
    const linkId = await start({ locale: 'pt-BR' });
    const hook = freshSeedWebhook('consent-about-to-expire', { linkId });
    Object.assign(hook.data as Record<string, unknown>, { consent_due_date: new Date(due).toISOString(), institution: 'ofmockbank_br_retail' });
    await postWebhook(t.app, hook).expect(202);
    await t.worker.runOnce();
    const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
    return { linkId, caseId: theCase!.id, consentId: (hook.data as Record<string, unknown>)['consent_id'] };
  }

  test('moves the open case\'s due date: reminders follow the new date and the case lives until it', async () => {
    const due = Date.UTC(2026, 11, 3, 18, 0); // 3 December 2026, 15:00 in São Paulo
    const later = Date.UTC(2026, 11, 20, 18, 0); // 20 December
    const { linkId, caseId, consentId } = await aboutToExpire(due);
    await runAt(due - 3 * DAY); // the first consent reminder goes out
    assert.equal((await inbox()).length, 2);

    t.clock.set(due - 2 * DAY);
    const changed = freshSeedWebhook('consent-expiration-changed', { linkId });
    Object.assign(changed.data as Record<string, unknown>, { consent_id: consentId, consent_due_date: new Date(later).toISOString() });
    await postWebhook(t.app, changed).expect(202);
    await t.worker.runOnce();

    const theCase = await caseOf(caseId);
    assert.deepEqual(theCase.timeline.at(-1), {
      ...theCase.timeline.at(-1),
      type: 'case_updated',
      detail: { consent_due_date: new Date(later).toISOString(), previous_consent_due_date: new Date(due).toISOString() },
    });
    for (const at of [due - DAY, due, due + DAY]) await runAt(at);
    assert.equal((await inbox()).length, 2, 'no reminder for the old date, and no expiry on it');
    assert.equal((await caseOf(caseId)).status, 'notified');
    await runAt(later - 3 * DAY);
    await runAt(later - DAY);
    const all = await inbox();
    assert.deepEqual(all.slice(2).map((m) => Number(m.created_at)), [later - 3 * DAY, later - DAY]);
    assert.match(all[2]!.subject!, /vence em 20 de dezembro de 2026/);
    await runAt(later);
    assert.equal((await caseOf(caseId)).status, 'expired');
  });

  test('without a due date it is recorded on the case, and the schedule stays as it was', async () => {
    const due = Date.UTC(2026, 11, 3, 18, 0);
    const { linkId, caseId } = await aboutToExpire(due);
    const changed = freshSeedWebhook('consent-expiration-changed', { linkId });
    changed.data = { consent_id: null };
    await postWebhook(t.app, changed).expect(202);
    await t.worker.runOnce();
    const theCase = await caseOf(caseId);
    assert.equal(theCase.timeline.at(-1)!.type, 'event_received');
    assert.equal(theCase.timeline.at(-1)!.detail!['webhook_code'], 'openfinance_consent_expiration_changed');
    await runAt(due - 3 * DAY);
    assert.equal((await inbox()).length, 2);
  });
});

