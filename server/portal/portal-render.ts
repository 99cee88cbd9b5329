// Sends portal pages. Every /r/ answer is private to one person: never cached, never leaked
// through a Referer to the logo's host or My Belvo Portal.
import type { Request, Response } from 'express';
import type { Brand } from '../brand/brand.ts';
import { resolveLocale, type Locale } from '../i18n/locale.ts';
import { noticePage, type NoticeOptions, type Page } from './page-model.ts';

export function setPortalHeaders(res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
}

/**
 * Renders with the page's own data only (app.render, not res.render): res.locals is left out, so
 * a page without a form never reads res.locals.csrfToken and so never sets the CSRF cookie.
 */
export function sendPage(req: Request, res: Response, page: Page): Promise<void> {
  return new Promise((resolve, reject) => {
    req.app.render(page.template, { page: page.frame, view: page.view }, (err: Error | null, html?: string) => {
      if (err) return reject(err);
      setPortalHeaders(res);
      res.status(page.status).type('html').send(html);
      resolve();
    });
  });
}

export type Problem = 'invalid' | 'csrf' | 'tooManyRequests' | 'serverError';

const PROBLEMS: Record<Problem, { state: 'invalid' | 'error'; status: number }> = {
  invalid: { state: 'invalid', status: 404 },
  csrf: { state: 'error', status: 403 },
  tooManyRequests: { state: 'error', status: 429 },
  serverError: { state: 'error', status: 500 },
};

export interface ProblemOptions {
  locale?: Locale;
  institution?: string | null;
  retryUrl?: string;
  /** When trying again makes sense, for the page of this link token. */
  retry?: NonNullable<NoticeOptions['retry']> & { token: string };
}

/** The operator's brand, which createApp keeps in app.locals for the pages it answers before any case is known. */
export const BRAND_LOCAL = 'brand';

export function brandOf(req: Request): Brand {
  return req.app.locals[BRAND_LOCAL] as Brand;
}

/** The page for a request we refuse before knowing whose case it is: the browser's language decides. */
export function problemPage(req: Request, problem: Problem, options: ProblemOptions = {}): Page {
  const locale = options.locale ?? resolveLocale({ acceptLanguage: req.get('accept-language') });
  const { state, status } = PROBLEMS[problem];
  const { retry } = options;
  return noticePage(
    { brand: brandOf(req), locale, institution: options.institution ?? null, ...(retry ? { token: retry.token } : {}) },
    {
      state,
      notice: problem,
      status,
      ...(options.retryUrl ? { link: { kind: 'openAgain' as const, href: options.retryUrl } } : {}),
      ...(retry ? { retry: { at: retry.at, now: retry.now, timeZone: retry.timeZone } } : {}),
    },
  );
}

export function sendProblem(req: Request, res: Response, problem: Problem, options: ProblemOptions = {}): Promise<void> {
  return sendPage(req, res, problemPage(req, problem, options));
}

/** A refused form under /r/<token>/… links back to its page, where a fresh token is issued. */
function portalRetryUrl(req: Request): string | undefined {
  const match = /^\/r\/([A-Za-z0-9_-]{10,64})(?:[/?]|$)/.exec(req.originalUrl);
  return match ? `/r/${match[1]}` : undefined;
}

/** The 403 for a form without a valid CSRF token, in the language given or else the browser's. */
export function sendCsrfProblem(req: Request, res: Response, options: Pick<ProblemOptions, 'locale' | 'institution'> = {}): Promise<void> {
  const retryUrl = portalRetryUrl(req);
  return sendProblem(req, res, 'csrf', { ...options, ...(retryUrl ? { retryUrl } : {}) });
}
