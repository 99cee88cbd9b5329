// An in-memory stand-in for Belvo's links API, speaking Belvo's real response shapes: the portal's
// demo mode mounts it at /sandbox/belvo, and tests run it on loopback. Never used in production.
// The password typed picks the outcome; see the table in simulator-scenarios.ts.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import type { BelvoLink, RegisteredPaymentsWebhook, TokenGenerationData, WidgetCallbackUrls } from '../belvo/belvo-types.ts';
import { systemClock, type Clock } from '../clock.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { accountsPage, pageSizeOf, simulatedAccountCount } from './simulator-accounts.ts';
import { ERRORS, SANDBOX_MFA_TOKEN, scenarioFor, tokenGenerationData, type MfaKind } from './simulator-scenarios.ts';
import { createWebhookRegistry } from './simulator-webhooks.ts';
import { createWidgetGrants, tokenBodySchemas, tokenRequestKind } from './simulator-widget.ts';

export interface BelvoSimulatorOptions {
  secretId: string;
  secretPassword: string;
  clock?: Clock;
  logger?: Logger;
  /** How long the `slow` password waits before answering; by default longer than the client's 10 s timeout. */
  slowDelayMs?: number;
  /** Lifetime of an MFA session, in seconds, as sent in the 428's `expiry`. */
  mfaSessionSeconds?: number;
  /** Institution of links seen for the first time. */
  institution?: string;
  /** Tests only: keep each raw request body in `calls`. Bodies hold passwords, so the demo never does. */
  keepBodies?: boolean;
}

export interface SimulatorCall {
  at: number;
  method: string;
  /** Relative to where the router is mounted, e.g. /api/links/{id}/ */
  path: string;
  linkId: string | undefined;
  /** Names of the JSON body's fields, sorted: what was sent, without what it said. */
  fields: string[];
  /** The answer's status; undefined while a call hangs. */
  status: number | undefined;
  body?: unknown;
}

/** What the next call answers instead of its usual outcome: hang forever, or a Belvo error. */
export type NextAnswer = { hang: true } | { status: number; code: string; message?: string };

export interface MfaSession {
  session: string;
  /** Seconds, as Belvo sends it. */
  expiry: number;
  token_generation_data: TokenGenerationData;
}

export interface BelvoSimulator {
  router: express.Router;
  calls: SimulatorCall[];
  getLink(linkId: string): BelvoLink | undefined;
  /** Opens an MFA session as a 428 would, e.g. for a token_required webhook fired from /dev. */
  openMfaSession(linkId: string, kind?: MfaKind): MfaSession;
  answerNext(answer: NextAnswer): void;
  /** How many accounts GET /api/accounts/ lists for the link (by default 1 to 4, from its id). */
  setAccountCount(linkId: string, count: number): void;
  /** Payments webhooks registered with POST /payments/webhooks/, tokens unmasked. */
  webhookRegistrations(): RegisteredPaymentsWebhook[];
  /** The Authorization value of the latest registration: what the demo's webhooks are sent with. */
  registeredWebhookAuth(): string | undefined;
}

interface OpenSession {
  linkId: string;
  expiresAt: number;
  expectsUserInput: boolean;
}

const MAX_CALLS = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LINK_PATH = /^\/api\/links\/([^/]+)\/?$/;

const putBodySchema = z.looseObject({
  password: z.string().optional(),
  password2: z.string().optional(),
  token: z.string().optional(),
});
const patchBodySchema = z.looseObject({
  session: z.string().optional(),
  link: z.string().optional(),
  token: z.string().optional(),
});

const hex32 = () => randomBytes(16).toString('hex');
const digest = (value: string) => createHash('sha256').update(value).digest();

export function createBelvoSimulator(options: BelvoSimulatorOptions): BelvoSimulator {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const slowDelayMs = options.slowDelayMs ?? 15_000;
  const mfaSessionSeconds = options.mfaSessionSeconds ?? 720;
  const institution = options.institution ?? 'erebor_mx_retail';
  const expectedAuth = digest(
    `Basic ${Buffer.from(`${options.secretId}:${options.secretPassword}`).toString('base64')}`,
  );

  const links = new Map<string, BelvoLink>();
  const sessions = new Map<string, OpenSession>();
  const calls: SimulatorCall[] = [];
  const nextAnswers: NextAnswer[] = [];
  const accountCounts = new Map<string, number>();
  const webhooks = createWebhookRegistry(() => clock.now());

  function ensureLink(id: string): BelvoLink {
    const existing = links.get(id);
    if (existing) return existing;
    const link: BelvoLink = {
      id,
      institution,
      access_mode: 'recurrent',
      status: 'invalid',
      refresh_rate: '7d',
      created_at: new Date(clock.now()).toISOString(),
      last_accessed_at: null,
      external_id: null,
      institution_user_id: `${randomBytes(32).toString('base64url')}=`,
      created_by: randomUUID(),
    };
    links.set(id, link);
    return link;
  }

  function markValid(link: BelvoLink): BelvoLink {
    link.status = 'valid';
    link['last_accessed_at'] = new Date(clock.now()).toISOString();
    return { ...link };
  }

  function openMfaSession(linkId: string, kind: MfaKind = 'numeric'): MfaSession {
    const session = hex32();
    const data = tokenGenerationData(kind, session);
    sessions.set(session, {
      linkId,
      expiresAt: clock.now() + mfaSessionSeconds * 1000,
      expectsUserInput: data.expects_user_input !== false,
    });
    ensureLink(linkId).status = 'token_required';
    return { session, expiry: mfaSessionSeconds, token_generation_data: data };
  }

  function record(req: Request): SimulatorCall {
    const body: unknown = req.body;
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const fromBody = isObject ? (body as Record<string, unknown>)['link'] : undefined;
    const call: SimulatorCall = {
      at: clock.now(),
      method: req.method,
      path: req.path,
      linkId: LINK_PATH.exec(req.path)?.[1] ?? (typeof fromBody === 'string' ? fromBody : undefined),
      fields: isObject ? Object.keys(body).sort() : [],
      status: undefined,
      ...(options.keepBodies ? { body } : {}),
    };
    calls.push(call);
    if (calls.length > MAX_CALLS) calls.splice(0, calls.length - MAX_CALLS);
    return call;
  }

  function reply(req: Request, res: Response, status: number, payload: unknown): void {
    const call = record(req);
    call.status = status;
    logger.debug('belvo simulator answered', { method: call.method, path: call.path, fields: call.fields, status });
    res.status(status).json(payload);
  }

  function replyError(
    req: Request,
    res: Response,
    error: { status: number; code: string; message: string; field?: string },
    extra: Record<string, unknown> = {},
  ): void {
    const { code, message, field } = error;
    reply(req, res, error.status, [{ code, message, request_id: hex32(), ...(field ? { field } : {}), ...extra }]);
  }

  const validation = (code: 'required' | 'blank', field: string) => ({
    status: 400,
    code,
    message: code === 'required' ? 'This field is required.' : 'This field may not be blank.',
    field,
  });

  function checkAuth(req: Request, res: Response, next: NextFunction): void {
    const given = req.get('authorization');
    if (given !== undefined && timingSafeEqual(digest(given), expectedAuth)) return next();
    replyError(req, res, ERRORS.authenticationFailed);
  }

  function applyNextAnswer(req: Request, res: Response, next: NextFunction): void {
    const answer = nextAnswers.shift();
    if (!answer) return next();
    if ('hang' in answer) {
      record(req);
      return;
    }
    replyError(req, res, { status: answer.status, code: answer.code, message: answer.message ?? answer.code });
  }

  function getLink(req: Request, res: Response): void {
    const id = String(req.params['id']);
    if (!UUID.test(id)) return replyError(req, res, ERRORS.notFound);
    reply(req, res, 200, { ...ensureLink(id) });
  }

  function updateLink(req: Request, res: Response): void {
    const id = String(req.params['id']);
    if (!UUID.test(id)) return replyError(req, res, ERRORS.notFound);
    const body = putBodySchema.safeParse(req.body ?? {});
    const input = body.success ? body.data : {};
    if (input.password === undefined) return replyError(req, res, validation('required', 'password'));
    if (input.password === '') return replyError(req, res, validation('blank', 'password'));

    const link = ensureLink(id);
    const scenario = scenarioFor(input.password);
    switch (scenario.kind) {
      case 'valid':
        return reply(req, res, 200, markValid(link));
      case 'slow':
        setTimeout(() => reply(req, res, 200, markValid(link)), slowDelayMs).unref();
        return;
      case 'needs_password2':
        if (input.password2) return reply(req, res, 200, markValid(link));
        return replyError(req, res, validation('required', 'password2'));
      case 'mfa':
        if (input.token !== undefined) {
          if (input.token === SANDBOX_MFA_TOKEN) return reply(req, res, 200, markValid(link));
          return replyError(req, res, ERRORS.wrongToken);
        }
        return replyError(req, res, ERRORS.tokenRequired, { link: id, ...openMfaSession(id, scenario.mfa) });
      case 'error':
        if (scenario.code === 'login_error') link.status = 'invalid';
        return replyError(req, res, scenario);
    }
  }

  function completeRequest(req: Request, res: Response): void {
    const body = patchBodySchema.safeParse(req.body ?? {});
    const input = body.success ? body.data : {};
    if (!input.session) return replyError(req, res, validation('required', 'session'));
    if (!input.link) return replyError(req, res, validation('required', 'link'));

    const open = sessions.get(input.session);
    if (!open || open.linkId !== input.link || clock.now() >= open.expiresAt) {
      if (open && clock.now() >= open.expiresAt) sessions.delete(input.session);
      return replyError(req, res, ERRORS.sessionExpired);
    }
    if (open.expectsUserInput) {
      if (!input.token) return replyError(req, res, validation('required', 'token'));
      // A wrong token leaves the session open, so the user can type it again before it expires.
      if (input.token !== SANDBOX_MFA_TOKEN) return replyError(req, res, ERRORS.wrongToken);
    }
    sessions.delete(input.session);
    reply(req, res, 200, markValid(ensureLink(open.linkId)));
  }

  function listAccounts(req: Request, res: Response): void {
    const linkId = typeof req.query['link'] === 'string' ? req.query['link'] : '';
    if (!UUID.test(linkId)) return replyError(req, res, validation('required', 'link'));
    const pageSize = pageSizeOf(req.query['page_size']);
    const page = Number(req.query['page'] ?? 1);
    const origin = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}${req.baseUrl}`;
    const body = accountsPage({
      linkId,
      total: accountCounts.get(linkId) ?? simulatedAccountCount(linkId),
      page: Number.isInteger(page) ? page : 0,
      pageSize,
      institution: ensureLink(linkId).institution,
      pageUrl: (n) => `${origin}/api/accounts/?link=${linkId}&page=${n}&page_size=${pageSize}`,
      collectedAt: new Date(clock.now()).toISOString(),
    });
    if (!body) return replyError(req, res, { status: 404, code: 'not_found', message: 'Invalid page.' });
    reply(req, res, 200, body);
  }

  const widget = createWidgetGrants({ clock, links: { ensure: ensureLink, markValid }, institution });

  /**
   * POST /api/token/: Belvo checks the secret keys in the body as well as in the header, and refuses
   * a body that does not fit its use (an Open Finance token without the person's CPF, say).
   */
  function createWidgetToken(req: Request, res: Response): void {
    const kind = tokenRequestKind(req.body);
    const body = tokenBodySchemas[kind].safeParse(req.body ?? {});
    if (!body.success) {
      const issue = body.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      const missing = issue?.code === 'invalid_type' && issue.message.includes('undefined');
      return replyError(req, res, missing ? validation('required', field) : { status: 400, code: 'invalid', message: issue?.message ?? 'Invalid value.', field });
    }
    const keys = `${body.data.id}:${body.data.password}`;
    if (!timingSafeEqual(digest(keys), digest(`${options.secretId}:${options.secretPassword}`))) {
      return replyError(req, res, ERRORS.authenticationFailed);
    }
    const data = body.data as { link_id?: string; widget: { callback_urls?: WidgetCallbackUrls } };
    reply(req, res, 200, widget.mint({ linkId: data.link_id, callbackUrls: data.widget.callback_urls }));
  }

  function registerWebhook(req: Request, res: Response): void {
    const result = webhooks.register(req.body);
    if (!result.ok) return replyError(req, res, result.error);
    reply(req, res, 201, result.answer);
  }

  const router = express.Router();
  // The hosted widget is a page for the user's browser: no secret keys there, only the access token.
  router.use('/widget', widget.router);
  router.use(checkAuth);
  router.use(express.json({ limit: '16kb' }));
  router.use(applyNextAnswer);
  router.get('/api/links/:id', getLink);
  router.put('/api/links/:id', updateLink);
  router.patch('/api/links', completeRequest);
  router.get('/api/accounts', listAccounts);
  router.post('/payments/webhooks', registerWebhook);
  router.post('/api/token', createWidgetToken);
  router.use((req: Request, res: Response) => replyError(req, res, ERRORS.notFound));
  // Malformed JSON: answer as Belvo's framework does, inside the simulator, not the portal's handler.
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown }).status === 413 ? 413 : 400;
    replyError(req, res, { status, code: 'parse_error', message: 'JSON parse error' });
  });

  return {
    router,
    calls,
    getLink: (linkId) => {
      const link = links.get(linkId);
      return link ? { ...link } : undefined;
    },
    openMfaSession,
    answerNext: (answer) => {
      nextAnswers.push(answer);
    },
    setAccountCount: (linkId, count) => {
      accountCounts.set(linkId, count);
    },
    webhookRegistrations: () => webhooks.list(),
    registeredWebhookAuth: () => webhooks.latestAuth(),
  };
}
