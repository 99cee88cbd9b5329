// The operator API's verbs on cases and users: read a user with their cases, resend a case's message
// (through real local SMTP and Twilio-compatible servers), close a case, and filter the case list.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { ADMIN_PASSWORD, signedInAgent } from '../support/console-session.ts';
import { API_KEY, startTestApp, type TestApp } from '../support/test-app.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const HOUR = 3_600_000;
const PORTAL_LINK = /https:\/\/relink\.example\.com\/r\/([A-Za-z0-9_-]{35})/;

let t: TestApp;
let smtp: SmtpTestServer;
let twilio: TwilioTestServer;

before(async () => {
  smtp = await startSmtpServer();
  twilio = await startTwilioServer();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Relink <no-reply@relink.example.com>',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      ADMIN_PASSWORD,
    },
  });
  twilio.routeCallbacksTo(t.url);
});
after(async () => {
  await t.close();
  await smtp.close();
  await twilio.close();
});

const post = (path: string, body?: object) => {
  const req = request(t.app).post(`/api${path}`).set('Authorization', `Bearer ${API_KEY}`);
  return body === undefined ? req : req.send(body);
};

type Timeline = Array<{ type: string; detail: Record<string, unknown> | null }>;
const timeline = async (caseId: number) => (await getApi(t.app, `/cases/${caseId}`)).body.timeline as Timeline;
const caseOf = async (caseId: number) => (await getApi(t.app, `/cases/${caseId}`)).body as { status: string };

let people = 0;
/** A registered user with a case whose first message the worker has sent. */
async function messagedCase(user: Record<string, unknown> = {}) {
  people += 1;
  const externalId = `user-${randomUUID()}`;
  const email = `person${people}@example.com`;
  const linkId = randomUUID();
  await putUser(t.app, externalId, { email, locale: 'en', ...user }).expect(201);
  await putLink(t.app, linkId, { external_id: externalId, institution: 'erebor_mx_retail', institution_display_name: 'Erebor' });
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return { caseId: theCase!.id, externalId, email, linkId };
}

const mailsTo = (address: string) => smtp.messages.filter((m) => m.to && 'text' in m.to && m.to.text === address);
const tokenIn = (text: string | undefined) => PORTAL_LINK.exec(text ?? '')?.[1];

describe('GET /api/users/:externalId', () => {
  test('answers the user as stored with their cases, newest first', async () => {
    const { externalId, email, caseId } = await messagedCase({ phone: '+5215500000001', name: 'Ana' });
    const res = await getApi(t.app, `/users/${externalId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.user, {
      external_id: externalId,
      email,
      phone: '+5215500000001',
      locale: 'en',
      name: 'Ana',
      channels: null,
      time_zone: null,
      document: null,
    });
    assert.deepEqual(
      (res.body.cases as Array<{ id: number; status: string }>).map((c) => [c.id, c.status]),
      [[caseId, 'notified']],
    );
  });

  test('includes a case a webhook opened before the user was registered', async () => {
    const externalId = `late-${randomUUID()}`;
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    await putUser(t.app, externalId, { email: 'late@example.com' }).expect(201);
    const res = await getApi(t.app, `/users/${externalId}`);
    assert.equal(res.body.cases.length, 1);
    assert.equal(res.body.cases[0].status, 'unreachable');
  });

  test('an unknown user answers 404 JSON, and the key is required', async () => {
    const res = await getApi(t.app, '/users/nobody-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    assert.equal((await request(t.app).get('/api/users/nobody-here')).status, 401);
  });
});

describe('POST /api/cases/:id/resend', () => {
  test('202: a second e-mail arrives at once with a fresh link that opens the case, recorded as the API key’s doing', async () => {
    const { caseId, email } = await messagedCase();
    t.clock.advance(HOUR);
    const res = await post(`/cases/${caseId}/resend`);
    assert.equal(res.status, 202);
    assert.equal(res.body.message.channel, 'email');
    assert.equal(res.body.case.id, caseId);
    await t.worker.runOnce();

    const mails = mailsTo(email);
    assert.equal(mails.length, 2);
    const [first, second] = [tokenIn(mails[0]!.text), tokenIn(mails[1]!.text)];
    assert.ok(second);
    assert.notEqual(second, first, 'the link is a fresh one');
    const page = await request(t.app).get(`/r/${second}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /data-state="password"/);

    const requested = (await timeline(caseId)).find((e) => e.type === 'resend_requested');
    assert.deepEqual(requested?.detail, { by: 'api_key', channel: 'email' });
  });

  test('sends by the channel the operator names', async () => {
    const phone = '+5215500000002';
    const { caseId } = await messagedCase({ phone });
    const res = await post(`/cases/${caseId}/resend`, { channel: 'sms' });
    assert.equal(res.status, 202);
    assert.equal(res.body.message.channel, 'sms');
    await t.worker.runOnce();
    const texts = twilio.messages.filter((m) => m.to === phone);
    assert.equal(texts.length, 1);
    assert.ok(tokenIn(texts[0]!.body));
  });

  test('skips a channel that failed for good on the case: an SMS Twilio reported undelivered', async () => {
    const phone = '+5215500000003';
    const { caseId, email } = await messagedCase({ phone, channels: ['sms', 'email'] });
    const [text] = twilio.messages.filter((m) => m.to === phone);
    assert.equal(await twilio.deliver(text!.sid, 'undelivered', { ErrorCode: '30005' }), 204);
    await t.worker.runOnce();
    const before = mailsTo(email).length;
    const res = await post(`/cases/${caseId}/resend`);
    assert.equal(res.body.message.channel, 'email');
    await t.worker.runOnce();
    assert.equal(mailsTo(email).length, before + 1);
    assert.equal(twilio.messages.filter((m) => m.to === phone).length, 1, 'no second text to the number that failed');
  });

  test('reaches a case that waited for its user once the operator registers them', async () => {
    const externalId = `waiting-${randomUUID()}`;
    const linkId = randomUUID();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number; status: string }>;
    assert.equal(theCase!.status, 'unreachable');

    const refused = await post(`/cases/${theCase!.id}/resend`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'unknown_user');

    await putUser(t.app, externalId, { email: 'found@example.com' }).expect(201);
    assert.equal((await post(`/cases/${theCase!.id}/resend`)).status, 202);
    await t.worker.runOnce();
    assert.equal(mailsTo('found@example.com').length, 1);
    assert.equal((await caseOf(theCase!.id)).status, 'notified');
  });

  test('409 when the named channel has no contact or is not set up here, and nothing is queued', async () => {
    const { caseId } = await messagedCase();
    const res = await post(`/cases/${caseId}/resend`, { channel: 'sms' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'no_contact');
    const whatsapp = await post(`/cases/${caseId}/resend`, { channel: 'whatsapp' });
    assert.equal(whatsapp.status, 409);
    assert.equal(whatsapp.body.error.code, 'channel_unavailable');
    assert.equal((await timeline(caseId)).filter((e) => e.type === 'message_queued').length, 1);
  });

  test('409 for a closed or resolved case', async () => {
    const { caseId } = await messagedCase();
    await post(`/cases/${caseId}/close`).expect(200);
    const closed = await post(`/cases/${caseId}/resend`);
    assert.equal(closed.status, 409);
    assert.equal(closed.body.error.code, 'case_ended');

    const other = await messagedCase();
    await t.database.db('cases').where({ id: other.caseId }).update({ status: 'resolved', open_key: null });
    assert.equal((await post(`/cases/${other.caseId}/resend`)).status, 409);
  });

  test('refuses an unknown case (404), a bad id or channel (400), and a missing key (401)', async () => {
    assert.equal((await post('/cases/999999/resend')).status, 404);
    const badId = await post('/cases/abc/resend');
    assert.equal(badId.status, 400);
    assert.equal(badId.body.error.field, 'id');
    const { caseId } = await messagedCase();
    const badChannel = await post(`/cases/${caseId}/resend`, { channel: 'fax' });
    assert.equal(badChannel.status, 400);
    assert.equal(badChannel.body.error.field, 'channel');
    assert.equal((await request(t.app).post(`/api/cases/${caseId}/resend`)).status, 401);
  });
});

describe('POST /api/cases/:id/close', () => {
  test('200: the case is closed with its reason on the timeline, and its link stops working', async () => {
    const { caseId, email } = await messagedCase();
    const token = tokenIn(mailsTo(email)[0]!.text)!;
    assert.equal((await request(t.app).get(`/r/${token}`)).status, 200);

    const res = await post(`/cases/${caseId}/close`, { reason: 'The customer left' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'closed');
    assert.ok(res.body.closed_at);
    assert.deepEqual(res.body.timeline.at(-1), {
      at: res.body.closed_at,
      type: 'closed',
      detail: { by: 'api_key', reason: 'The customer left' },
    });

    const page = await request(t.app).get(`/r/${token}`);
    assert.equal(page.status, 410);
    assert.match(page.text, /data-state="expired"/);
    const submit = await request(t.app).post(`/r/${token}/seen`);
    assert.notEqual(submit.status, 204, 'the page cannot even record a visit');
  });

  test('no reminder goes out for a closed case, and a message still queued is skipped', async () => {
    const { caseId, email } = await messagedCase();
    await post(`/cases/${caseId}/resend`).expect(202);
    await post(`/cases/${caseId}/close`).expect(200);
    t.clock.advance(5 * 24 * HOUR);
    await t.worker.runOnce();
    await t.worker.runOnce();
    assert.equal(mailsTo(email).length, 1, 'only the first message ever went out');
    const types = (await timeline(caseId)).map((e) => e.type);
    assert.ok(types.includes('message_skipped'));
    assert.ok(!types.includes('expired'), 'the closed case does not expire later either');
    const row = await t.database.db('cases').where({ id: caseId }).first();
    assert.equal(row!.next_reminder_at, null);
  });

  test('closing twice answers 200 and records one close', async () => {
    const { caseId } = await messagedCase();
    await post(`/cases/${caseId}/close`).expect(200);
    const again = await post(`/cases/${caseId}/close`, { reason: 'again' });
    assert.equal(again.status, 200);
    assert.equal(again.body.timeline.filter((e: { type: string }) => e.type === 'closed').length, 1);
  });

  test('409 for a resolved case; 404 unknown; 400 for a reason too long or an unknown field', async () => {
    const { caseId } = await messagedCase();
    await t.database.db('cases').where({ id: caseId }).update({ status: 'resolved', open_key: null });
    const resolved = await post(`/cases/${caseId}/close`);
    assert.equal(resolved.status, 409);
    assert.equal(resolved.body.error.code, 'case_ended');
    assert.equal((await caseOf(caseId)).status, 'resolved');
    assert.equal((await post('/cases/999999/close')).status, 404);
    const other = await messagedCase();
    assert.equal((await post(`/cases/${other.caseId}/close`, { reason: 'x'.repeat(501) })).body.error.field, 'reason');
    assert.equal((await post(`/cases/${other.caseId}/close`, { why: 'no' })).status, 400);
  });

  test('a closed case frees its link: the next webhook for it opens a new case', async () => {
    const { caseId, linkId, externalId } = await messagedCase();
    await post(`/cases/${caseId}/close`).expect(200);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    const cases = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number; status: string }>;
    assert.deepEqual(
      cases.map((c) => c.status),
      ['notified', 'closed'],
    );
  });
});

describe('GET /api/cases filters', () => {
  test('by kind, institution, external_id, status closed and a time range, paged by keyset', async () => {
    t.clock.advance(60_000);
    const start = t.clock.now();
    const a = await messagedCase();
    t.clock.advance(HOUR);
    const b = await messagedCase();
    const c = await messagedCase();
    await post(`/cases/${c.caseId}/close`).expect(200);

    const ids = async (query: string) =>
      ((await getApi(t.app, `/cases?${query}`)).body.cases as Array<{ id: number }>).map((x) => x.id);
    assert.deepEqual(await ids(`external_id=${b.externalId}`), [b.caseId]);
    assert.deepEqual(await ids(`status=closed&created_from=${new Date(start).toISOString()}`), [c.caseId]);
    const range = `created_from=${new Date(start).toISOString()}&created_to=${new Date(start + HOUR).toISOString()}`;
    assert.deepEqual(await ids(range), [a.caseId]);
    const since = `kind=credentials&institution=erebor_mx_retail&created_from=${new Date(start).toISOString()}`;
    assert.deepEqual(await ids(since), [c.caseId, b.caseId, a.caseId]);
    assert.deepEqual(await ids('kind=mfa&created_from=2099-01-01'), []);

    const page1 = await getApi(t.app, `/cases?${since}&limit=2`);
    assert.deepEqual(page1.body.cases.map((x: { id: number }) => x.id), [c.caseId, b.caseId]);
    assert.equal(page1.body.next_before, b.caseId);
    const page2 = await getApi(t.app, `/cases?${since}&limit=2&before=${page1.body.next_before}`);
    assert.deepEqual(page2.body.cases.map((x: { id: number }) => x.id), [a.caseId]);
    assert.equal(page2.body.next_before, null);
  });

  const invalid: Array<[string, string]> = [
    ['kind=password', 'kind'],
    ['created_from=yesterday', 'created_from'],
    ['created_from=2026-11-02&created_to=2026-11-01', 'created_to'],
  ];
  for (const [query, field] of invalid) {
    test(`?${query} is refused with 400 naming ${field}`, async () => {
      const res = await getApi(t.app, `/cases?${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.field, field);
    });
  }
});

describe('what a provider reports about a message', () => {
  test('shows on the console’s case page, the furthest status winning whatever the order', async () => {
    const phone = '+5215500000099';
    const { caseId } = await messagedCase({ phone, channels: ['sms'] });
    const [text] = twilio.messages.filter((m) => m.to === phone);
    const agent = await signedInAgent(t.app);
    const shown = async () => /data-delivery="([a-z]+)"/.exec((await agent.get(`/admin/cases/${caseId}`)).text)?.[1];
    assert.equal(await shown(), 'sent');
    assert.equal(await twilio.deliver(text!.sid, 'read'), 204);
    assert.equal(await twilio.deliver(text!.sid, 'delivered'), 204);
    assert.equal(await shown(), 'read');
  });
});
