// Twilio's status callbacks, sent by the local Twilio-compatible server signed as Twilio signs, and
// what they change: the case timeline, and the channel of the case's next messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { startTwilioServer, twilioSignature, type TwilioTestServer } from '../support/twilio-test-server.ts';

const DAY_PLUS = 24 * 3_600_000;
const CALLBACK_URL = 'https://relink.example.com/webhooks/twilio';

let twilio: TwilioTestServer;
let t: TestApp;
before(async () => {
  twilio = await startTwilioServer();
  t = await startTestApp({
    env: {
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
    },
  });
  twilio.routeCallbacksTo(t.url);
});
after(async () => {
  await t.close();
  await twilio.close();
});

type Timeline = Array<{ at: string; type: string; detail: Record<string, unknown> | null }>;

/** A user who prefers SMS and also has e-mail, and a case that has just texted them. */
async function textedCase(): Promise<{ caseId: number; sid: string; externalId: string; phone: string }> {
  const externalId = `user-${randomUUID()}`;
  const linkId = randomUUID();
  const phone = aPhone();
  await putUser(t.app, externalId, { phone, email: `${externalId}@example.com`, channels: ['sms', 'email'], locale: 'es' });
  await putLink(t.app, linkId, { external_id: externalId, institution: 'erebor_mx_retail' });
  const before = twilio.messages.length;
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  const sent = twilio.messages.slice(before);
  assert.equal(sent.length, 1);
  return { caseId: theCase!.id, sid: sent[0]!.sid, externalId, phone };
}

async function timeline(caseId: number): Promise<Timeline> {
  return (await getApi(t.app, `/cases/${caseId}`)).body.timeline as Timeline;
}

let phones = 0;
/** Every user texts from a number of their own, so each test counts only its own texts. */
const aPhone = () => `+52155${String(10_000_000 + (phones += 1))}`;
const textsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).length;

const emailsTo = async (address: string) => t.database.db('dev_inbox').where({ channel: 'email', recipient: address });

describe('POST /webhooks/twilio', () => {
  test('each SMS asks Twilio for status callbacks at PUBLIC_URL/webhooks/twilio', async () => {
    await textedCase();
    assert.equal(twilio.messages.at(-1)!.statusCallback, CALLBACK_URL);
  });

  test('sent and delivered reports, signed by Twilio, are recorded on the case timeline', async () => {
    const { caseId, sid } = await textedCase();
    assert.equal(await twilio.deliver(sid, 'sent'), 204);
    assert.equal(await twilio.deliver(sid, 'delivered'), 204);
    const statuses = (await timeline(caseId)).filter((e) => e.type === 'message_status').map((e) => e.detail!['status']);
    assert.deepEqual(statuses, ['sent', 'delivered']);
  });

  test('a report with a forged or missing signature is refused with 403 and recorded nowhere', async () => {
    const { caseId, sid } = await textedCase();
    const params = { AccountSid: twilio.accountSid, MessageSid: sid, MessageStatus: 'undelivered' };
    const forged = await request(t.app)
      .post('/webhooks/twilio')
      .type('form')
      .set('X-Twilio-Signature', twilioSignature('not-the-auth-token', CALLBACK_URL, params))
      .send(params);
    assert.equal(forged.status, 403);
    const unsigned = await request(t.app).post('/webhooks/twilio').type('form').send(params);
    assert.equal(unsigned.status, 403);
    // Signed for other parameters: the status was changed on the way.
    const tampered = await request(t.app)
      .post('/webhooks/twilio')
      .type('form')
      .set('X-Twilio-Signature', twilioSignature(twilio.authToken, CALLBACK_URL, { ...params, MessageStatus: 'delivered' }))
      .send(params);
    assert.equal(tampered.status, 403);
    assert.equal((await timeline(caseId)).some((e) => e.type === 'message_status'), false);
  });

  test('an undelivered SMS goes by e-mail at once, and the case’s reminder goes by e-mail too', async () => {
    const { caseId, sid, externalId, phone } = await textedCase();
    assert.equal(await twilio.deliver(sid, 'undelivered', { ErrorCode: '30005' }), 204);
    await t.worker.runOnce();
    assert.equal((await emailsTo(`${externalId}@example.com`)).length, 1);
    const status = (await timeline(caseId)).find((e) => e.type === 'message_status');
    assert.deepEqual(status!.detail, { message_id: status!.detail!['message_id'], channel: 'sms', status: 'undelivered', error_code: '30005' });

    t.clock.advance(DAY_PLUS);
    await t.worker.runOnce();
    assert.equal(textsTo(phone), 1, 'no SMS after it failed for good');
    assert.equal((await emailsTo(`${externalId}@example.com`)).length, 2);
    const switched = (await timeline(caseId)).find((e) => e.type === 'channel_switched');
    assert.deepEqual(switched!.detail, { from: 'sms', to: 'email', reason: 'failed_for_good' });
  });

  test('a status repeated by Twilio queues the e-mail only once', async () => {
    const { sid, externalId } = await textedCase();
    await twilio.deliver(sid, 'failed');
    await twilio.deliver(sid, 'failed');
    await t.worker.runOnce();
    assert.equal((await emailsTo(`${externalId}@example.com`)).length, 1);
  });
});

describe('a channel refused for good at send time', () => {
  test('the case’s later messages go by the other channel, and the timeline says so', async () => {
    const externalId = `user-${randomUUID()}`;
    const linkId = randomUUID();
    const phone = aPhone();
    await putUser(t.app, externalId, { phone, email: `${externalId}@example.com`, channels: ['sms', 'email'] });
    await putLink(t.app, linkId, { external_id: externalId, institution: 'erebor_mx_retail' });
    twilio.failNext(400, 21610);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    await t.worker.runOnce();
    assert.equal((await emailsTo(`${externalId}@example.com`)).length, 1);

    t.clock.advance(DAY_PLUS);
    await t.worker.runOnce();
    assert.equal(textsTo(phone), 0);
    assert.equal((await emailsTo(`${externalId}@example.com`)).length, 2);
    const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
    assert.ok((await timeline(theCase!.id)).some((e) => e.type === 'channel_switched'));
  });
});

describe('without Twilio configured', () => {
  test('/webhooks/twilio does not exist', async () => {
    const plain = await startTestApp();
    try {
      const res = await request(plain.app).post('/webhooks/twilio').type('form').send({ MessageSid: 'SM1' });
      assert.equal(res.status, 404);
    } finally {
      await plain.close();
    }
  });
});
