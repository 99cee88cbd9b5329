// The typed Belvo client: HTTP Basic with the secret keys, a timeout on every call, Belvo's error
// arrays turned into BelvoApiError, and no path by which a bank password or MFA token can reach an
// error message (request bodies are never echoed; Belvo's own messages are scrubbed of them too).
import { z } from 'zod';
import { timeBelvoRequest } from '../metrics/samples.ts';
import { isBelvoId } from './belvo-id.ts';
import { expirySecondsSchema, tokenGenerationDataSchema } from './token-generation-data.ts';
import { consentManagementTokenBody, widgetTokenBody } from './token-requests.ts';
import {
  BelvoApiError,
  BelvoTransportError,
  InvalidBelvoIdError,
  type BelvoClient,
  type AccountHolder,
  type BelvoAccount,
  type BelvoErrorItem,
  type BelvoLink,
  type LinkCredentials,
  type PaymentsWebhookRegistration,
  type RegisteredPaymentsWebhook,
  type WidgetToken,
  type WidgetTokenRequest,
} from './belvo-types.ts';

export interface BelvoClientOptions {
  /** Base URL without the /api part, e.g. https://sandbox.belvo.com or http://127.0.0.1:3000/sandbox/belvo */
  apiUrl: string;
  secretId: string;
  secretPassword: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Belvo pages hold 100 accounts by default: 100 pages is far more than one link ever has. */
const MAX_ACCOUNT_PAGES = 100;
/** Not in the aggregation API excerpt; seed 002 (an older payments guide) names it "Register a new payment webhook". */
export const PAYMENTS_WEBHOOKS_PATH = belvoPath(['payments', 'webhooks']);

const linkSchema = z.looseObject({
  id: z.string().min(1),
  institution: z.string(),
  status: z.enum(['valid', 'invalid', 'unconfirmed', 'token_required']),
  external_id: z.string().nullish(),
});

const errorItemSchema = z.looseObject({
  code: z.string(),
  message: z.string().default(''),
  request_id: z.string().optional(),
  field: z.string().nullish(),
  session: z.string().optional(),
  expiry: expirySecondsSchema.optional(),
  token_generation_data: tokenGenerationDataSchema.nullish().catch(undefined),
});
const errorArraySchema = z.array(errorItemSchema).min(1);

const accountsPageSchema = z.looseObject({
  count: z.number().int().nonnegative().optional(),
  next: z.string().nullish(),
  results: z.array(z.looseObject({ id: z.string().min(1), link: z.string().nullish() })),
});

const registeredWebhookSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  url: z.string(),
  auth_header: z.string(),
  auth_token: z.string(),
  created_at: z.string().optional(),
  created_by: z.string().optional(),
});

const widgetTokenSchema = z.looseObject({ access: z.string().min(1), refresh: z.string().min(1) });

type ParsedErrorItem = z.infer<typeof errorItemSchema>;

/**
 * A path on Belvo's API: each segment percent-encoded, Django's trailing slash, and the query built
 * by URLSearchParams. Nothing reaches a Belvo URL any other way.
 */
export function belvoPath(segments: string[], query?: URLSearchParams): string {
  const path = `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}/`;
  const search = query?.toString();
  return search ? `${path}?${search}` : path;
}

/** The id, once it is known to be Belvo's; throws, before any request, when it is not. */
function belvoId(what: string, id: string): string {
  if (!isBelvoId(id)) throw new InvalidBelvoIdError(what, id);
  return id;
}

interface Call {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST';
  /** Built by belvoPath. */
  path: string;
  /** How the call is named in error messages: the path template, never a body. */
  label: string;
  body?: Record<string, unknown>;
  /** Values that must not survive into any error this call produces. */
  secrets: string[];
  /** How a 2xx body is read; a link unless said otherwise. */
  parse?: (label: string, status: number, body: unknown) => unknown;
}

export function createBelvoClient(options: BelvoClientOptions): BelvoClient {
  const baseUrl = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  const credential = Buffer.from(`${options.secretId}:${options.secretPassword}`).toString('base64');
  const authorization = `Basic ${credential}`;
  /** Scrubbed from every error, whatever the call: Belvo has no reason to echo our keys either. */
  const keys = [options.secretPassword, credential];

  async function send(call: Call): Promise<unknown> {
    const started = performance.now();
    const timed = (status: string) => timeBelvoRequest(call.label, status, (performance.now() - started) / 1000);
    let response: Response;
    let text: string;
    try {
      response = await doFetch(baseUrl + call.path, {
        method: call.method,
        headers: {
          Authorization: authorization,
          Accept: 'application/json',
          ...(call.body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: call.body ? JSON.stringify(call.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      const failure = transportFailure(call.label, err, timeoutMs);
      timed(failure.reason);
      throw failure;
    }
    timed(String(response.status));
    const parsed = parseJson(text);
    if (response.ok) return (call.parse ?? parseLink)(call.label, response.status, parsed);
    throw apiFailure({ ...call, secrets: [...call.secrets, ...keys] }, response.status, parsed);
  }

  async function sendWithOneRetry(call: Call): Promise<unknown> {
    try {
      return await send(call);
    } catch (err) {
      if (err instanceof BelvoTransportError && err.reason !== 'bad_response') return send(call);
      throw err;
    }
  }

  // Never retried: each call mints a new token, and the user waits on this one.
  async function requestToken(body: Record<string, unknown>): Promise<WidgetToken> {
    const token = (await send({
      method: 'POST',
      path: belvoPath(['api', 'token']),
      label: 'POST /api/token/',
      body: { id: options.secretId, password: options.secretPassword, ...body },
      secrets: [options.secretPassword],
      parse: parseWith(widgetTokenSchema, 'a widget token'),
    })) as z.infer<typeof widgetTokenSchema>;
    // Only the two tokens: nothing else Belvo adds may travel with them into a log by accident.
    return { access: token.access, refresh: token.refresh };
  }

  return {
    // PUT and PATCH are never retried here: a repeated password or token submission could count
    // as two failed logins at the bank and lock the user out.
    async updateLinkCredentials(linkId: string, credentials: LinkCredentials): Promise<BelvoLink> {
      const path = belvoPath(['api', 'links', belvoId('link', linkId)]);
      const body = credentialsBody(credentials);
      return (await send({
        method: 'PUT',
        path,
        label: 'PUT /api/links/{id}/',
        body,
        secrets: Object.values(body).filter((v): v is string => typeof v === 'string'),
      })) as BelvoLink;
    },

    async completeLinkRequest(input: { linkId: string; session: string; token?: string }): Promise<BelvoLink> {
      const body: Record<string, string> = { session: input.session, link: belvoId('link', input.linkId) };
      if (input.token) body['token'] = input.token;
      return (await send({
        method: 'PATCH',
        path: belvoPath(['api', 'links']),
        label: 'PATCH /api/links/',
        body,
        secrets: input.token ? [input.token] : [],
      })) as BelvoLink;
    },

    async getLink(linkId: string): Promise<BelvoLink> {
      return (await sendWithOneRetry({
        method: 'GET',
        path: belvoPath(['api', 'links', belvoId('link', linkId)]),
        label: 'GET /api/links/{id}/',
        secrets: [],
      })) as BelvoLink;
    },

    async listAccounts(linkId: string): Promise<BelvoAccount[]> {
      const accounts: BelvoAccount[] = [];
      let query = new URLSearchParams({ link: belvoId('link', linkId), page_size: '100' });
      for (let page = 1; page <= MAX_ACCOUNT_PAGES; page += 1) {
        const body = (await sendWithOneRetry({
          method: 'GET',
          path: belvoPath(['api', 'accounts'], query),
          label: 'GET /api/accounts/',
          secrets: [],
          parse: parseWith(accountsPageSchema, 'a page of accounts'),
        })) as z.infer<typeof accountsPageSchema>;
        accounts.push(...(body.results as BelvoAccount[]));
        if (!body.next) return accounts;
        query = nextPageQuery(body.next, linkId);
      }
      throw new BelvoTransportError('bad_response', `Belvo GET /api/accounts/ had more than ${MAX_ACCOUNT_PAGES} pages`);
    },

    // Never retried: a second try after a lost answer would register the URL twice.
    async registerPaymentsWebhook(input: PaymentsWebhookRegistration): Promise<RegisteredPaymentsWebhook> {
      return (await send({
        method: 'POST',
        path: PAYMENTS_WEBHOOKS_PATH,
        label: `POST ${PAYMENTS_WEBHOOKS_PATH}`,
        body: { name: input.name, url: input.url, auth_header: 'Authorization', auth_token: input.authToken },
        secrets: [input.authToken],
        parse: parseWith(registeredWebhookSchema, 'a webhook'),
      })) as RegisteredPaymentsWebhook;
    },

    // An update-mode token names the link: checked like every id that goes to Belvo.
    async createWidgetToken(input: WidgetTokenRequest): Promise<WidgetToken> {
      return requestToken(widgetTokenBody(input.kind === 'update' ? { ...input, linkId: belvoId('link', input.linkId) } : input));
    },

    async createConsentToken(holder: AccountHolder): Promise<WidgetToken> {
      return requestToken(consentManagementTokenBody(holder));
    },
  };
}

/**
 * Only the query of Belvo's `next` URL is used, on our own base URL: the secret keys go nowhere but
 * the configured Belvo, and a base URL with a path prefix (the demo's simulator) keeps working.
 */
function nextPageQuery(next: string, linkId: string): URLSearchParams {
  try {
    const params = new URL(next, 'http://belvo.invalid').searchParams;
    // Whatever the next URL says, the list stays this link's.
    params.set('link', linkId);
    return params;
  } catch {
    throw new BelvoTransportError('bad_response', 'Belvo GET /api/accounts/ answered a next page that is not a URL');
  }
}

function parseWith(schema: z.ZodType, what: string) {
  return (label: string, status: number, body: unknown): unknown => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new BelvoTransportError('bad_response', `Belvo ${label} answered ${status} with a body that is not ${what}`);
    return parsed.data;
  };
}

/** Only what changes (Belvo's guides; the excerpt's `institution`/`username` requirement is an erratum). */
function credentialsBody(credentials: LinkCredentials): Record<string, string> {
  const body: Record<string, string> = { password: credentials.password };
  if (credentials.password2) body['password2'] = credentials.password2;
  if (credentials.token) body['token'] = credentials.token;
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseLink(label: string, status: number, body: unknown): BelvoLink {
  const link = linkSchema.safeParse(body);
  if (!link.success) {
    throw new BelvoTransportError('bad_response', `Belvo ${label} answered ${status} with a body that is not a link`);
  }
  return link.data as BelvoLink;
}

function transportFailure(label: string, err: unknown, timeoutMs: number): BelvoTransportError {
  const name = err instanceof Error ? err.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new BelvoTransportError('timeout', `Belvo ${label} got no answer within ${timeoutMs} ms`);
  }
  // undici reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`.
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : name || 'unknown error';
  return new BelvoTransportError('network', `Belvo ${label} failed before an answer: ${code}`);
}

function apiFailure(call: Call, status: number, body: unknown): Error {
  const items = errorArraySchema.safeParse(body);
  if (!items.success) {
    return new BelvoTransportError('bad_response', `Belvo ${call.label} answered ${status} without Belvo's error array`);
  }
  const errors = items.data.map((item) => toErrorItem(item, call.secrets));
  const first = items.data[0];
  const mfa =
    status === 428 && first?.code === 'token_required' && first.session
      ? { session: first.session, expiry: first.expiry, tokenGenerationData: first.token_generation_data ?? undefined }
      : undefined;
  return new BelvoApiError({ status, errors, mfa });
}

function toErrorItem(item: ParsedErrorItem, secrets: string[]): BelvoErrorItem {
  return {
    code: item.code,
    message: scrub(item.message, secrets),
    ...(item.request_id ? { request_id: item.request_id } : {}),
    ...(item.field ? { field: item.field } : {}),
  };
}

/** Belvo has no reason to echo a password, but an error message is no place to find out it did. */
function scrub(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
