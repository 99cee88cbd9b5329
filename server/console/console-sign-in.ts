// Signing in to the console with ADMIN_PASSWORD, and the check in front of every other console page.
// The password is compared in constant time, failures are limited per address and overall
// (sign-in-limit.ts), and a successful sign-in starts a fresh session (console-session.ts). Another
// way to sign in (OIDC) would be another pair of routes ending in startOperatorSession.
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Clock } from '../clock.ts';
import { createAuthorizationCheck } from '../http/bearer-auth.ts';
import { csrfTokenFor } from '../http/csrf.ts';
import { requestLogger } from '../http/request-id.ts';
import type { Logger } from '../logger.ts';
import { consoleWords, sendConsolePage } from './console-render.ts';
import {
  CONSOLE_COOKIE_NAME,
  endOperatorSession,
  hadSession,
  signedInOperator,
  startOperatorSession,
} from './console-session.ts';
import type { SignInLimit } from './sign-in-limit.ts';

export const SIGN_IN_PATH = '/admin/sign-in';
const HOME_PATH = '/admin/cases';

type Notice = 'ended' | 'signed_out' | 'wrong_password';
const NOTICES: readonly string[] = ['ended', 'signed_out', 'wrong_password'] satisfies Notice[];

export interface SignInDeps {
  clock: Clock;
  logger: Logger;
  adminPassword: string;
  limit: SignInLimit;
}

/** Where to go after signing in: a console page of ours, never another site. */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  return /^\/admin(\/[\w\-/]*)?(\?[^\s#\\]*)?$/.test(value) && !value.includes('//') && !value.startsWith(SIGN_IN_PATH)
    ? value
    : undefined;
}

export function signInUrl(options: { next?: string | undefined; notice?: Notice | undefined } = {}): string {
  const params = new URLSearchParams();
  if (options.notice) params.set('notice', options.notice);
  if (options.next) params.set('next', options.next);
  const query = params.toString();
  return query ? `${SIGN_IN_PATH}?${query}` : SIGN_IN_PATH;
}

/** Every console page but sign-in: a signed-in operator, else a redirect to sign in and come back. */
export function requireOperator(clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const operator = signedInOperator(req, clock.now());
    if (operator) {
      res.locals['operator'] = operator;
      return next();
    }
    // A cookie whose session the store no longer has (idle expiry) comes back as a new, empty session;
    // a visitor who only opened the sign-in page has no session cookie (its CSRF token needs none).
    const ended = req.session?.operator !== undefined || hadSession(req);
    if (req.session?.operator) await endOperatorSession(req);
    res.redirect(303, signInUrl({ next: req.method === 'GET' ? safeNext(req.originalUrl) : undefined, notice: ended ? 'ended' : undefined }));
  };
}

async function sendSignIn(req: Request, res: Response, status: number, message: { role: 'alert' | 'status'; text: string } | undefined) {
  const words = consoleWords(req);
  const { signIn } = words.copy;
  await sendConsolePage(
    req,
    res,
    {
      template: 'sign-in',
      status,
      page: 'sign-in',
      title: signIn.title,
      view: {
        heading: signIn.heading,
        intro: signIn.intro,
        passwordLabel: signIn.password,
        submit: signIn.submit,
        action: SIGN_IN_PATH,
        csrfToken: csrfTokenFor(req),
        next: safeNext(req.body?.next ?? req.query['next']) ?? '',
        message,
      },
    },
    words,
  );
}

function noticeMessage(req: Request, notice: unknown) {
  if (typeof notice !== 'string' || !NOTICES.includes(notice)) return undefined;
  const { signIn } = consoleWords(req).copy;
  if (notice === 'wrong_password') return { role: 'alert' as const, text: signIn.wrongPassword };
  return { role: 'status' as const, text: notice === 'ended' ? signIn.sessionEnded : signIn.signedOut };
}

export function signInRoutes(deps: SignInDeps, csrf: RequestHandler): Router {
  const router = express.Router();
  const passwordMatches = createAuthorizationCheck(deps.adminPassword);

  router.get('/sign-in', csrf, async (req, res) => {
    if (signedInOperator(req, deps.clock.now())) return res.redirect(303, safeNext(req.query['next']) ?? HOME_PATH);
    await sendSignIn(req, res, 200, noticeMessage(req, req.query['notice']));
  });

  router.post('/sign-in', csrf, async (req, res) => {
    const address = ipKeyGenerator(req.ip ?? 'unknown');
    const next = safeNext(req.body?.next);
    const waitMs = await deps.limit.waitFor(address);
    if (waitMs > 0) {
      requestLogger(deps.logger, req).warn('console sign-in refused: too many failures', { address: req.ip });
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      const minutes = Math.ceil(waitMs / 60_000);
      return sendSignIn(req, res, 429, { role: 'alert', text: consoleWords(req).copy.signIn.tooMany(minutes) });
    }
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    if (!passwordMatches(password)) {
      await deps.limit.recordFailure(address);
      requestLogger(deps.logger, req).warn('console sign-in failed: wrong password', { address: req.ip });
      return res.redirect(303, signInUrl({ next, notice: 'wrong_password' }));
    }
    await startOperatorSession(req, { id: 'admin', method: 'password' }, deps.clock.now());
    requestLogger(deps.logger, req).info('operator signed in to the console', { operator: 'admin', address: req.ip });
    res.redirect(303, next ?? HOME_PATH);
  });

  return router;
}

/** Sign-out: behind requireOperator and the CSRF check, like every other console action. */
export function signOutRoute(logger: Logger): RequestHandler {
  return async (req, res) => {
    const operator = res.locals['operator'] as { id: string } | undefined;
    await endOperatorSession(req);
    res.clearCookie(CONSOLE_COOKIE_NAME, { path: '/admin' });
    requestLogger(logger, req).info('operator signed out of the console', { operator: operator?.id });
    res.redirect(303, signInUrl({ notice: 'signed_out' }));
  };
}
