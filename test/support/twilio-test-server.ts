// A small server on 127.0.0.1 that speaks Twilio's Messages API, for tests: point TWILIO_API_URL
// (or createSmsChannel's apiUrl) at `url`, use TEST_TWILIO_ACCOUNT_SID / TEST_TWILIO_AUTH_TOKEN
// (or your own through the options), and read accepted messages from `messages`.
//
//   const twilio = await startTwilioServer();
//   … send through twilio.url …
//   twilio.messages[0]  // { to, from?, messagingServiceSid?, body?, contentSid?, contentVariables?, statusCallback? }
//   twilio.arrivals     // when each accepted message arrived (Date.now()), for rate checks
//   twilio.failNext(429);          // the next request answers 429, Twilio code 20429
//   twilio.failNext(400, 21610);   // the next request: unsubscribed recipient
//   twilio.failNext(500, undefined, 3);
//   twilio.routeCallbacksTo(app.url);                    // where PUBLIC_URL really listens
//   await twilio.deliver(twilio.messages[0].sid, 'undelivered', { ErrorCode: '30005' });
//   await twilio.close();
//
// POST /2010-04-01/Accounts/:sid/Messages.json takes Twilio's form-encoded fields (To, From or
// MessagingServiceSid, Body or ContentSid and ContentVariables, StatusCallback), checks HTTP Basic
// auth (account SID + auth token), and answers 201 with a Twilio-shaped message resource (sid
// "SM…", status "queued"). Errors use Twilio's JSON shape { code, message, more_info, status }:
// 401/20003 for bad credentials, 400/21211 for a To that is not E.164, 400/21602–21604 for missing
// fields.
//
// WhatsApp: To is whatsapp:+<E.164>; From must then be whatsapp:+… too (or a Messaging Service),
// else 400/21910. Business-initiated WhatsApp is a template: a ContentSid (HX…, else 400/21655)
// with ContentVariables that are a JSON object of strings (else 400/21656). As at Twilio, a number
// that is not on WhatsApp is refused later, through the status callback:
//   twilio.notOnWhatsApp('+5511999990000');   // its sends are accepted (201, queued)…
//   await twilio.sendReports();                 // …then reported 'failed' with ErrorCode 63003
// A WhatsApp Body without a ContentSid is accepted and then fails with 63016 (outside the 24-hour
// window), which is what Twilio does for a business-initiated free-form message.
//
// deliver() calls the message's StatusCallback as Twilio does: a form-encoded POST carrying
// MessageSid, MessageStatus (and ErrorCode), signed in X-Twilio-Signature with HMAC-SHA1 of the
// callback URL followed by every parameter name and value in name order, keyed by the auth token.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';

export const TEST_TWILIO_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const TEST_TWILIO_AUTH_TOKEN = 'test-twilio-auth-token';

export interface TwilioTestMessage {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  contentSid?: string;
  /** ContentVariables, parsed. */
  contentVariables?: Record<string, string>;
  statusCallback?: string;
}

export interface TwilioTestServer {
  /** http://127.0.0.1:<port>, the base URL that replaces https://api.twilio.com. */
  url: string;
  accountSid: string;
  authToken: string;
  messages: TwilioTestMessage[];
  /** When each accepted message arrived (Date.now()), in order. */
  arrivals: number[];
  /** Answer the next `times` (default 1) requests with this HTTP status and Twilio error code. */
  failNext(status: number, twilioCode?: number, times?: number): void;
  /**
   * Status callbacks go to this origin (the app's loopback address) while still being signed over
   * the StatusCallback URL as given, as behind a proxy that terminates PUBLIC_URL.
   */
  routeCallbacksTo(origin: string): void;
  /** Reports a status for a message, as Twilio's status callback; the app's HTTP status. */
  deliver(sid: string, status: string, extra?: Record<string, string>): Promise<number>;
  /** WhatsApp sends to this E.164 number are accepted, then reported failed with 63003. */
  notOnWhatsApp(phone: string): void;
  /** Posts the failures Twilio reports after accepting a message (63003, 63016); the app's HTTP statuses. */
  sendReports(): Promise<number[]>;
  close(): Promise<void>;
}

export interface TwilioTestServerOptions {
  accountSid?: string;
  authToken?: string;
}

interface PendingFailure {
  status: number;
  code: number;
  remaining: number;
}

function sendError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function isAuthorized(req: Request, accountSid: string, authToken: string): boolean {
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return req.get('authorization') === expected;
}

function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Twilio's request signature: base64 HMAC-SHA1 over the URL and the sorted parameters. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

const E164 = /^\+[1-9]\d{6,14}$/;

function isWhatsApp(address: string | undefined): boolean {
  return address?.startsWith('whatsapp:') ?? false;
}

/** ContentVariables: a JSON object whose values are strings, as Twilio's Content API requires. */
function parseContentVariables(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.values(value).every((v) => typeof v === 'string') ? (value as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

function messageResource(accountSid: string, message: TwilioTestMessage) {
  const sid = message.sid;
  const now = new Date().toUTCString();
  return {
    sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.body ?? '',
    date_created: now,
    date_updated: now,
    date_sent: null,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from ?? null,
    messaging_service_sid: message.messagingServiceSid ?? null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    status: 'queued',
    to: message.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
  };
}

export async function startTwilioServer(options: TwilioTestServerOptions = {}): Promise<TwilioTestServer> {
  const accountSid = options.accountSid ?? TEST_TWILIO_ACCOUNT_SID;
  const authToken = options.authToken ?? TEST_TWILIO_AUTH_TOKEN;
  const messages: TwilioTestMessage[] = [];
  const arrivals: number[] = [];
  const failures: PendingFailure[] = [];
  const notOnWhatsApp = new Set<string>();
  const reports: Array<{ sid: string; errorCode: string }> = [];

  /** Twilio refuses some WhatsApp messages only after accepting them: the status callback says so. */
  function reportLater(sid: string, errorCode: string): void {
    reports.push({ sid, errorCode });
  }

  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/2010-04-01/Accounts/:sid/Messages.json', (req, res) => {
    if (!isAuthorized(req, accountSid, authToken)) return sendError(res, 401, 20003, 'Authenticate');
    if (req.params['sid'] !== accountSid) return sendError(res, 404, 20404, 'The requested resource was not found');
    const failure = failures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining === 0) failures.shift();
      return sendError(res, failure.status, failure.code, `Failure requested by the test (HTTP ${failure.status})`);
    }
    const to = field(req.body, 'To');
    const from = field(req.body, 'From');
    const messagingServiceSid = field(req.body, 'MessagingServiceSid');
    const body = field(req.body, 'Body');
    const contentSid = field(req.body, 'ContentSid');
    const statusCallback = field(req.body, 'StatusCallback');
    if (!to) return sendError(res, 400, 21604, "A 'To' phone number is required.");
    if (!from && !messagingServiceSid) return sendError(res, 400, 21603, "A 'From' phone number is required.");
    if (!body && !contentSid) return sendError(res, 400, 21602, 'Message body is required.');
    const whatsapp = isWhatsApp(to);
    const number = whatsapp ? to.slice('whatsapp:'.length) : to;
    if (!E164.test(number)) return sendError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (from && whatsapp !== isWhatsApp(from)) {
      return sendError(res, 400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
    }
    if (contentSid && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return sendError(res, 400, 21655, 'The ContentSid is Invalid');
    const contentVariables = parseContentVariables(field(req.body, 'ContentVariables'));
    if (contentSid && !contentVariables) return sendError(res, 400, 21656, 'The ContentVariables Parameter is invalid');
    const message: TwilioTestMessage = { sid: `SM${randomBytes(16).toString('hex')}`, to };
    if (from) message.from = from;
    if (messagingServiceSid) message.messagingServiceSid = messagingServiceSid;
    if (body) message.body = body;
    if (contentSid) {
      message.contentSid = contentSid;
      message.contentVariables = contentVariables!;
    }
    if (statusCallback) message.statusCallback = statusCallback;
    messages.push(message);
    arrivals.push(Date.now());
    if (whatsapp && notOnWhatsApp.has(number)) reportLater(message.sid, '63003');
    else if (whatsapp && !contentSid) reportLater(message.sid, '63016');
    res.status(201).json(messageResource(accountSid, message));
  });
  app.use((_req: Request, res: Response) => sendError(res, 404, 20404, 'The requested resource was not found'));

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let callbackOrigin: string | undefined;

  async function deliver(sid: string, status: string, extra: Record<string, string> = {}): Promise<number> {
    const message = messages.find((m) => m.sid === sid);
    if (!message?.statusCallback) throw new Error(`message ${sid} has no StatusCallback`);
    const params: Record<string, string> = {
      AccountSid: accountSid,
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      To: message.to,
      ...(message.from ? { From: message.from } : {}),
      ApiVersion: '2010-04-01',
      ...extra,
    };
    const signed = new URL(message.statusCallback);
    const target = callbackOrigin ? new URL(signed.pathname + signed.search, callbackOrigin) : signed;
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': twilioSignature(authToken, message.statusCallback, params),
      },
      body: new URLSearchParams(params),
      signal: AbortSignal.timeout(5_000),
    });
    await res.arrayBuffer();
    return res.status;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    arrivals,
    failNext(status, twilioCode, times = 1) {
      // Twilio's generic codes are 20000 + the HTTP status (20429, 20500, 20503…).
      failures.push({ status, code: twilioCode ?? 20_000 + status, remaining: times });
    },
    routeCallbacksTo(origin) {
      callbackOrigin = origin;
    },
    deliver,
    notOnWhatsApp(phone) {
      notOnWhatsApp.add(phone);
    },
    async sendReports() {
      const due = reports.splice(0);
      const statuses: number[] = [];
      for (const { sid, errorCode } of due) statuses.push(await deliver(sid, 'failed', { ErrorCode: errorCode }));
      return statuses;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        // The Twilio client keeps connections alive; close them so the test can end.
        server.closeAllConnections();
      });
    },
  };
}
