// WhatsApp through the local Twilio-compatible server, driven through the whole app: the template
// and its variables as CONTRACT.md fixes them, Twilio's WhatsApp refusals (at once, or later by
// the status callback) falling back to the next channel as an e-mail bounce does, and delivery
// statuses, `read` included, on the case timeline.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const hx = (digit: string) => `HX${digit.repeat(32)}`;
const TEMPLATES = {
  credentials: { es: hx('1'), 'pt-BR': hx('2'), en: hx('3') },
  mfa: { '*': hx('4') },
  consent: { '*': hx('5') },
  reminder: { '*': hx('6') },
  new_link: { '*': hx('7') },
};
const PORTAL_LINK = /^https:\/\/relink\.example\.com\/r\/([A-Za-z0-9_-]{35})$/;

let t: TestApp;
let twilio: TwilioTestServer;
let smtp: SmtpTestServer;

before(async () => {
  twilio = await startTwilioServer();
  smtp = await startSmtpServer();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@fintech.example',
      BRAND_NAME: 'Fintech Uno',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
      WHATSAPP_TEMPLATES: JSON.stringify(TEMPLATES),
      CHANNEL_ORDER: 'whatsapp,sms,email',
      TWILIO_API_URL: twilio.url,
    },
  });
  twilio.routeCallbacksTo(t.url);
});
after(async () => {
  await t.close();
  await twilio.close();
  await smtp.close();
});
beforeEach(() => {
  twilio.messages.length = 0;
  smtp.messages.length = 0;
});

type Timeline = Array<{ type: string; detail: Record<string, unknown> | null }>;

let phones = 0;
const aPhone = () => `+55119${String(10_000_000 + (phones += 1))}`;

/** A user with a phone and an e-mail, and a credentials case whose first message has been sent. */
async function openCase(user: Record<string, unknown> = {}): Promise<{ caseId: number; phone: string; email: string }> {
  const externalId = `user-${randomUUID()}`;
  const phone = aPhone();
  const email = `${externalId}@example.com`;
  await putUser(t.app, externalId, { phone, email, locale: 'pt-BR', ...user }).expect((res) => assert.ok(res.status < 300, res.text));
  const linkId = randomUUID();
  await putLink(t.app, linkId, { external_id: externalId, institution: 'itau_br_retail', institution_display_name: 'Itaú Unibanco' });
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return { caseId: theCase!.id, phone, email };
}

async function timeline(caseId: number): Promise<Timeline> {
  return (await getApi(t.app, `/cases/${caseId}`)).body.timeline as Timeline;
}

const whatsAppTo = (phone: string) => twilio.messages.filter((m) => m.to === `whatsapp:${phone}`);
const smsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone);

describe('WhatsApp first', () => {
  test('the message is the approved template for the user’s language, with CONTRACT.md’s four variables', async () => {
    const { phone } = await openCase();
    const [sent] = whatsAppTo(phone);
    assert.ok(sent, 'a WhatsApp message went to the phone');
    assert.equal(sent.from, 'whatsapp:+14155238886');
    assert.equal(sent.contentSid, TEMPLATES.credentials['pt-BR']);
    assert.equal(sent.body, undefined, 'a template, never free text');
    assert.equal(sent.statusCallback, 'https://relink.example.com/webhooks/twilio');
    const variables = sent.contentVariables!;
    assert.deepEqual(Object.keys(variables).sort(), ['1', '2', '3', '4']);
    assert.equal(variables['1'], 'Fintech Uno');
    assert.equal(variables['2'], 'Itaú Unibanco');
    const link = PORTAL_LINK.exec(variables['3']!);
    assert.ok(link, variables['3']);
    assert.equal(variables['4'], link[1], 'the token alone, for a URL button');
    assert.equal(smsTo(phone).length, 0);
    assert.equal(smtp.messages.length, 0);
  });

  test('a user whose own channels do not name WhatsApp is not sent one', async () => {
    const { phone, email } = await openCase({ channels: ['email'] });
    assert.equal(whatsAppTo(phone).length, 0);
    assert.equal(smtp.messages.length, 1);
    assert.equal(smtp.messages[0]!.to && 'text' in smtp.messages[0]!.to ? smtp.messages[0]!.to.text : '', email);
  });

  test('sent, delivered and read reach the timeline through the status callback', async () => {
    const { caseId, phone } = await openCase();
    const [sent] = whatsAppTo(phone);
    for (const status of ['sent', 'delivered', 'read']) assert.equal(await twilio.deliver(sent!.sid, status), 204);

    const statuses = (await timeline(caseId)).filter((e) => e.type === 'message_status');
    assert.deepEqual(
      statuses.map((e) => [e.detail!['channel'], e.detail!['status']]),
      [
        ['whatsapp', 'sent'],
        ['whatsapp', 'delivered'],
        ['whatsapp', 'read'],
      ],
    );
    assert.equal(smsTo(phone).length, 0, 'nothing falls back');
  });
});

describe('WhatsApp refusals fall back to the next channel', () => {
  test('a number that is not on WhatsApp (63003, reported later) gets the SMS instead', async () => {
    const phone = aPhone();
    twilio.notOnWhatsApp(phone);
    const { caseId } = await openCase({ phone });
    assert.equal(whatsAppTo(phone).length, 1);
    assert.equal(smsTo(phone).length, 0);

    assert.deepEqual(await twilio.sendReports(), [204]);
    await t.worker.runOnce();

    const [sms] = smsTo(phone);
    assert.ok(sms, 'the SMS went out');
    assert.ok(sms.body!.startsWith('Fintech Uno: '), sms.body);
    assert.match(sms.body!, /https:\/\/relink\.example\.com\/r\/[A-Za-z0-9_-]{35}$/);
    const events = await timeline(caseId);
    const failed = events.find((e) => e.type === 'message_status' && e.detail!['status'] === 'failed');
    assert.deepEqual(
      { code: failed?.detail!['error_code'], reason: failed?.detail!['reason'], channel: failed?.detail!['channel'] },
      { code: '63003', reason: 'not_on_whatsapp', channel: 'whatsapp' },
    );
    const queued = events.filter((e) => e.type === 'message_queued').map((e) => e.detail!['channel']);
    assert.deepEqual(queued, ['whatsapp', 'sms']);
  });

  test('a refusal at send time (400, 63007) fails at once and the SMS goes instead', async () => {
    twilio.failNext(400, 63007);
    const { caseId, phone } = await openCase();
    await t.worker.runOnce();
    const events = await timeline(caseId);
    const failed = events.find((e) => e.type === 'message_failed');
    assert.equal(failed?.detail!['code'], 'twilio 63007');
    assert.equal(failed?.detail!['reason'], 'whatsapp_sender_not_found');
    assert.equal(failed?.detail!['permanent'], true);
    assert.equal(smsTo(phone).length, 1);
  });

  test('when WhatsApp and then SMS fail for good, the e-mail goes: the chain ends when every channel has been tried', async () => {
    const phone = aPhone();
    twilio.notOnWhatsApp(phone);
    const { caseId, email } = await openCase({ phone });
    await twilio.sendReports();
    await t.worker.runOnce();
    const [sms] = smsTo(phone);
    assert.equal(await twilio.deliver(sms!.sid, 'undelivered', { ErrorCode: '30005' }), 204);
    await t.worker.runOnce();

    assert.equal(smtp.messages.length, 1);
    assert.equal(smtp.messages[0]!.to && 'text' in smtp.messages[0]!.to ? smtp.messages[0]!.to.text : '', email);
    assert.match(smtp.messages[0]!.subject ?? '', /^Fintech Uno: /);
    const queued = (await timeline(caseId)).filter((e) => e.type === 'message_queued').map((e) => e.detail!['channel']);
    assert.deepEqual(queued, ['whatsapp', 'sms', 'email']);

    // A late duplicate report changes nothing: each failure falls back once.
    await twilio.deliver(sms!.sid, 'undelivered', { ErrorCode: '30005' });
    await t.worker.runOnce();
    assert.equal(smtp.messages.length, 1);
  });

  test('the case’s next messages skip WhatsApp once it failed for good there', async () => {
    const phone = aPhone();
    twilio.notOnWhatsApp(phone);
    const { caseId } = await openCase({ phone });
    await twilio.sendReports();
    await t.worker.runOnce();
    assert.equal(smsTo(phone).length, 1);

    t.clock.advance(25 * 3_600_000);
    await t.worker.runOnce();

    assert.equal(whatsAppTo(phone).length, 1, 'no second WhatsApp attempt');
    assert.equal(smsTo(phone).length, 2, 'the reminder went by SMS');
    const switched = (await timeline(caseId)).find((e) => e.type === 'channel_switched');
    assert.deepEqual(switched?.detail, { from: 'whatsapp', to: 'sms', reason: 'failed_for_good' });
  });
});
