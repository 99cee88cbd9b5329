import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChannelError, type RenderedMessage } from '../../server/channels/channel.ts';
import { createEmailChannel } from '../../server/channels/email-channel.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';

const FROM = 'Portal <no-reply@relink.test>';

const message: RenderedMessage = {
  to: 'ana@example.com',
  subject: 'La conexión de tu cuenta dejó de funcionar',
  text: 'Hola:\n\nAbre el enlace:\nhttps://relink.test/r/abc',
  html: '<!DOCTYPE html><html lang="es"><body><a href="https://relink.test/r/abc">Actualizar</a></body></html>',
};

async function sendError(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ChannelError, `expected a ChannelError, got ${String(err)}`);
    return err;
  }
  assert.fail('the send should have failed');
}

/** A TCP server that accepts connections and never says a word: a hung SMTP server. */
async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('email channel over SMTP', () => {
  let smtp: SmtpTestServer;

  before(async () => {
    smtp = await startSmtpServer();
  });

  after(async () => {
    await smtp.close();
  });

  test('delivers the subject, the text part and the HTML part from the configured sender', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM });
    const before = smtp.messages.length;
    const { providerId } = await channel.send(message);

    const mail = smtp.messages[before]!;
    assert.equal(channel.name, 'email');
    assert.equal(mail.subject, message.subject);
    assert.equal(mail.text?.trim(), message.text);
    assert.equal(mail.html, message.html);
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined, 'ana@example.com');
    assert.equal(mail.from?.text, '"Portal" <no-reply@relink.test>');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(providerId, mail.messageId);
  });

  test('a 451 reply is a transient failure, and the next send goes through', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM });
    smtp.failNext(451);
    const err = await sendError(channel.send(message));
    assert.equal(err.permanent, false);
    assert.equal(err.code, 'smtp 451');

    const before = smtp.messages.length;
    await channel.send(message);
    assert.equal(smtp.messages.length, before + 1);
  });

  test('a 550 reply to the data is a permanent failure', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM });
    smtp.failNext(550);
    const err = await sendError(channel.send(message));
    assert.equal(err.permanent, true);
    assert.equal(err.code, 'smtp 550');
  });

  test('a 550 reply to the recipient is a permanent failure', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM });
    smtp.failNext(550, 1, 'rcpt');
    const err = await sendError(channel.send(message));
    assert.equal(err.permanent, true);
    assert.equal(err.code, 'smtp 550');
  });

  test('an address nodemailer cannot use is a permanent failure', async () => {
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM });
    const err = await sendError(channel.send({ ...message, to: '' }));
    assert.equal(err.permanent, true);
  });
});

describe('email channel when the server misbehaves', () => {
  test('a server that is down is a transient failure', async () => {
    const smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    const channel = createEmailChannel({ smtpUrl: url, from: FROM, timeoutMs: 2_000 });
    const err = await sendError(channel.send(message));
    assert.equal(err.permanent, false);
    assert.equal(err.code, 'smtp connection');
  });

  test('a server that never greets times out as a transient failure', async () => {
    const silent = await startSilentServer();
    try {
      const channel = createEmailChannel({ smtpUrl: silent.url, from: FROM, timeoutMs: 200 });
      const started = Date.now();
      const err = await sendError(channel.send(message));
      assert.equal(err.permanent, false);
      assert.equal(err.code, 'timeout');
      assert.ok(Date.now() - started < 2_000, 'gave up well before the default timeouts');
    } finally {
      await silent.close();
    }
  });

  test('credentials in SMTP_URL are used to log in', async () => {
    const smtp = await startSmtpServer({ auth: { user: 'mailer', pass: 's3cret' } });
    try {
      await createEmailChannel({ smtpUrl: smtp.url, from: FROM }).send(message);
      assert.equal(smtp.messages.length, 1);

      const wrong = smtp.url.replace('s3cret', 'wrong');
      const err = await sendError(createEmailChannel({ smtpUrl: wrong, from: FROM }).send(message));
      assert.equal(err.code, 'smtp 535');
      assert.equal(smtp.messages.length, 1);
    } finally {
      await smtp.close();
    }
  });
});
