// The words of every portal page, in every language, for a named bank and for one whose name we do
// not know: whole sentences a person can read, never a fallback dropped into a sentence meant for a
// proper name ("Your your bank password", "site de seu banco").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { LOCALES, type Locale } from '../../server/i18n/locale.ts';
import { consentPage } from '../../server/portal/consent-page.ts';
import { mfaPage, noticePage, passwordPage, type Page, type PageContext } from '../../server/portal/page-model.ts';
import { ALERT_KEYS, NOTICE_KEYS, copyFor } from '../../server/portal/portal-copy.ts';
import { sessionExpiredPage, type PortalCase } from '../../server/portal/portal-context.ts';
import { WIDGET_RETURNS } from '../../server/portal/portal-result.ts';
import { withRemediationPaths, withWidgetMessage } from '../../server/portal/portal-widget.ts';
import { aCase } from '../support/records.ts';
import { createBrand } from '../../server/brand/brand.ts';
import type { BrandView } from '../../server/portal/page-brand.ts';

const SUPPORT = { url: 'https://ayuda.fintech.example', email: 'ayuda@fintech.example', phone: '+52 55 1234 5678' };
const BRAND = createBrand({ name: 'Fintech Uno', support: SUPPORT });
/** The demo: no support contact, so the pages say where to look instead. */
const BRAND_WITHOUT_SUPPORT = createBrand({ name: 'Fintech Uno', support: {} });

const NOW = Date.UTC(2026, 0, 15, 12);

function challenge(data: Record<string, unknown>) {
  return { session: 's', expiresAt: NOW + 5 * 60_000, tokenGenerationData: data };
}

function consent(webhookCode: string, dueDate: string | null) {
  return { consentId: 'c', webhookCode, dueDate, institutionDisplayName: null, institutionLogo: null, message: null };
}

/** Both ways offered: the widget's button above our own form. */
const BOTH_PATHS = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: mkdtempSync(join(tmpdir(), 'relink-copy-')),
  APP_SECRET: 'x'.repeat(40),
  REMEDIATION_PATHS: 'widget,form',
});

/** The credentials and MFA pages with the widget's offer, and each thing a visit to the widget can come to. */
async function widgetPages(ctx: PageContext, consentOptions: Parameters<typeof consentPage>[2]): Promise<Page[]> {
  const { locale, institution } = ctx;
  const found: PortalCase = { brand: ctx.brand, token: 'tok', linkExpired: false, caseRecord: aCase(), user: undefined, locale, institution };
  const offered = [
    withRemediationPaths(passwordPage(ctx, { needsPassword2: false }), found, BOTH_PATHS, 'csrf'),
    withRemediationPaths(await mfaPage(ctx, challenge({}), NOW), found, BOTH_PATHS, 'csrf'),
    withRemediationPaths(await mfaPage(ctx, { ...challenge({}), source: 'portal' }, NOW), found, BOTH_PATHS, 'csrf'),
    withRemediationPaths(await mfaPage(ctx, challenge({ expects_user_input: false }), NOW), found, BOTH_PATHS, 'csrf'),
  ];
  const unrecoverable = consentPage(ctx, consent('openfinance_consent_with_unrecoverable_resources', null), {
    ...consentOptions,
    reconnect: { action: '/r/tok/widget', csrfToken: 'csrf' },
  });
  const returns = WIDGET_RETURNS.flatMap((which) => [
    withWidgetMessage(passwordPage(ctx, { needsPassword2: false }), found, which),
    withWidgetMessage(unrecoverable, found, which),
  ]);
  return [...offered, unrecoverable, ...returns];
}

async function everyPage(ctx: PageContext): Promise<Page[]> {
  const consentOptions = { institutionCode: null, renew: { kind: 'landing', href: 'https://portal.example/' } as const, now: NOW };
  const direct = { ...consentOptions, renew: { kind: 'direct', action: '/r/tok/renew', csrfToken: 'csrf' } as const };
  const retry = { at: NOW + 15 * 60_000, now: NOW, timeZone: 'America/Mexico_City' };
  return [
    ...ALERT_KEYS.map((alert) => passwordPage(ctx, { needsPassword2: true, alert, triesLeft: 2 })),
    passwordPage(ctx, { needsPassword2: true, alert: 'wrongPassword', triesLeft: 1 }),
    await mfaPage(ctx, challenge({ type: 'numeric', instructions: 'Use the token', value: '123' }), NOW, { alert: 'wrongToken', triesLeft: 1 }),
    await mfaPage(ctx, challenge({ type: 'qr', value: 'otp://x' }), NOW),
    await mfaPage(ctx, challenge({ expects_user_input: false }), NOW),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', '2026-12-26'), consentOptions),
    consentPage(ctx, consent('openfinance_consent_expired', null), consentOptions),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', null), consentOptions),
    consentPage(ctx, consent('openfinance_consent_expired', '2026-01-10'), consentOptions),
    consentPage(ctx, undefined, consentOptions),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', '2026-01-16'), consentOptions),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', '2026-01-15T23:00:00Z'), consentOptions),
    consentPage(ctx, consent('openfinance_consent_with_unrecoverable_resources', null), consentOptions),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', '2026-12-26'), direct),
    consentPage(ctx, consent('openfinance_consent_expired', null), { ...direct, renewalUnavailable: { landingUrl: 'https://portal.example/' } }),
    ...(await widgetPages(ctx, consentOptions)),
    ...NOTICE_KEYS.map((notice) => noticePage(ctx, { state: 'error', notice, status: 200, offerNewLink: true })),
    ...NOTICE_KEYS.map((notice) => noticePage(ctx, { state: 'error', notice, status: 200, retry })),
    noticePage(ctx, { state: 'expired', notice: 'linkExpired', status: 202, newLink: 'sent' }),
    noticePage(ctx, { state: 'expired', notice: 'linkExpired', status: 200, newLink: 'noContact' }),
    sessionExpiredPage(ctx),
    noticePage(ctx, { state: 'error', notice: 'serverError', status: 500, link: { kind: 'openAgain', href: '/r/tok' } }),
  ];
}

/** The alert lines of a page that asks again. */
function alertLines(page: Page): string[] {
  assert.ok(page.template === 'portal/password' || page.template === 'portal/mfa', page.template);
  return page.view.message?.lines ?? [];
}

/** Every string under `value`, but for those under the keys to `skip`. */
function stringsIn(value: unknown, skip: readonly string[] = []): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((inner) => stringsIn(inner, skip));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (skip.includes(key) ? [] : stringsIn(inner, skip)));
  }
  return [];
}

/** The brand's words on a page: what it never asks for, and how to reach its support. */
function brandWords(brand: BrandView): string[] {
  const { support } = brand;
  const contacts = 'links' in support ? [support.intro, ...support.links.map((link) => link.label)] : [support.fallback];
  return [brand.neverAsk, support.heading, ...contacts];
}

/** Every sentence a person can see or hear on the page, the title included. */
function sentences(page: Page): string[] {
  // Addresses, tokens and images are not words; `what` is the end of a button's name.
  return [page.frame.title, ...stringsIn(page.view, ['action', 'csrfToken', 'href', 'src', 'role', 'value', 'seconds', 'what', 'revealWhat', 'kind'])];
}

/** A string of the copy as a pattern that matches it once its {placeholders} are filled. */
function filledPattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('.+'));
}

const DOUBLED = /\b(your|tu|seu|sua|de|do|the)\s+\1\b/i;
const FALLBACK_AFTER_PREPOSITION: Record<Locale, RegExp> = {
  // "la app de tu banco" is Spanish; "the your bank app" is not English.
  es: /\b(el|la|los|las)\s+tu\s+banco\b/i,
  'pt-BR': /\b(de|em|para|por)\s+seu\s+banco\b/i,
  en: /\b(the|a)\s+your\s+bank\b/i,
};

describe('the copy of every page', () => {
  for (const locale of LOCALES) {
    for (const institution of ['Banco Estrella', null]) {
      test(`reads as whole sentences in ${locale} when the bank is ${institution ?? 'not known'}`, async () => {
        for (const page of await everyPage({ brand: BRAND, locale, institution, token: 'tok', csrfToken: 'csrf' })) {
          // The footer speaks of banks in general, whichever bank the page is about.
          for (const text of [...sentences(page), page.frame.footer, ...brandWords(page.frame.brand)]) {
            assert.ok(text.trim().length > 0, `an empty text on ${page.template}`);
            assert.doesNotMatch(text, /\{(?!minutes\})\w+\}/, `a placeholder left in: ${text}`);
            assert.doesNotMatch(text, DOUBLED, text);
            assert.doesNotMatch(text, FALLBACK_AFTER_PREPOSITION[locale], text);
            assert.match(text, /^[^\p{Ll}]/u, `starts in lower case: ${text}`);
          }
          if (institution) {
            for (const text of sentences(page)) assert.doesNotMatch(text, /\b(tu banco|seu banco|your bank)\b/i, text);
          }
        }
      });
    }
  }

  // So that the checks above read every string a person can be shown, including new ones.
  test('every string of the copy, in every language, is on one of the pages checked above', async () => {
    for (const locale of LOCALES) {
      const institution = 'Banco Estrella';
      const pages = [
        ...(await everyPage({ brand: BRAND, locale, institution, token: 'tok', csrfToken: 'csrf' })),
        noticePage({ brand: BRAND_WITHOUT_SUPPORT, locale, institution }, { state: 'error', notice: 'serverError', status: 500 }),
      ];
      const shown = pages.flatMap((page) => [page.frame.title, page.frame.footer, ...brandWords(page.frame.brand), ...stringsIn(page.view)]);
      for (const text of stringsIn(copyFor(locale, institution, 'Fintech Uno'))) {
        const pattern = filledPattern(text);
        assert.ok(shown.some((s) => pattern.test(s)), `${locale}: not on any page checked: ${text}`);
      }
    }
  });

  test('names the bank where it is known, and says "your bank" where it is not', async () => {
    const named = passwordPage({ brand: BRAND, locale: 'pt-BR', institution: 'Itaú' }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 2 });
    const unnamed = passwordPage({ brand: BRAND, locale: 'pt-BR', institution: null }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 2 });
    assert.equal(named.frame.title, 'Reconecte sua conta Itaú');
    assert.equal(unnamed.frame.title, 'Reconecte sua conta bancária');
    assert.equal(alertLines(named)[0], 'Itaú não aceitou essa senha.');
    assert.equal(alertLines(unnamed)[0], 'Seu banco não aceitou essa senha.');
    const en = noticePage({ brand: BRAND, locale: 'en', institution: null }, { state: 'error', notice: 'institutionDown', status: 503 });
    assert.equal(en.frame.title, "Your bank isn't responding");
  });

  test('the last try warns with a tip that fits the step: the password, or the newest code', async () => {
    const password = passwordPage({ brand: BRAND, locale: 'es', institution: 'Banorte' }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 1 });
    const token = await mfaPage({ brand: BRAND, locale: 'es', institution: 'Banorte' }, challenge({}), NOW, { alert: 'wrongToken', triesLeft: 1 });
    assert.match(alertLines(password)[1] ?? '', /Te queda 1 intento\. .*app de Banorte con esa contraseña/);
    assert.match(alertLines(token)[1] ?? '', /Te queda 1 intento\. .*código más reciente/);
  });
});

describe('words no bank would forbid', () => {
  // Banks tell their customers never to give a card's PIN (NIP in Mexico, "senha do cartão" in Brazil).
  const FORBIDDEN = /\b(PIN|NIP)\b|tarjeta|cart[ãa]o|\bcard\b/i;
  for (const locale of LOCALES) {
    for (const institution of ['Banco Estrella', null]) {
      test(`the second-password field never asks for a card's PIN, in ${locale}, bank ${institution ?? 'not known'}`, () => {
        const page = passwordPage({ brand: BRAND, locale, institution }, { needsPassword2: true, alert: 'needsPassword2' });
        assert.ok(page.template === 'portal/password' && page.view.password2);
        for (const text of [...stringsIn(page.view), page.frame.title]) assert.doesNotMatch(text, FORBIDDEN, text);
        assert.match(page.view.password2.hint, /online|en línea|internet banking/);
      });
    }
  }

  test('Belvo\'s instructions are labelled as the bank\'s own words, in every language', async () => {
    const data = { type: 'numeric', instructions: 'Use el token' };
    const labels = await Promise.all(
      LOCALES.map(async (locale) => {
        const page = await mfaPage({ brand: BRAND, locale, institution: 'Banco Estrella' }, challenge(data), NOW);
        assert.ok(page.template === 'portal/mfa');
        return page.view.instructions?.label;
      }),
    );
    assert.deepEqual(labels, ['En palabras de Banco Estrella:', 'Nas palavras do próprio banco:', "In Banco Estrella's own words:"]);
  });
});
