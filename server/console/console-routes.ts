// The operator console under /admin: its own session, sign-in, and the pages cases, case, funnel and
// storms; while the storm guard holds anything, every page says so (HELD_BANKS_LOCAL).
// Every POST is checked against the session's CSRF token and answered 303 (Post/Redirect/Get); the
// case actions call the same services as the operator API (server/case-actions/).
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { consoleActor } from '../case-actions/case-actor.ts';
import { closeCase } from '../case-actions/close-case.ts';
import { recordContactShown } from '../case-actions/reveal-contact.ts';
import { resendCase } from '../case-actions/resend-case.ts';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { CHANNEL_NAMES } from '../channels/channel.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { csrfProtection } from '../http/csrf.ts';
import { requestLogger } from '../http/request-id.ts';
import type { Logger } from '../logger.ts';
import { casePage, casePath } from './case-page.ts';
import { casesPage } from './cases-page.ts';
import type { RefusalKey } from './console-copy.ts';
import { consoleWords, HELD_BANKS_LOCAL, sendConsolePage, sendConsoleProblem } from './console-render.ts';
import { createConsoleSession, revealContact, setFlash, type OperatorIdentity } from './console-session.ts';
import { requireOperator, signInRoutes, signOutRoute } from './console-sign-in.ts';
import { funnelPage } from './funnel-page.ts';
import { STORMS_PATH, stormsPage } from './storms-page.ts';
import { listHolding } from '../storm/storm-repository.ts';
import { releaseInstitution } from '../storm/storm-release.ts';
import { institutionParam } from '../storm/storm-routes.ts';
import { createSignInLimit, type SignInLimits } from './sign-in-limit.ts';

export interface ConsoleDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  adminPassword: string;
  /** BRAND_NAME: the console names whose users it serves. */
  brandName: string;
  channelPolicy: ChannelPolicy;
  /** Signs the console's session cookie. */
  secret: string;
  /** Tells the worker in this process that a message was queued. */
  onQueued?: () => void;
  signInLimits?: SignInLimits;
}

const caseIdParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const resendForm = z.object({ confirm: z.literal('yes').optional(), channel: z.enum(CHANNEL_NAMES).optional() });
const closeForm = z.object({
  confirm: z.literal('yes').optional(),
  reason: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(500).optional()),
});

const operatorOf = (res: Response) => res.locals['operator'] as OperatorIdentity;
const REFUSALS: readonly string[] = ['case_ended', 'no_contact', 'unknown_user', 'channel_unavailable'] satisfies RefusalKey[];

function notFoundPage(req: Request, res: Response) {
  return sendConsoleProblem(req, res, 404, (copy) => copy.problems.notFound);
}

/**
 * The form of an action that asks first: undefined once it has been answered, back to `page` with an
 * alert when it cannot be read, or to the confirmation (`?confirm=<what>`) when not yet confirmed.
 */
async function confirmedForm<T extends z.ZodType<{ confirm?: 'yes' | undefined }>>(
  req: Request,
  res: Response,
  form: T,
  page: string,
  what: string,
): Promise<z.infer<T> | undefined> {
  const body = form.safeParse(req.body ?? {});
  if (!body.success) {
    await setFlash(req, { role: 'alert', text: consoleWords(req).copy.case.invalidForm });
    res.redirect(303, page);
    return undefined;
  }
  if (body.data.confirm === 'yes') return body.data;
  res.redirect(303, `${page}?confirm=${encodeURIComponent(what)}#confirm`);
  return undefined;
}

/**
 * A case action from a form: unconfirmed, it goes to the confirmation; confirmed, it runs, and the
 * case page says how it went. An unknown case is a 404 page; a refused action a message on the case.
 */
function caseAction<T extends z.ZodType<{ confirm?: 'yes' | undefined }>>(
  name: 'resend' | 'close',
  form: T,
  run: (caseId: number, body: z.infer<T>, req: Request, res: Response) => Promise<string>,
) {
  return async (req: Request, res: Response) => {
    const caseId = caseIdParam.safeParse(req.params['id']);
    if (!caseId.success) return notFoundPage(req, res);
    const { copy } = consoleWords(req);
    const body = await confirmedForm(req, res, form, casePath(caseId.data), name);
    if (!body) return;
    try {
      await setFlash(req, { role: 'status', text: await run(caseId.data, body, req, res) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 404) return notFoundPage(req, res);
      await setFlash(req, { role: 'alert', text: REFUSALS.includes(err.code) ? copy.case.refusals[err.code as RefusalKey] : err.message });
    }
    res.redirect(303, casePath(caseId.data));
  };
}

const releaseForm = z.object({ confirm: z.literal('yes').optional() });

function stormRoutes(deps: ConsoleDeps, router: Router): void {
  router.get('/storms', async (req, res) => {
    const words = consoleWords(req);
    await sendConsolePage(req, res, await stormsPage(deps.db, req, words), words);
  });

  // Unconfirmed, to the confirmation; confirmed, the release, and the storms page says how it went.
  router.post('/storms/:institution/release', async (req, res) => {
    const institution = institutionParam.safeParse(req.params['institution']);
    if (!institution.success) return notFoundPage(req, res);
    if (!(await confirmedForm(req, res, releaseForm, STORMS_PATH, institution.data))) return;
    const { copy } = consoleWords(req);
    const actor = consoleActor(operatorOf(res).id);
    const release = await releaseInstitution(deps, institution.data, actor, deps.clock.now());
    if (release) deps.onQueued?.();
    await setFlash(
      req,
      release
        ? { role: 'status', text: copy.storms.released(institution.data, release.messages) }
        : { role: 'alert', text: copy.storms.notHeld(institution.data) },
    );
    res.redirect(303, STORMS_PATH);
  });
}

function caseRoutes(deps: ConsoleDeps, router: Router): void {
  router.get('/cases/:id', async (req, res) => {
    const caseId = caseIdParam.safeParse(req.params['id']);
    const words = consoleWords(req);
    const page = caseId.success
      ? await casePage({ db: deps.db, now: deps.clock.now(), channelPolicy: deps.channelPolicy }, caseId.data, req, words)
      : undefined;
    if (!page) return notFoundPage(req, res);
    await sendConsolePage(req, res, page, words);
  });

  router.post(
    '/cases/:id/resend',
    caseAction('resend', resendForm, async (caseId, body, req, res) => {
      const actor = consoleActor(operatorOf(res).id);
      const result = await resendCase(deps, caseId, { actor, channel: body.channel }, deps.clock.now());
      deps.onQueued?.();
      const { copy } = consoleWords(req);
      return copy.case.resent(copy.channels[result.channel] ?? result.channel);
    }),
  );

  router.post(
    '/cases/:id/close',
    caseAction('close', closeForm, async (caseId, body, req, res) => {
      const actor = consoleActor(operatorOf(res).id);
      const { changed } = await closeCase(deps.db, caseId, { actor, reason: body.reason }, deps.clock.now());
      const { copy } = consoleWords(req);
      return changed ? copy.case.closedNow : copy.case.alreadyClosed;
    }),
  );

  router.post('/cases/:id/contact', async (req, res) => {
    const caseId = caseIdParam.safeParse(req.params['id']);
    if (!caseId.success) return notFoundPage(req, res);
    const now = deps.clock.now();
    try {
      await recordContactShown(deps.db, caseId.data, consoleActor(operatorOf(res).id), now);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return notFoundPage(req, res);
      throw err;
    }
    revealContact(req, caseId.data, now);
    await setFlash(req, { role: 'status', text: consoleWords(req).copy.case.revealed });
    res.redirect(303, `${casePath(caseId.data)}#person`);
  });
}

export function createConsoleRouter(deps: ConsoleDeps): Router {
  const router = express.Router();
  const csrf = csrfProtection({
    secret: deps.secret,
    scope: () => 'console',
    onRejected: (req, res) => sendConsoleProblem(req, res, 403, (copy) => copy.problems.csrf),
  });
  const limit = createSignInLimit({ db: deps.db, clock: deps.clock, ...(deps.signInLimits ? { limits: deps.signInLimits } : {}) });

  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use(createConsoleSession({ db: deps.db, secret: deps.secret, clock: deps.clock }));
  router.use((_req, res, next) => {
    res.set('X-Robots-Tag', 'noindex, nofollow');
    res.locals['brandName'] = deps.brandName;
    next();
  });
  router.use(signInRoutes({ clock: deps.clock, logger: deps.logger, adminPassword: deps.adminPassword, limit }, csrf));

  router.use(requireOperator(deps.clock));
  router.use(csrf);
  // One small read per page (the `storms` rows held now) for the banner every page shows.
  router.use(async (_req, res, next) => {
    res.locals[HELD_BANKS_LOCAL] = (await listHolding(deps.db)).length;
    next();
  });
  router.post('/sign-out', signOutRoute(deps.logger));
  // The console's first page is the case list; its filters travel along.
  router.get('/', (req, res) => {
    const query = new URLSearchParams(req.query as Record<string, string>).toString();
    res.redirect(303, query ? `/admin/cases?${query}` : '/admin/cases');
  });
  router.get('/cases', async (req, res) => {
    const words = consoleWords(req);
    await sendConsolePage(req, res, await casesPage({ db: deps.db, now: deps.clock.now() }, req, words), words);
  });
  caseRoutes(deps, router);
  stormRoutes(deps, router);
  router.get('/funnel', async (req, res) => {
    const words = consoleWords(req);
    await sendConsolePage(req, res, await funnelPage({ db: deps.db, now: deps.clock.now() }, req, words), words);
  });

  router.use((req: Request, res: Response) => notFoundPage(req, res));
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    requestLogger(deps.logger, req).error('console request failed', { method: req.method, route: req.route?.path ?? null, err });
    if (res.headersSent) return next(err);
    sendConsoleProblem(req, res, 500, (copy) => copy.problems.serverError).catch(next);
  });
  return router;
}
