// createApp(deps): the Express wiring. Each capability brings its own router; this file decides the
// order, the security headers, and which error handler answers under which prefix.
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Knex } from 'knex';
import { fileURLToPath } from 'node:url';
import type { BelvoClient } from './belvo/belvo-types.ts';
import { createBrandRouter } from './brand/brand-routes.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { jsonErrorHandler } from './http/api-errors.ts';
import { createAuthFailureLimit, requireAuthorization } from './http/auth-failure-limit.ts';
import { createAuthorizationCheck } from './http/bearer-auth.ts';
import { createHealthRouter } from './http/health-routes.ts';
import { jsonAnswerHeaders } from './http/json-answers.ts';
import { csrfProtection } from './http/csrf.ts';
import { createIpRateLimit } from './http/rate-limit.ts';
import { databaseRateLimitStores } from './http/rate-limit-store.ts';
import { createSessionMiddleware } from './http/session-store.ts';
import { requestLogger } from './http/request-id.ts';
import { unauthorized } from './errors.ts';
import type { Logger } from './logger.ts';
import { createConsoleRouter } from './console/console-routes.ts';
import { createOperatorRouter } from './operator/operator-routes.ts';
import { createDeliveryRouter } from './operator-webhooks/delivery-routes.ts';
import { createPortalRouter, type PortalLimits } from './portal/portal-routes.ts';
import { BRAND_LOCAL, sendCsrfProblem, sendProblem } from './portal/portal-render.ts';
import type { LinkSigner } from './cases/signed-link.ts';
import { createStormRouter } from './storm/storm-routes.ts';
import type { BelvoSimulator } from './sandbox/belvo-simulator.ts';
import { createDevConsoleRouter } from './sandbox/dev-console-routes.ts';
import { createDevInboxRouter } from './sandbox/dev-inbox-routes.ts';
import { observeRequests } from './observability.ts';
import { createWebhookRouter } from './webhooks/webhook-routes.ts';
import { createTwilioRouter } from './webhooks/twilio-routes.ts';
import { TWILIO_STATUS_PATH } from './channels/twilio-client.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../views/', import.meta.url));
export const PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

export interface AppDeps {
  config: Config;
  db: Knex;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
  signer: LinkSigner;
  /** Tells the worker in this process that an event was recorded. */
  wakeWorker: () => void;
  /** The Belvo simulator, mounted at /sandbox/belvo in demo mode only. */
  belvoSimulator?: BelvoSimulator;
  /** Rate limits of the end-user pages; tests whose clock stands still raise the per-IP one. */
  portalLimits?: Partial<PortalLimits>;
}

/** Unauthenticated webhook calls per IP per minute: generous for a misconfigured sender, tight for a guesser. */
const WEBHOOK_AUTH_FAILURES_PER_MINUTE = 30;
/** Wrong operator API keys per address per minute, likewise. */
const API_AUTH_FAILURES_PER_MINUTE = 30;

/** The origin of a URL, for a CSP source list; undefined for something that is not a URL. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * `formActions`: origins a form may post to besides our own. Chromium applies form-action to the
 * redirects of a form's POST too, so "Continue with Belvo" and "Renew my consent" (POSTs answered
 * with a 303 to the hosted widget and to My Belvo Portal) need those origins here.
 */
export function securityHeaders(options: { formActions?: string[] } = {}) {
  const formActions = (options.formActions ?? []).flatMap((url) => originOf(url) ?? []);
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'", ...new Set(formActions)],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
}

function webhookAuthFailureLimit(deps: AppDeps, stores: ReturnType<typeof databaseRateLimitStores>) {
  return createIpRateLimit({
    store: stores('webhooks-ip'),
    logger: deps.logger,
    limit: WEBHOOK_AUTH_FAILURES_PER_MINUTE,
    windowMs: 60_000,
    onLimited: (_req, res) => {
      res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many unauthenticated requests' } });
    },
  });
}

const tooManyFailures = (_req: express.Request, res: express.Response) => {
  res.status(429).json({ error: { code: 'too_many_requests', message: 'Too many failed authentication attempts; wait before trying again' } });
};

/** The operator's Bearer key, checked in constant time; wrong keys are counted per address. */
function operatorAuthentication(deps: AppDeps, stores: ReturnType<typeof databaseRateLimitStores>) {
  const check = createAuthorizationCheck(`Bearer ${deps.config.operatorApiKey}`);
  return requireAuthorization(
    (req) => check(req.headers.authorization),
    createAuthFailureLimit({
      store: stores('api-auth-ip'),
      logger: deps.logger,
      limit: API_AUTH_FAILURES_PER_MINUTE,
      windowMs: 60_000,
      onLimited: tooManyFailures,
    }),
    () => {
      throw unauthorized('Send Authorization: Bearer <OPERATOR_API_KEY>');
    },
  );
}

/** Forms under /r and /dev: a small urlencoded body and a database session. */
function formParsing(deps: AppDeps) {
  return [
    express.urlencoded({ extended: false, limit: '16kb' }),
    createSessionMiddleware({
      db: deps.db,
      secret: deps.config.appSecret,
      clock: deps.clock,
    }),
  ];
}

/** The simulator, the /dev console and the dev inbox: demo aids, never mounted in production. */
function mountDevTools(app: Express, deps: AppDeps): void {
  const simulator = deps.belvoSimulator;
  if (simulator) app.use('/sandbox/belvo', simulator.router);
  app.use(
    '/dev',
    ...formParsing(deps),
    csrfProtection({ secret: deps.config.appSecret, scope: () => 'dev', onRejected: (req, res) => sendCsrfProblem(req, res) }),
  );
  app.use(
    createDevConsoleRouter({
      webhookAuth: deps.config.belvo.webhookAuth,
      logger: deps.logger,
      ...(simulator ? { belvoSimulator: simulator, registeredWebhookAuth: () => simulator.registeredWebhookAuth() } : {}),
    }),
  );
  app.use(createDevInboxRouter({ db: deps.db }));
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  const stores = databaseRateLimitStores(deps.db, deps.clock);
  app.disable('x-powered-by');
  if (deps.config.trustProxy !== undefined) app.set('trust proxy', deps.config.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  observeRequests(app, deps);

  // Readiness is the database only: the intake records webhooks durably even while the worker restarts.
  app.use(createHealthRouter({ db: deps.db }));
  app.use(['/api', '/webhooks'], jsonAnswerHeaders);

  app.use(
    '/webhooks',
    createWebhookRouter({
      db: deps.db,
      clock: deps.clock,
      webhookAuth: deps.config.belvo.webhookAuth,
      onRecorded: deps.wakeWorker,
      limitUnauthenticated: webhookAuthFailureLimit(deps, stores),
    }),
  );
  const twilio = deps.config.twilio;
  if (twilio) {
    app.use(
      TWILIO_STATUS_PATH,
      createTwilioRouter({
        db: deps.db,
        clock: deps.clock,
        authToken: twilio.authToken,
        publicUrl: deps.config.publicUrl,
        channelPolicy: deps.config.channelPolicy,
        onQueued: deps.wakeWorker,
      }),
    );
  }
  // After the webhooks: a server-to-server JSON answer needs none of a browser's security headers,
  // and the intake is the hot path.
  app.use(securityHeaders({ formActions: [deps.config.belvo.widgetUrl, deps.config.myBelvoPortalUrl] }));
  app.use(
    '/api',
    operatorAuthentication(deps, stores),
    createOperatorRouter({ db: deps.db, clock: deps.clock, logger: deps.logger, channelPolicy: deps.config.channelPolicy, onQueued: deps.wakeWorker }),
    createStormRouter({ db: deps.db, clock: deps.clock, logger: deps.logger, onQueued: deps.wakeWorker }),
    createDeliveryRouter({ db: deps.db, clock: deps.clock, onQueued: deps.wakeWorker }),
  );
  app.use(['/api', '/webhooks'], (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such route' } });
  });
  app.use(['/api', '/webhooks'], jsonErrorHandler(deps.logger));

  app.locals[BRAND_LOCAL] = deps.config.brand;
  app.use(createBrandRouter(deps.config.brand.palette));
  app.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));
  app.use(
    '/admin',
    createConsoleRouter({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      adminPassword: deps.config.adminPassword,
      brandName: deps.config.brand.name,
      channelPolicy: deps.config.channelPolicy,
      secret: deps.config.appSecret,
      onQueued: deps.wakeWorker,
    }),
  );
  // The portal checks CSRF itself, so that its refusal speaks the case's language.
  app.use(
    '/r',
    ...formParsing(deps),
    createPortalRouter({
      db: deps.db,
      config: deps.config,
      clock: deps.clock,
      logger: deps.logger,
      belvo: deps.belvo,
      signer: deps.signer,
      rateLimitStore: stores,
      ...(deps.portalLimits ? { limits: deps.portalLimits } : {}),
    }),
  );
  if (!deps.config.production) mountDevTools(app, deps);

  app.use((req, res) => sendProblem(req, res, 'invalid'));
  app.use((err: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    requestLogger(deps.logger, req).error('request failed', { method: req.method, err });
    if (res.headersSent) return next(err);
    sendProblem(req, res, 'serverError').catch(next);
  });
  return app;
}
