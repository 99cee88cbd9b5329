// The end-user pages under /r/:token. A GET only reads (mail scanners open links before people
// do); every change is a POST carrying the session's CSRF token. Mounted after the session and body
// parser, so req.session and req.body exist here. The router checks CSRF itself, after its per-IP
// limit, so that a refusal looks up the case (rate-limited like any other) and speaks its language.
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { Knex } from 'knex';
import type { BelvoClient } from '../belvo/belvo-types.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { csrfProtection, csrfTokenFor, sendCsrfProblem } from '../http/csrf.ts';
import { createCaseRateLimit, createIpRateLimit, CASE_LIMIT_DEFAULTS, IP_LIMIT_DEFAULTS } from '../http/rate-limit.ts';
import type { RateLimitStoreFactory } from '../http/rate-limit-store.ts';
import type { LinkSigner } from './signed-link.ts';
import { canAct, casePage, findPortalCase, markOpened, offersNewLink, refusalPage, type PortalCase } from './portal-context.ts';
import { requestNewLink } from './portal-new-link.ts';
import { sendPage, sendProblem, setPortalHeaders, type ProblemOptions } from './portal-render.ts';
import { submitStep } from './portal-submit.ts';
import {
  offersForm,
  offersWidget,
  startWidget,
  widgetReturned,
  widgetReturnOf,
  widgetSucceeded,
  withRemediationPaths,
  withWidgetMessage,
} from './portal-widget.ts';
import type { PortalStep } from './outcome.ts';

interface Limit {
  limit: number;
  windowMs: number;
}

export interface PortalLimits {
  /** Every /r/ request, per client address. */
  perIp: Limit;
  /** Password and token submissions, per case. */
  perCaseSubmissions: Limit;
  /** "Send me a new link", per case: each one is a real e-mail or SMS. */
  perCaseNewLinks: Limit;
}

export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  perIp: { ...IP_LIMIT_DEFAULTS },
  perCaseSubmissions: { ...CASE_LIMIT_DEFAULTS },
  perCaseNewLinks: { limit: 3, windowMs: 60 * 60_000 },
};

export interface PortalDeps {
  db: Knex;
  config: Config;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
  signer: LinkSigner;
  rateLimitStore: RateLimitStoreFactory;
  limits?: Partial<PortalLimits>;
  /** How long one submission holds its case; must outlast the Belvo client's timeout. */
  submitLockMs?: number;
}

const DEFAULT_SUBMIT_LOCK_MS = 60_000;

/** The link token: a route parameter, or the first path segment in middleware that runs before routing. */
function tokenOf(req: Request): string {
  return String(req.params['token'] ?? /^\/([^/]+)/.exec(req.path)?.[1] ?? '');
}

export function createPortalRouter(deps: PortalDeps): Router {
  const limits = { ...DEFAULT_PORTAL_LIMITS, ...deps.limits };
  const router = express.Router();
  const lookup = (req: Request) => findPortalCase(deps, tokenOf(req), deps.clock.now(), req.get('accept-language'));

  /** A refusal page speaks the case's language and names its bank; without a case, the browser's language decides. */
  async function caseWords(req: Request): Promise<ProblemOptions> {
    const found = await lookup(req);
    return found ? { locale: found.locale, institution: found.institution } : {};
  }
  async function tooManyRequests(req: Request, res: Response): Promise<void> {
    await sendProblem(req, res, 'tooManyRequests', await caseWords(req));
  }
  const caseIdOf = (req: Request) => {
    const check = deps.signer.verify(tokenOf(req), deps.clock.now());
    return check.valid ? check.caseId : undefined;
  };
  const common = { logger: deps.logger, onLimited: tooManyRequests, caseIdOf };
  const submissionLimit = createCaseRateLimit({ ...common, ...limits.perCaseSubmissions, store: deps.rateLimitStore('portal-case') });
  const newLinkLimit = createCaseRateLimit({ ...common, ...limits.perCaseNewLinks, store: deps.rateLimitStore('portal-new-link') });

  router.use((_req, res, next) => {
    setPortalHeaders(res);
    next();
  });
  router.use(createIpRateLimit({ ...common, ...limits.perIp, store: deps.rateLimitStore('portal-ip') }));
  router.use(csrfProtection({ onRejected: async (req, res) => sendCsrfProblem(req, res, await caseWords(req)) }));

  /** Runs `handle` for a case the person may still act on; answers every other case with its refusal page. */
  const forActionableCase =
    (handle: (req: Request, res: Response, found: PortalCase) => Promise<void>) => async (req: Request, res: Response) => {
      const found = await lookup(req);
      if (!found) return sendProblem(req, res, 'invalid');
      const refusal = refusalPage(found, () => csrfTokenFor(req));
      if (refusal) return sendPage(req, res, refusal);
      return handle(req, res, found);
    };

  router.get(
    '/:token',
    forActionableCase(async (req, res, found) => {
      const csrfToken = csrfTokenFor(req);
      const page = await casePage(found, {
        csrfToken,
        now: deps.clock.now(),
        restart: req.query['step'] === 'password',
        consentRenewUrl: deps.config.myBelvoPortalUrl,
        offersWidget: offersWidget(deps.config),
      });
      const returned = widgetReturnOf(req.query);
      const offered = withRemediationPaths(page, found, deps.config, csrfToken);
      await sendPage(req, res, returned ? withWidgetMessage(offered, found, returned) : offered);
    }),
  );

  const submitDeps = { ...deps, submitLockMs: deps.submitLockMs ?? DEFAULT_SUBMIT_LOCK_MS };
  const submit = (step: PortalStep) =>
    forActionableCase(async (req, res, found) => {
      // A form that does not fit the case (a stale tab, a hand-made request) goes back to the case's page.
      const expected = step === 'mfa' ? found.caseRecord.details.mfa !== undefined : found.caseRecord.kind !== 'consent';
      // So is our own form when the operator offers only the widget.
      if (!expected || !offersForm(deps.config)) return res.redirect(303, `/r/${found.token}`);
      const csrfToken = csrfTokenFor(req);
      const page = await submitStep(submitDeps, found, step, req.body, csrfToken);
      await sendPage(req, res, withRemediationPaths(page, found, deps.config, csrfToken));
    });
  router.post('/:token/password', submissionLimit, submit('password'));
  router.post('/:token/token', submissionLimit, submit('mfa'));

  // Belvo's Connect widget: see portal-widget.ts for why its callbacks are GETs and when they act.
  router.post('/:token/widget', submissionLimit, forActionableCase((req, res, found) => startWidget(deps, req, res, found)));
  router.get(
    '/:token/widget/:nonce/success',
    forActionableCase(async (req, res, found) => {
      const page = await widgetSucceeded(deps, req, res, found);
      if (page) await sendPage(req, res, page);
    }),
  );
  router.get('/:token/widget/:nonce/exit', forActionableCase((req, res, found) => widgetReturned(deps, req, res, found, 'exit')));
  router.get('/:token/widget/:nonce/event', forActionableCase((req, res, found) => widgetReturned(deps, req, res, found, 'event')));

  router.post('/:token/new-link', newLinkLimit, async (req, res) => {
    const found = await lookup(req);
    if (!found) return sendProblem(req, res, 'invalid');
    if (!found.linkExpired) return res.redirect(303, `/r/${found.token}`);
    if (!offersNewLink(found)) return sendPage(req, res, refusalPage(found, () => csrfTokenFor(req))!);
    await sendPage(req, res, await requestNewLink(deps.db, deps.config.channelPolicy, found, deps.clock.now()));
  });

  // Sent by portal.js when a page is shown, so that "opened" is recorded without a GET changing anything.
  router.post('/:token/seen', async (req, res) => {
    const found = await lookup(req);
    if (!found) return void res.status(404).end();
    if (!canAct(found)) return void res.status(410).end();
    await markOpened(deps.db, found.caseRecord, deps.clock.now(), 'page');
    res.status(204).end();
  });

  router.use((req: Request, res: Response) => sendProblem(req, res, 'invalid'));

  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    // Never the URL (it holds the link token) nor the body (it may hold a password).
    deps.logger.error('portal request failed', { method: req.method, route: req.route?.path ?? null, err });
    if (res.headersSent) return next(err);
    sendProblem(req, res, 'serverError').catch(next);
  });

  return router;
}
