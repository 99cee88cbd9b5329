// Synchronizer-token CSRF protection: one random token per session, put in every form as `_csrf`
// (or sent by script as X-CSRF-Token) and compared in constant time on every state-changing
// request. Needs the session middleware and a urlencoded body parser mounted before it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { sendProblem, type ProblemOptions } from '../portal/portal-render.ts';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_FIELD = '_csrf';
const HEADER = 'x-csrf-token';

/** The session's token, created on first use (which is what makes express-session store the session). */
export function csrfTokenFor(req: Request): string {
  if (!req.session) throw new Error('csrfProtection needs the session middleware mounted before it');
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Hashing first gives equal-length inputs, so the comparison leaks neither content nor length. */
function sameToken(expected: string | undefined, given: unknown): boolean {
  if (typeof expected !== 'string' || typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

function submittedToken(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return req.get(HEADER) ?? body?.[FORM_FIELD];
}

/** A refused form under /r/<token>/… links back to its page, where a fresh token is issued. */
function portalRetryUrl(req: Request): string | undefined {
  const match = /^\/r\/([A-Za-z0-9_-]{10,64})(?:[/?]|$)/.exec(req.originalUrl);
  return match ? `/r/${match[1]}` : undefined;
}

/** The 403 page, in the language given or else the browser's; under /r/<token> it links back to that page. */
export function sendCsrfProblem(
  req: Request,
  res: Response,
  options: Pick<ProblemOptions, 'locale' | 'institution'> = {},
): Promise<void> {
  const retryUrl = portalRetryUrl(req);
  return sendProblem(req, res, 'csrf', { ...options, ...(retryUrl ? { retryUrl } : {}) });
}

export interface CsrfOptions {
  /** How a refusal is answered; by default sendCsrfProblem in the browser's language. */
  onRejected?: (req: Request, res: Response) => void | Promise<void>;
}

export function csrfProtection(options: CsrfOptions = {}): RequestHandler {
  const reject = options.onRejected ?? ((req: Request, res: Response) => sendCsrfProblem(req, res));

  return (req, res, next) => {
    // Created only when something reads it, so answers with no form on them start no session.
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: () => csrfTokenFor(req) });
    if (SAFE_METHODS.has(req.method)) return next();
    if (!req.session) return next(new Error('csrfProtection needs the session middleware mounted before it'));
    if (sameToken(req.session.csrfToken, submittedToken(req))) return next();
    Promise.resolve(reject(req, res)).catch(next);
  };
}
