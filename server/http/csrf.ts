// CSRF protection that stores nothing on our side until a form is actually sent (a "signed double
// submit"), so that a page view, a mail scanner's prefetch included, writes no row anywhere:
//
// - Each browser gets a random value in an HttpOnly cookie, set the first time a page carries a
//   form. Setting a cookie costs the server nothing.
// - The token put in the form (`_csrf`, or X-CSRF-Token from a script) is
//   HMAC-SHA256(key, scope ‖ value): the key comes from APP_SECRET, and the scope is what the form
//   belongs to (under /r, the page's signed link, so a token never works for another case's page).
// - A state-changing request passes only when its token is the HMAC of the cookie it carries,
//   compared in constant time.
//
// Why that is enough: another site can make the browser send the cookie, but cannot read it
// (HttpOnly; our pages are not readable cross-origin) and cannot compute the HMAC without the key.
// A value planted in the cookie by someone else (from a sibling subdomain, say) is useless without
// its HMAC, which only our own pages hand out, each for its own scope; a scope that is secret (a
// link token, a session id) rules that out altogether. SameSite=Lax keeps the cookie off cross-site
// POSTs in the first place: a second line that costs nothing.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

export const CSRF_COOKIE_NAME = 'relink.csrf';
/** As long as a session: a page left open longer than a day asks to be opened again. */
const COOKIE_MAX_AGE_MS = 24 * 3_600_000;
const VALUE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_FIELD = '_csrf';
const HEADER = 'x-csrf-token';

export interface CsrfOptions {
  /** APP_SECRET; the HMAC key is derived from it. */
  secret: string;
  /** What a token is bound to besides the browser; the same for every request when absent. */
  scope?: (req: Request) => string;
  /** How a refusal is answered; by default a plain 403. */
  onRejected?: (req: Request, res: Response) => void | Promise<void>;
}

/** The token for the request's page, made by the csrfProtection in front of it. */
const issuers = new WeakMap<Request, () => string>();

/** The token a form on this page carries; sets the browser's cookie on first use. */
export function csrfTokenFor(req: Request): string {
  const issue = issuers.get(req);
  if (!issue) throw new Error('csrfTokenFor needs csrfProtection mounted in front of the route');
  return issue();
}

/** The one cookie we need, read without a cookie parser. */
function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      const found = value.join('=');
      return VALUE_SHAPE.test(found) ? found : undefined;
    }
  }
  return undefined;
}

function submittedToken(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return req.get(HEADER) ?? body?.[FORM_FIELD];
}

function sameToken(expected: Buffer, given: unknown): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const buffer = Buffer.from(given, 'base64url');
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

export function csrfProtection(options: CsrfOptions): RequestHandler {
  const key = Buffer.from(hkdfSync('sha256', options.secret, Buffer.alloc(0), 'relink csrf v1', 32));
  const scopeOf = options.scope ?? (() => '');
  const sign = (value: string, scope: string) => createHmac('sha256', key).update(`${scope}\n${value}`).digest();
  const reject =
    options.onRejected ??
    ((_req: Request, res: Response) => {
      res.status(403).type('text').send('This form has expired or did not come from this site. Open the page again.');
    });

  return (req, res, next) => {
    let value = cookieValue(req, CSRF_COOKIE_NAME);
    const issue = () => {
      if (!value) {
        value = randomBytes(32).toString('base64url');
        res.cookie(CSRF_COOKIE_NAME, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: COOKIE_MAX_AGE_MS });
      }
      return sign(value, scopeOf(req)).toString('base64url');
    };
    issuers.set(req, issue);
    // For templates rendered with res.render; read only by a page that has a form.
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: issue });
    if (SAFE_METHODS.has(req.method)) return next();
    if (value && sameToken(sign(value, scopeOf(req)), submittedToken(req))) return next();
    Promise.resolve(reject(req, res)).catch(next);
  };
}
