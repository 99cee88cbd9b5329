import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../server/clock.ts';
import { loadConfig } from '../../server/config.ts';
import type { Channel } from '../../server/channels/channel.ts';
import { createChannels, registerChannels } from '../../server/channels/channel-registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const emailMessage = { to: 'ana@example.com', subject: 'Hola', text: 'Hola http://x.test/r/a', html: '<p>Hola</p>' };
const smsMessage = { to: '+525512345678', text: 'Tu app financiera: http://x.test/r/a' };

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
      MAIL_FROM: 'Portal <no-reply@relink.test>',
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
    assert.equal(smtp.messages.at(-1)?.from?.text, '"Portal" <no-reply@relink.test>');
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

  test('a channel registered twice is refused at start-up', () => {
    assert.throws(
      () => registerChannels([fakeChannel('email'), fakeChannel('sms'), fakeChannel('email')]),
      /"email" is registered twice/,
    );
  });

  test('a missing channel is refused at start-up', () => {
    assert.throws(() => registerChannels([fakeChannel('email')]), /No channel registered for: sms/);
  });
});
