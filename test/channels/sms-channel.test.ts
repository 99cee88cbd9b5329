import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelError } from '../../server/channels/channel.ts';
import { createSmsChannel, type SmsChannelOptions } from '../../server/channels/sms-channel.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const FROM_NUMBER = '+15005550006';
const MESSAGING_SERVICE = `MG${'a'.repeat(32)}`;
const message = { to: '+5511999999999', text: 'Demo Fintech: atualize a senha do banco no seu link pessoal: https://relink.test/r/abc' };

async function sendError(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ChannelError, `expected a ChannelError, got ${String(err)}`);
    return err;
  }
  assert.fail('the send should have failed');
}

describe('SMS channel over Twilio', () => {
  let twilio: TwilioTestServer;

  function channel(overrides: Partial<SmsChannelOptions> = {}) {
    return createSmsChannel({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: FROM_NUMBER,
      apiUrl: twilio.url,
      ...overrides,
    });
  }

  before(async () => {
    twilio = await startTwilioServer();
  });

  after(async () => {
    await twilio.close();
  });

  test('sends To, From and Body to the configured API URL and returns the message SID', async () => {
    const sms = channel();
    const before = twilio.messages.length;
    const { providerId } = await sms.send(message);

    assert.equal(sms.name, 'sms');
    assert.match(providerId, /^SM[0-9a-f]{32}$/);
    assert.deepEqual(twilio.messages[before], { sid: providerId, to: message.to, from: FROM_NUMBER, body: message.text });
  });

  test('a Messaging Service SID is sent as MessagingServiceSid instead of From', async () => {
    const before = twilio.messages.length;
    const { providerId } = await channel({ from: MESSAGING_SERVICE }).send(message);
    assert.deepEqual(twilio.messages[before], { sid: providerId, to: message.to, messagingServiceSid: MESSAGING_SERVICE, body: message.text });
  });

  test('a status callback URL, when given, is sent as StatusCallback', async () => {
    const before = twilio.messages.length;
    await channel({ statusCallback: 'https://relink.example.com/webhooks/twilio' }).send(message);
    assert.equal(twilio.messages[before]!.statusCallback, 'https://relink.example.com/webhooks/twilio');
  });

  test('an API URL with a trailing slash works the same', async () => {
    const before = twilio.messages.length;
    await channel({ apiUrl: `${twilio.url}/` }).send(message);
    assert.equal(twilio.messages.length, before + 1);
  });

  test('429 Too Many Requests is transient, and the next send goes through', async () => {
    twilio.failNext(429);
    const err = await sendError(channel().send(message));
    assert.equal(err.permanent, false);
    assert.equal(err.code, 'twilio 20429');

    const before = twilio.messages.length;
    await channel().send(message);
    assert.equal(twilio.messages.length, before + 1);
  });

  test('a 500 from Twilio is transient', async () => {
    twilio.failNext(500);
    const err = await sendError(channel().send(message));
    assert.equal(err.permanent, false);
    assert.equal(err.code, 'twilio 20500');
  });

  test('an invalid number (400, 21211) is permanent', async () => {
    const err = await sendError(channel().send({ ...message, to: '5511999' }));
    assert.equal(err.permanent, true);
    assert.equal(err.code, 'twilio 21211');
  });

  test('an unsubscribed recipient (400, 21610) is permanent', async () => {
    twilio.failNext(400, 21610);
    const err = await sendError(channel().send(message));
    assert.equal(err.permanent, true);
    assert.equal(err.code, 'twilio 21610');
  });

  test('a wrong auth token is refused and nothing is sent', async () => {
    const before = twilio.messages.length;
    const err = await sendError(channel({ authToken: 'not-the-token' }).send(message));
    assert.equal(err.code, 'twilio 20003');
    assert.equal(twilio.messages.length, before);
    assert.ok(!err.message.includes('not-the-token'));
  });
});

describe('SMS channel when Twilio cannot be reached', () => {
  test('a server that is down is a transient failure', async () => {
    const twilio = await startTwilioServer();
    await twilio.close();
    const sms = createSmsChannel({ accountSid: twilio.accountSid, authToken: twilio.authToken, from: FROM_NUMBER, apiUrl: twilio.url });
    const err = await sendError(sms.send(message));
    assert.equal(err.permanent, false);
    assert.equal(err.code, 'twilio network');
  });

  test('a server that never answers times out as a transient failure', async () => {
    const server: Server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const sms = createSmsChannel({
        accountSid: `AC${'1'.repeat(32)}`,
        authToken: 'token',
        from: FROM_NUMBER,
        apiUrl: `http://127.0.0.1:${port}`,
        timeoutMs: 200,
      });
      const started = Date.now();
      const err = await sendError(sms.send(message));
      assert.equal(err.permanent, false);
      assert.equal(err.code, 'timeout');
      assert.ok(Date.now() - started < 2_000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
