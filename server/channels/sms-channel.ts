// SMS through Twilio's Messages API with the official client. TWILIO_FROM is a phone number or a
// Messaging Service SID (MG…), which Twilio takes as a different parameter. Rate limits, Twilio's
// own failures and network trouble are worth another try; any other refusal (an invalid or
// unsubscribed number) is not.
import type { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { ChannelError, type Channel, type RenderedMessage } from './channel.ts';

export interface SmsChannelOptions {
  accountSid: string;
  authToken: string;
  /** An E.164 number, or a Messaging Service SID starting with MG. */
  from: string;
  /** Replaces https://api.twilio.com (TWILIO_API_URL; tests point it at a local server). */
  apiUrl?: string;
  timeoutMs?: number;
  /** Where Twilio reports each message's delivery status (PUBLIC_URL/webhooks/twilio). */
  statusCallback?: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface TwilioFailure {
  status?: unknown;
  code?: unknown;
  message?: unknown;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

// Only the message is kept: the underlying error carries the request, Authorization header included.
export function classifyTwilioError(err: unknown): ChannelError {
  const { status, code, message } = (typeof err === 'object' && err !== null ? err : {}) as TwilioFailure;
  const detail = typeof message === 'string' ? message : String(err);
  if (typeof status === 'number') {
    const transient = status === 429 || status >= 500;
    return new ChannelError(`twilio ${typeof code === 'number' ? code : status}`, `Twilio answered ${status}: ${detail}`, !transient);
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new ChannelError('timeout', `Twilio did not answer in time: ${detail}`, false);
  }
  return new ChannelError('twilio network', `Could not reach Twilio: ${detail}`, false);
}

/**
 * The client's documented extension point, an httpClient, used to send every request to another
 * base URL: the path and query Twilio's client built are kept, only the origin changes. The twilio
 * package is loaded with the first SMS: a deployment without Twilio never carries it in memory.
 */
async function createTwilioClient(options: SmsChannelOptions, timeoutMs: number): Promise<Twilio> {
  const { default: twilio } = await import('twilio');
  const baseUrl = options.apiUrl?.replace(/\/+$/, '');

  class BaseUrlRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      if (baseUrl === undefined) return super.request<TData>(opts);
      const url = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${baseUrl}${url.pathname}${url.search}` });
    }
  }

  // No automatic retry on 429: the outbox retries with its own back-off and records each try.
  const httpClient = new BaseUrlRequestClient({ timeout: timeoutMs, autoRetry: false });
  return twilio(options.accountSid, options.authToken, { httpClient });
}

export function createSmsChannel(options: SmsChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: Promise<Twilio> | undefined;
  const sender = options.from.startsWith('MG') ? { messagingServiceSid: options.from } : { from: options.from };
  const callback = options.statusCallback ? { statusCallback: options.statusCallback } : {};

  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    client ??= createTwilioClient(options, timeoutMs);
    try {
      const sent = await (await client).messages.create({ to: message.to, body: message.text, ...sender, ...callback });
      return { providerId: sent.sid };
    } catch (err) {
      throw classifyTwilioError(err);
    }
  }

  return { name: 'sms', send };
}
