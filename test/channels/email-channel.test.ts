import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ChannelError, type RenderedMessage } from '../../server/channels/channel.ts';
import { createEmailChannel } from '../../server/channels/email-channel.ts';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';

const FROM = { name: 'Demo Fintech', address: 'no-reply@relink.test' };

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
    assert.equal(mail.from?.text, '"Demo Fintech" <no-reply@relink.test>');
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

describe('email channel: what a receiving server checks', () => {
  const selector = 'relink2026';
  const domain = 'fintech.example';
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  /** The DNS a receiver would ask: our selector's TXT record and nothing else. */
  const resolver = async (name: string, rrtype: string) => {
    if (rrtype === 'TXT' && name === `${selector}._domainkey.${domain}`) return [[`v=DKIM1; k=rsa; p=${publicKey}`]];
    throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' });
  };
  let smtp: SmtpTestServer;

  before(async () => {
    smtp = await startSmtpServer();
  });

  after(async () => {
    await smtp.close();
  });

  test('with DKIM set, every message is signed for the domain, and the signature verifies with the public key', async () => {
    const from = { name: 'Demo Fintech', address: `no-reply@${domain}` };
    const channel = createEmailChannel({ smtpUrl: smtp.url, from, dkim: { domainName: domain, keySelector: selector, privateKey } });
    const before = smtp.raw.length;
    await channel.send(message);

    const raw = smtp.raw[before]!;
    const { results } = await dkimVerify(raw, { resolver });
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status.result, 'pass', results[0]!.status.comment);
    assert.equal(results[0]!.signingDomain, domain);
    assert.equal(results[0]!.selector, selector);
    assert.equal(results[0]!.status.aligned, domain, 'aligned with the From domain, as DMARC wants');
  });

  test('a message changed on the way fails the check', async () => {
    const from = { name: 'Demo Fintech', address: `no-reply@${domain}` };
    const channel = createEmailChannel({ smtpUrl: smtp.url, from, dkim: { domainName: domain, keySelector: selector, privateKey } });
    const before = smtp.raw.length;
    await channel.send(message);

    const tampered = Buffer.from(smtp.raw[before]!.toString('utf8').replace('https://relink.test/r/abc', 'https://evil.test/r/abc'));
    const { results } = await dkimVerify(tampered, { resolver });
    assert.notEqual(results[0]!.status.result, 'pass');
    assert.match(results[0]!.status.comment ?? '', /body hash did not verify/);
  });

  test('the Message-ID is on the sender’s domain; replies go to support; auto-responders stay quiet', async () => {
    const channel = createEmailChannel({
      smtpUrl: smtp.url,
      from: { name: 'Demo Fintech', address: `no-reply@${domain}` },
      replyTo: 'ayuda@fintech.example',
    });
    const before = smtp.messages.length;
    const { providerId } = await channel.send(message);

    const mail = smtp.messages[before]!;
    assert.match(mail.messageId ?? '', new RegExp(`^<[^@>]+@${domain.replace('.', '\\.')}>$`));
    assert.equal(providerId, mail.messageId);
    assert.equal(mail.replyTo?.text, 'ayuda@fintech.example');
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    assert.equal(mail.headers.get('x-auto-response-suppress'), 'All');
  });
});

describe('email channel: pooled connections', () => {
  test('messages sent together share at most maxConnections connections, several at a time', async () => {
    const smtp = await startSmtpServer({ delayMs: 50 });
    try {
      const channel = createEmailChannel({ smtpUrl: smtp.url, from: FROM, maxConnections: 3 });
      const sends = Array.from({ length: 12 }, (_, i) => channel.send({ ...message, to: `user${i}@example.com` }));
      const ids = (await Promise.all(sends)).map((sent) => sent.providerId);

      assert.equal(new Set(ids).size, 12);
      assert.equal(smtp.messages.length, 12);
      assert.equal(smtp.mostConnections, 3, 'three connections at once, never more');
    } finally {
      await smtp.close();
    }
  });
});
