import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

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
    },
  });
});
after(async () => {
  await t.close();
  await smtp.close();
  await twilio.close();
});
beforeEach(() => {
  smtp.messages.length = 0;
  twilio.messages.length = 0;
});

const PORTAL_LINK = /https:\/\/relink\.example\.com\/r\/[A-Za-z0-9_-]{35}/g;

async function openCase(user: Record<string, unknown>): Promise<number> {
  const externalId = `user-${randomUUID()}`;
  await putUser(t.app, externalId, user).expect(201);
  const linkId = randomUUID();
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const cases = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return cases[0]!.id;
}

async function timeline(caseId: number) {
  return (await getApi(t.app, `/cases/${caseId}`)).body.timeline as Array<{ type: string; detail: Record<string, unknown> }>;
}
const status = async (caseId: number) => (await getApi(t.app, `/cases/${caseId}`)).body.status as string;

describe('e-mail over SMTP', () => {
  test('the user gets one e-mail in their language, with one portal link in the text and one in the HTML', async () => {
    const caseId = await openCase({ email: 'lucia@example.com', locale: 'es' });
    assert.equal(smtp.messages.length, 1);
    const [mail] = smtp.messages;
    assert.equal(mail!.to && 'text' in mail!.to ? mail!.to.text : '', 'lucia@example.com');
    assert.equal(mail!.text!.match(PORTAL_LINK)!.length, 1);
    assert.equal(String(mail!.html).match(PORTAL_LINK)!.length, 1);
    assert.equal(mail!.text!.match(PORTAL_LINK)![0], String(mail!.html).match(PORTAL_LINK)![0]);
    assert.equal(await status(caseId), 'notified');
  });

  test('a 451 answer is retried with backoff and the e-mail is delivered once the server recovers', async () => {
    smtp.failNext(451);
    const caseId = await openCase({ email: 'retry@example.com' });
    assert.equal(smtp.messages.length, 0);
    const retry = (await timeline(caseId)).find((e) => e.type === 'message_retry');
    assert.ok(retry, 'a retry is on the timeline');
    assert.equal(retry.detail['code'], 'smtp 451');
    await t.worker.runOnce();
    assert.equal(smtp.messages.length, 0, 'nothing is retried before its time');
    t.clock.advance(60_000);
    await t.worker.runOnce();
    assert.equal(smtp.messages.length, 1);
    assert.equal(await status(caseId), 'notified');
  });

  test('a 550 answer fails at once, and the SMS goes instead to a user who has a phone', async () => {
    smtp.failNext(550);
    const caseId = await openCase({ email: 'gone@example.com', phone: '+5215511112222' });
    await t.worker.runOnce();
    const types = (await timeline(caseId)).map((e) => e.type);
    assert.deepEqual(types, ['event_received', 'message_queued', 'message_failed', 'message_queued', 'message_sent']);
    const failed = (await timeline(caseId)).find((e) => e.type === 'message_failed')!;
    assert.equal(failed.detail['permanent'], true);
    assert.equal(failed.detail['attempt'], 1);
    assert.equal(twilio.messages.length, 1);
    assert.equal(twilio.messages[0]!.to, '+5215511112222');
    assert.equal(twilio.messages[0]!.body!.match(PORTAL_LINK)!.length, 1);
  });

  test('a 550 answer for a user with no other channel leaves the case unreachable for the operator', async () => {
    smtp.failNext(550);
    const caseId = await openCase({ email: 'only@example.com' });
    assert.equal(await status(caseId), 'unreachable');
    assert.equal((await timeline(caseId)).at(-1)!.type, 'user_unreachable');
  });
});

describe('SMS over Twilio', () => {
  test('a user who prefers SMS is texted from TWILIO_FROM', async () => {
    await openCase({ email: 'x@example.com', phone: '+5511987654321', channels: ['sms'] });
    assert.equal(smtp.messages.length, 0);
    assert.equal(twilio.messages.length, 1);
    assert.equal(twilio.messages[0]!.from, '+15005550006');
  });

  for (const answer of [429, 503]) {
    test(`Twilio answering ${answer} is retried and the SMS is then delivered`, async () => {
      twilio.failNext(answer, answer === 429 ? 20429 : 20500);
      const caseId = await openCase({ phone: '+5511900000001' });
      assert.equal(twilio.messages.length, 0);
      t.clock.advance(60_000);
      await t.worker.runOnce();
      assert.equal(twilio.messages.length, 1);
      assert.deepEqual(
        (await timeline(caseId)).map((e) => e.type),
        ['event_received', 'message_queued', 'message_retry', 'message_sent'],
      );
    });
  }

  test('an invalid number (400, 21211) fails at once without a retry', async () => {
    twilio.failNext(400, 21211);
    const caseId = await openCase({ phone: '+5511900000002' });
    t.clock.advance(3_600_000);
    await t.worker.runOnce();
    const failed = (await timeline(caseId)).filter((e) => e.type === 'message_failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.detail['code'], 'twilio 21211');
    assert.equal(twilio.messages.length, 0);
  });
});
