// Sends console pages: the reader's language from their browser, the frame every page shares (header,
// navigation, sign-out, the flash left by the last action), never cached, never indexed.
import type { Request, Response } from 'express';
import { csrfTokenFor } from '../http/csrf.ts';
import { languageTag, resolveLocale, type Locale } from '../i18n/locale.ts';
import { consoleCopyFor, type ConsoleCopy, type ProblemCopy } from './console-copy.ts';
import { consoleFormat, type ConsoleFormat } from './console-format.ts';
import { takeFlash, type ConsoleFlash, type OperatorIdentity } from './console-session.ts';

export type ConsolePageName = 'sign-in' | 'cases' | 'case' | 'funnel' | 'storms' | 'problem';

/** res.locals key: how many banks the storm guard holds, read for the signed-in operator's pages (console-routes.ts). */
export const HELD_BANKS_LOCAL = 'heldBanks';

export interface ConsoleWords {
  locale: Locale;
  copy: ConsoleCopy;
  format: ConsoleFormat;
}

/** One set per language, built on first use: its Intl formats cost far more to build than to use. */
const wordsByLocale = new Map<Locale, Readonly<ConsoleWords>>();

export function consoleWords(req: Request): Readonly<ConsoleWords> {
  const locale = resolveLocale({ acceptLanguage: req.get('accept-language') });
  let words = wordsByLocale.get(locale);
  if (!words) {
    const copy = consoleCopyFor(locale);
    words = { locale, copy, format: consoleFormat(locale, copy) };
    wordsByLocale.set(locale, words);
  }
  return words;
}

interface NavItem {
  href: string;
  label: string;
  current: boolean;
}

export interface ConsoleFrame {
  page: ConsolePageName;
  lang: string;
  title: string;
  product: string;
  /** BRAND_NAME, beside the product's name. */
  brand: string | undefined;
  skipToContent: string;
  nav: { label: string; items: NavItem[] } | undefined;
  operator: { label: string; signOut: string; csrfToken: string } | undefined;
  flash: ConsoleFlash | undefined;
  /** While the storm guard holds messages: says so on every page, with the way to the storms page. */
  stormBanner: { text: string; link: string; href: string } | undefined;
}

export interface ConsolePage {
  template: string;
  status?: number;
  page: ConsolePageName;
  title: string;
  view: Record<string, unknown>;
}

function frameOf(req: Request, res: Response, page: ConsolePage, words: ConsoleWords): ConsoleFrame {
  const operator = res.locals['operator'] as OperatorIdentity | undefined;
  const { copy } = words;
  const section = page.page === 'funnel' || page.page === 'storms' ? page.page : 'cases';
  const heldBanks = operator ? ((res.locals[HELD_BANKS_LOCAL] as number | undefined) ?? 0) : 0;
  return {
    page: page.page,
    lang: languageTag(words.locale),
    title: page.title,
    product: copy.product,
    brand: res.locals['brandName'] as string | undefined,
    skipToContent: copy.skipToContent,
    nav: operator && {
      label: copy.nav.label,
      items: [
        { href: '/admin/cases', label: copy.nav.cases, current: section === 'cases' },
        { href: '/admin/funnel', label: copy.nav.funnel, current: section === 'funnel' },
        { href: '/admin/storms', label: copy.nav.storms, current: section === 'storms' },
      ],
    },
    operator: operator && { label: copy.nav.signedInAs(operator.id), signOut: copy.nav.signOut, csrfToken: csrfTokenFor(req) },
    flash: req.session ? takeFlash(req) : undefined,
    stormBanner: heldBanks > 0 ? { text: copy.storms.banner(heldBanks), link: copy.storms.bannerLink, href: '/admin/storms' } : undefined,
  };
}

export function sendConsolePage(req: Request, res: Response, page: ConsolePage, words = consoleWords(req)): Promise<void> {
  const frame = frameOf(req, res, page, words);
  return new Promise((resolve, reject) => {
    req.app.render(`console/${page.template}`, { frame, view: page.view }, (err: Error | null, html?: string) => {
      if (err) return reject(err);
      res.set('Cache-Control', 'no-store').set('Content-Language', frame.lang).vary('Accept-Language');
      res.status(page.status ?? 200).type('html').send(html);
      resolve();
    });
  });
}

export function sendConsoleProblem(req: Request, res: Response, status: number, pick: (copy: ConsoleCopy) => ProblemCopy): Promise<void> {
  const words = consoleWords(req);
  const problem = pick(words.copy);
  return sendConsolePage(
    req,
    res,
    { template: 'problem', status, page: 'problem', title: problem.title, view: { ...problem, back: words.copy.problems.backToCases } },
    words,
  );
}
