// One attempt to post an event to the operator's endpoint, signed with the standardwebhooks package
// (one `v1,…` signature per secret while the operator rotates). The host name is resolved here, at
// each attempt, and the address checked before we connect to it, so a name that later resolves to
// this machine or a link-local address (DNS rebinding) is refused as a literal address would be.
// Redirects are never followed: a 3xx answer is a failure like any other non-2xx.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { isLocalAddress } from './local-address.ts';
import type { OperatorWebhookConfig } from './webhook-config.ts';

/** Standard Webhooks' own advice, and what the contract promises. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** What the operator sees of an answer's body: enough to tell their error page from ours. */
const BODY_EXCERPT_CHARS = 200;

export interface WebhookMessage {
  webhookId: string;
  /** The exact body; the same bytes on every attempt. */
  payload: string;
  /** When this attempt is made (epoch ms): its `webhook-timestamp`. */
  now: number;
}

export type AttemptResult =
  | { ok: true; status: number; body: string }
  | { ok: false; status: number | null; body: string | null; error: string };

export interface WebhookPoster {
  post(message: WebhookMessage): Promise<AttemptResult>;
}

class RefusedAddress extends Error {}

/** A DNS lookup that fails for loopback and link-local answers, so the connection is never made. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const local = addresses.find((a) => isLocalAddress(a.address));
      if (local) return callback(new RefusedAddress(`${hostname} resolves to ${local.address}, a loopback or link-local address`), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function signatures(secrets: readonly Webhook[], message: WebhookMessage): string {
  const at = new Date(message.now);
  return secrets.map((secret) => secret.sign(message.webhookId, at, message.payload)).join(' ');
}

/** The start of the answer's body, as one line of printable text. */
async function excerpt(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    text += String(chunk);
    if (text.length >= BODY_EXCERPT_CHARS) break;
  }
  res.destroy();
  return text.replace(/[\p{Cc}\s]+/gu, ' ').trim().slice(0, BODY_EXCERPT_CHARS);
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (err instanceof RefusedAddress) return `refused: ${err.message}`;
  if (timedOut) return `no answer within ${timeoutMs / 1000} s`;
  const code = (err as { code?: string }).code;
  return err instanceof Error ? `${code ? `${code}: ` : ''}${err.message}` : String(err);
}

export function createWebhookPoster(config: OperatorWebhookConfig, timeoutMs = WEBHOOK_TIMEOUT_MS): WebhookPoster {
  const url = new URL(config.url);
  const secrets = config.secrets.map((secret) => new Webhook(secret));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const lookup = config.allowLocal ? undefined : guardedLookup();

  async function send(message: WebhookMessage, signal: AbortSignal): Promise<AttemptResult> {
    // A literal address is never looked up, so it is checked here.
    if (lookup && isLocalAddress(url.hostname)) throw new RefusedAddress(`${url.hostname} is a loopback or link-local address`);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        signal,
        ...(lookup ? { lookup } : {}),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Relink-Webhooks/1',
          'webhook-id': message.webhookId,
          'webhook-timestamp': String(Math.floor(message.now / 1000)),
          'webhook-signature': signatures(secrets, message),
        },
      });
      req.once('response', resolve);
      req.once('error', reject);
      req.end(message.payload);
    });
    const status = res.statusCode ?? 0;
    const body = await excerpt(res);
    if (status >= 200 && status < 300) return { ok: true, status, body };
    const location = res.headers.location;
    const error = status >= 300 && status < 400 ? `redirect to ${location ?? '(no location)'} not followed` : `answered ${status}`;
    return { ok: false, status, body, error };
  }

  return {
    async post(message) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        return await send(message, signal);
      } catch (err) {
        return { ok: false, status: null, body: null, error: describe(err, signal.aborted, timeoutMs) };
      }
    },
  };
}
