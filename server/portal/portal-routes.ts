// The end-user pages under /r/:token. A GET only reads (mail scanners open links before people
// do) and writes nothing at all when it carries no cookie: no session, no rate-limit counter. Every
// change is a form POST that carries a CSRF token and answers 303 to the GET that shows its result
// (Post/Redirect/Get), so a reload or the back button never sends anything twice; the result waits
// in the server-side session, which is born with the first POST. The router checks CSRF itself,
// after its per-IP limit, so that a refusal looks up the case and speaks its language.
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { AugmentedRequest } from 'express-rate-limit';
import type { Knex } from 'knex';
import type { BelvoClient } from '../belvo/belvo-types.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { csrfProtection, csrfTokenFor } from '../http/csrf.ts';
import { forRequest, requestLogger } from '../http/request-id.ts';
import { createCaseRateLimit, createIpRateLimit, CASE_LIMIT_DEFAULTS, IP_LIMIT_DEFAULTS } from '../http/rate-limit.ts';
import type { RateLimitStoreFactory } from '../http/rate-limit-store.ts';
import { userTimeZone } from '../reminders/reminder-schedule.ts';
import type { LinkSigner } from '../cases/signed-link.ts';
import { startRenewal } from './consent-renewal.ts';
import { canAct, findPortalCase, markOpened, offersNewLink, type PortalCase } from './portal-context.ts';
import { requestNewLink } from './portal-new-link.ts';
import { sendCsrfProblem, sendPage, sendProblem, setPortalHeaders, type ProblemOptions } from './portal-render.ts';
import { currentResult, rememberResult, type PortalStep } from './portal-result.ts';
import { submitStep } from './portal-submit.ts';
import { viewCase } from './portal-view.ts';
import { offersForm, recordInAppReconnection, startWidget, widgetReturned, widgetSucceeded } from './portal-widget.ts';

interface Limit {
  limit: number;
  windowMs: number;
}

export interface PortalLimits {
  /** Every /r/ request, per client address, but for page views of a genuine link. */
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
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The link token: a route parameter, or the first path segment in middleware that runs before routing. */
function tokenOf(req: Request): string {
  return String(req.params['token'] ?? /^\/([^/]+)/.exec(req.path)?.[1] ?? '');
}

export function createPortalRouter(deps: PortalDeps): Router {
  const limits = { ...DEFAULT_PORTAL_LIMITS, ...deps.limits };
  const router = express.Router();
  const lookup = (req: Request) => findPortalCase(deps, tokenOf(req), deps.clock.now(), req.get('accept-language'));
  const caseUrl = (found: PortalCase) => `/r/${found.token}`;

  /** A refusal page speaks the case's language and names its bank; without a case, the browser's language decides. */
  async function caseWords(req: Request): Promise<ProblemOptions> {
    const found = await lookup(req);
    return found ? { locale: found.locale, institution: found.institution } : {};
  }

  /**
   * Over a limit. A form POST on a case gets the page that says when to try again (through the
   * session, like any result); anything else gets that page at once, with the same words.
   */
  async function tooManyRequests(req: Request, res: Response): Promise<void> {
    const found = await lookup(req);
    const retryAt = (req as AugmentedRequest)['rateLimit']?.resetTime?.getTime();
    if (found && req.method === 'POST' && retryAt !== undefined) {
      await rememberResult(req, found.caseRecord.id, { kind: 'notice', state: 'error', notice: 'tooManyRequests', retryAt }, deps.clock.now());
      return res.redirect(303, caseUrl(found));
    }
    const retry =
      found && retryAt !== undefined
        ? { token: found.token, at: retryAt, now: deps.clock.now(), timeZone: userTimeZone(found.user?.timeZone, found.caseRecord.institution) }
        : undefined;
    await sendProblem(req, res, 'tooManyRequests', { ...(found ? { locale: found.locale, institution: found.institution } : {}), ...(retry ? { retry } : {}) });
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
  // A page view of a genuinely signed link is not counted: guessing links is what this limit is
  // for, and a count would be a write for every visit, a mail scanner's included.
  router.use(
    createIpRateLimit({
      ...common,
      ...limits.perIp,
      store: deps.rateLimitStore('portal-ip'),
      skip: (req) => SAFE_METHODS.has(req.method) && caseIdOf(req) !== undefined,
    }),
  );
  router.use(
    csrfProtection({
      secret: deps.config.appSecret,
      // A token is good for the page of one link only.
      scope: tokenOf,
      onRejected: async (req, res) => sendCsrfProblem(req, res, await caseWords(req)),
    }),
  );

  router.get('/:token', async (req, res) => {
    const found = await lookup(req);
    if (!found) return sendProblem(req, res, 'invalid');
    const now = deps.clock.now();
    const page = await viewCase({
      found,
      result: currentResult(req, found.caseRecord, now),
      now,
      restart: req.query['step'] === 'password',
      config: deps.config,
      csrfToken: () => csrfTokenFor(req),
    });
    await sendPage(req, res, page);
  });

  /** Runs `handle` for a case the person may still act on; any other POST goes back to the page that says why. */
  const forActionableCase =
    (handle: (req: Request, res: Response, found: PortalCase) => Promise<void>) => async (req: Request, res: Response) => {
      const found = await lookup(req);
      if (!found) return sendProblem(req, res, 'invalid');
      if (!canAct(found)) return res.redirect(303, caseUrl(found));
      return handle(req, res, found);
    };

  const submitDeps = { ...deps, submitLockMs: deps.submitLockMs ?? DEFAULT_SUBMIT_LOCK_MS, stormGuard: deps.config.stormGuard };
  const submit = (step: PortalStep) =>
    forActionableCase(async (req, res, found) => {
      // A form that does not fit the case (a stale tab, a hand-made request), or our own form when
      // the operator offers only the widget, goes back to the case's page.
      const expected = step === 'mfa' ? found.caseRecord.details.mfa !== undefined : found.caseRecord.kind !== 'consent';
      if (expected && offersForm(deps.config)) {
        const result = await submitStep(forRequest(submitDeps, req), found, step, req.body);
        if (result) await rememberResult(req, found.caseRecord.id, result, deps.clock.now());
      }
      res.redirect(303, caseUrl(found));
    });
  router.post('/:token/password', submissionLimit, submit('password'));
  router.post('/:token/token', submissionLimit, submit('mfa'));

  // Belvo's Connect widget: see portal-widget.ts for why its callbacks are GETs and when they act.
  router.post('/:token/widget', submissionLimit, forActionableCase((req, res, found) => startWidget(forRequest(deps, req), req, res, found)));
  router.get('/:token/widget/:nonce/success', forActionableCase((req, res, found) => widgetSucceeded(forRequest(deps, req), req, res, found)));
  router.get('/:token/widget/:nonce/exit', forActionableCase((req, res, found) => widgetReturned(forRequest(deps, req), req, res, found, 'exit')));
  router.get('/:token/widget/:nonce/event', forActionableCase((req, res, found) => widgetReturned(forRequest(deps, req), req, res, found, 'event')));

  // My Belvo Portal, straight to this consent: see consent-renewal.ts.
  const renewalDeps = { ...deps, myBelvoPortalUrl: deps.config.myBelvoPortalUrl };
  router.post('/:token/renew', submissionLimit, forActionableCase((req, res, found) => startRenewal(forRequest(renewalDeps, req), req, res, found)));

  router.post('/:token/new-link', newLinkLimit, async (req, res) => {
    const found = await lookup(req);
    if (!found) return sendProblem(req, res, 'invalid');
    if (found.linkExpired && offersNewLink(found)) {
      const now = deps.clock.now();
      const outcome = await requestNewLink(deps.db, deps.config.channelPolicy, found, now);
      await rememberResult(req, found.caseRecord.id, { kind: 'newLink', outcome }, now);
    }
    res.redirect(303, caseUrl(found));
  });

  // Sent by portal.js when a page is shown, so that "opened" is recorded without a GET changing anything.
  router.post('/:token/seen', async (req, res) => {
    const found = await lookup(req);
    if (!found) return void res.status(404).end();
    if (!canAct(found)) return void res.status(410).end();
    const now = deps.clock.now();
    await markOpened(deps.db, found.caseRecord, now, 'page');
    await recordInAppReconnection(forRequest(deps, req), found, now);
    res.status(204).end();
  });

  router.use((req: Request, res: Response) => sendProblem(req, res, 'invalid'));

  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    // Never the URL (it holds the link token) nor the body (it may hold a password).
    requestLogger(deps.logger, req).error('portal request failed', { method: req.method, route: req.route?.path ?? null, err });
    if (res.headersSent) return next(err);
    sendProblem(req, res, 'serverError').catch(next);
  });

  return router;
}
