import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import { ChannelError, type Channel, type RenderedMessage } from '../../server/channels/channel.ts';
import { createChannels, registerChannels } from '../../server/channels/channel-registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const emailMessage = { to: 'ana@example.com', subject: 'Hola', text: 'Hola http://x.test/r/a', html: '<p>Hola</p>' };
const smsMessage = { to: '+525512345678', text: 'Demo Fintech: http://x.test/r/a' };

const hx = (digit: string) => `HX${digit.repeat(32)}`;
const TEMPLATES = {
  credentials: { es: hx('a'), '*': hx('b') },
  mfa: { '*': hx('c') },
  consent: { '*': hx('d') },
  reminder: { '*': hx('e') },
  new_link: { '*': hx('f') },
};
const whatsAppMessage = {
  to: '+525512345678',
  text: 'Hola, te escribe *Demo Fintech*. https://relink.example.com/r/abc',
  whatsapp: {
    template: 'credentials',
    locale: 'es',
    variables: { '1': 'Demo Fintech', '2': 'BBVA', '3': 'https://relink.example.com/r/abc', '4': 'abc' },
    withButton: { text: 'Hola', label: 'Abrir mi enlace', url: 'https://relink.example.com/r/abc' },
  },
} satisfies RenderedMessage;

function fakeChannel(name: Channel['name']): Channel {
  return { name, send: async () => ({ providerId: name }) };
}

describe('channel registry', () => {
  let testDb: TestDatabase;
  let smtp: SmtpTestServer;
  let twilio: TwilioTestServer;
  let dataDir: string;

  before(async () => {
    testDb = await createTestDatabase();
    smtp = await startSmtpServer();
    twilio = await startTwilioServer();
    dataDir = mkdtempSync(join(tmpdir(), 'relink-registry-'));
  });

  after(async () => {
    await Promise.all([testDb.close(), smtp.close(), twilio.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('without SMTP or Twilio settings both channels write to the dev inbox', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const channels = createChannels({ config, db: testDb.db, clock: systemClock });
    await channels.email.send(emailMessage);
    await channels.sms.send(smsMessage);

    const rows = await testDb.db('dev_inbox').orderBy('id');
    assert.deepEqual(
      rows.slice(-2).map((r) => [r.channel, r.recipient]),
      [['email', 'ana@example.com'], ['sms', '+525512345678']],
    );
    assert.equal(smtp.messages.length, 0);
    assert.equal(twilio.messages.length, 0);
  });

  test('with SMTP_URL and Twilio settings messages go to those servers instead', async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@relink.test',
      BRAND_NAME: 'Demo Fintech',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
    });
    const channels = createChannels({ config, db: testDb.db, clock: systemClock });
    const inboxBefore = await testDb.db('dev_inbox').count({ n: '*' }).first();

    await channels.email.send(emailMessage);
    const { providerId } = await channels.sms.send(smsMessage);

    assert.equal(smtp.messages.at(-1)?.subject, 'Hola');
    assert.equal(smtp.messages.at(-1)?.from?.text, '"Demo Fintech" <no-reply@relink.test>', 'the brand names a bare MAIL_FROM');
    assert.deepEqual(twilio.messages.at(-1), {
      sid: providerId,
      to: '+525512345678',
      from: '+15005550006',
      body: smsMessage.text,
      statusCallback: 'http://localhost:3000/webhooks/twilio',
    });
    const inboxAfter = await testDb.db('dev_inbox').count({ n: '*' }).first();
    assert.equal(Number(inboxAfter?.n), Number(inboxBefore?.n));
  });

  test('with TWILIO_WHATSAPP_FROM, WhatsApp goes through Twilio with the same account, as a Content template', async () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
      WHATSAPP_TEMPLATES: JSON.stringify(TEMPLATES),
      TWILIO_API_URL: twilio.url,
      PUBLIC_URL: 'https://relink.example.com',
    });
    const channels = createChannels({ config, db: testDb.db, clock: systemClock });
    const { providerId } = await channels.whatsapp.send(whatsAppMessage);

    assert.deepEqual(twilio.messages.at(-1), {
      sid: providerId,
      to: 'whatsapp:+525512345678',
      from: 'whatsapp:+14155238886',
      contentSid: TEMPLATES.credentials.es,
      contentVariables: whatsAppMessage.whatsapp.variables,
      statusCallback: 'https://relink.example.com/webhooks/twilio',
    });
    const refused = await channels.sms.send(smsMessage).catch((err: unknown) => err);
    assert.ok(refused instanceof ChannelError && refused.permanent, 'no TWILIO_FROM: this deployment sends no SMS');
  });

  test('TWILIO_WHATSAPP_FROM without Twilio credentials sends WhatsApp to the dev inbox; without it WhatsApp refuses for good', async () => {
    const demo = loadConfig({ DATA_DIR: dataDir, TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886', WHATSAPP_TEMPLATES: JSON.stringify(TEMPLATES) });
    await createChannels({ config: demo, db: testDb.db, clock: systemClock }).whatsapp.send(whatsAppMessage);
    const [row] = await testDb.db('dev_inbox').orderBy('id', 'desc').limit(1);
    assert.equal(row!.channel, 'whatsapp');
    assert.equal(JSON.parse(row!.details ?? 'null').content_sid, TEMPLATES.credentials.es);

    const none = createChannels({ config: loadConfig({ DATA_DIR: dataDir }), db: testDb.db, clock: systemClock });
    const err = await none.whatsapp.send(whatsAppMessage).catch((e: unknown) => e);
    assert.ok(err instanceof ChannelError);
    assert.equal(err.permanent, true);
    assert.equal(err.code, 'whatsapp not configured');
  });

  test('a channel registered twice is refused at start-up', () => {
    assert.throws(
      () => registerChannels([fakeChannel('email'), fakeChannel('sms'), fakeChannel('whatsapp'), fakeChannel('email')]),
      /"email" is registered twice/,
    );
  });

  test('a missing channel is refused at start-up', () => {
    assert.throws(() => registerChannels([fakeChannel('email')]), /No channel registered for: whatsapp, sms/);
  });
});
