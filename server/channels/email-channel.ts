// E-mail over SMTP (SMTP_URL: smtp:// or smtps:// for implicit TLS) with nodemailer, through a pool
// of at most SMTP_MAX_CONNECTIONS connections reused from one message to the next, so the outbox's
// messages go out side by side without a new connection (and TLS handshake) each. Every phase of
// the conversation has a timeout, and every failure becomes a ChannelError that says whether
// sending the same message again can help: an SMTP 5xx reply cannot, a 4xx reply or a broken
// connection can. With DKIM_* set, nodemailer signs every message.
import type { Transporter } from 'nodemailer';
import { ChannelError, type Channel, type RenderedMessage } from './channel.ts';

export interface EmailChannelOptions {
  smtpUrl: string;
  /** The From header: "Demo Fintech" <no-reply@fintech.com>. */
  from: { name: string; address: string };
  /** Where a reply goes (SUPPORT_EMAIL): a person, rather than an address nobody reads. */
  replyTo?: string | undefined;
  dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined;
  /** SMTP_MAX_CONNECTIONS; nodemailer queues messages beyond it. */
  maxConnections?: number;
  /** Limit for connecting, for the greeting and for each silence on the socket. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONNECTIONS = 10;

// Failures of the connection itself, before or during the conversation: the next try may work.
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL']);

interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
  message?: unknown;
}

export function classifySmtpError(err: unknown): ChannelError {
  const { code, responseCode, message } = (typeof err === 'object' && err !== null ? err : {}) as NodemailerError;
  const detail = typeof message === 'string' ? message : String(err);
  if (typeof responseCode === 'number' && responseCode >= 400) {
    return new ChannelError(`smtp ${responseCode}`, `SMTP server refused the message: ${detail}`, responseCode >= 500);
  }
  if (code === 'ETIMEDOUT') return new ChannelError('timeout', `SMTP server did not answer in time: ${detail}`, false);
  if (typeof code === 'string' && CONNECTION_ERRORS.has(code)) {
    return new ChannelError('smtp connection', `Could not talk to the SMTP server: ${detail}`, false);
  }
  // An envelope error with no reply code is nodemailer refusing the message itself (no valid
  // recipient, say), and it will refuse it again.
  if (code === 'EENVELOPE') return new ChannelError('smtp envelope', detail, true);
  return new ChannelError('smtp error', detail, false);
}

/** nodemailer is loaded with the first e-mail: the demo and SMS-only deployments never carry it. */
async function createTransport(options: EmailChannelOptions, timeoutMs: number): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
}

export function createEmailChannel(options: EmailChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let transport: Promise<Transporter> | undefined;

  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    transport ??= createTransport(options, timeoutMs);
    try {
      // nodemailer writes the Message-ID on the domain of the From address.
      const info = await (await transport).sendMail({
        from: options.from,
        ...(options.replyTo ? { replyTo: options.replyTo } : {}),
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: {
          // RFC 3834: keeps vacation responders from answering a notification.
          'Auto-Submitted': 'auto-generated',
          // The same for Exchange and Outlook, which read their own header.
          'X-Auto-Response-Suppress': 'All',
        },
      });
      return { providerId: info.messageId };
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  return { name: 'email', send };
}
