// What SMS and WhatsApp share: one Twilio account, the official client (loaded with the first
// message, so a deployment without Twilio never carries it), the status callback path, and how a
// refusal from Twilio becomes a ChannelError. Rate limits, Twilio's own failures and network
// trouble are worth another try; any other refusal (an invalid number, a WhatsApp number that is
// not on WhatsApp) is not.
import type { Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { ChannelError } from './channel.ts';

/** Where Twilio posts each message's delivery status: PUBLIC_URL + this path. */
export const TWILIO_STATUS_PATH = '/webhooks/twilio';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  /** Replaces https://api.twilio.com (TWILIO_API_URL; tests point it at a local server). */
  apiUrl?: string | undefined;
  timeoutMs?: number;
  /** PUBLIC_URL + TWILIO_STATUS_PATH. */
  statusCallback?: string;
}

export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

/**
 * Twilio's error codes for WhatsApp, each a reason the case timeline and the operator can read
 * (twilio.com/docs/api/errors/<code>). All of them end the message on WhatsApp: it goes by the
 * person's next channel, as an e-mail bounce does.
 */
export const WHATSAPP_ERROR_REASONS: Record<string, string> = {
  // "Channel could not find To address": the number has no active WhatsApp account.
  '63003': 'not_on_whatsapp',
  // "Twilio could not find a Channel with the specified From address": TWILIO_WHATSAPP_FROM is not a sender of this account.
  '63007': 'whatsapp_sender_not_found',
  // "Channel module misconfigured": the WhatsApp sender's set-up at Twilio.
  '63008': 'whatsapp_sender_misconfigured',
  // "Outside messaging window": a free-form message after 24 h, or a template sent as Body.
  '63016': 'outside_whatsapp_window',
  // "Channel invalid content error": the template and its variables were refused (length, components).
  '63021': 'whatsapp_content_refused',
  // "Invalid message recipient": Meta says not a valid WhatsApp user (terms not accepted, old app).
  '63024': 'invalid_whatsapp_recipient',
  // "Account exceeded the daily messages limit" of the WhatsApp sender.
  '63038': 'whatsapp_daily_limit',
  // "Meta chose not to deliver this WhatsApp marketing message": the template was categorised Marketing.
  '63049': 'meta_declined_marketing_template',
  // Meta disabled the WhatsApp Business Account behind the sender (wording not confirmed in Twilio's pages we could read).
  '63112': 'whatsapp_business_account_disabled',
};

/** A readable reason for a Twilio error code, when we know one. */
export function twilioErrorReason(code: string | number | undefined): string | undefined {
  return code === undefined ? undefined : WHATSAPP_ERROR_REASONS[String(code)];
}

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
    const twilioCode = typeof code === 'number' ? code : status;
    return new ChannelError(`twilio ${twilioCode}`, `Twilio answered ${status}: ${detail}`, !transient, twilioErrorReason(twilioCode));
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new ChannelError('timeout', `Twilio did not answer in time: ${detail}`, false);
  }
  return new ChannelError('twilio network', `Could not reach Twilio: ${detail}`, false);
}

/**
 * The client's documented extension point, an httpClient, used to send every request to another
 * base URL: the path and query Twilio's client built are kept, only the origin changes.
 */
export async function createTwilioClient(account: TwilioAccount): Promise<Twilio> {
  const { default: twilio } = await import('twilio');
  const baseUrl = account.apiUrl?.replace(/\/+$/, '');

  class BaseUrlRequestClient extends twilio.RequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      if (baseUrl === undefined) return super.request<TData>(opts);
      const url = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${baseUrl}${url.pathname}${url.search}` });
    }
  }

  // No automatic retry on 429: the outbox retries with its own back-off and records each try.
  const httpClient = new BaseUrlRequestClient({ timeout: account.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS, autoRetry: false });
  return twilio(account.accountSid, account.authToken, { httpClient });
}

/** TWILIO_FROM or TWILIO_WHATSAPP_FROM: a Messaging Service SID goes in its own parameter. */
export function senderParams(from: string): { from: string } | { messagingServiceSid: string } {
  return from.startsWith('MG') ? { messagingServiceSid: from } : { from };
}
