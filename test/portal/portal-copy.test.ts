// The words of every portal page, in every language, for a named bank and for one whose name we do
// not know: whole sentences a person can read, never a fallback dropped into a sentence meant for a
// proper name ("Your your bank password", "site de seu banco").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, type Locale } from '../../server/i18n/locale.ts';
import { consentPage } from '../../server/portal/consent-page.ts';
import { mfaPage, noticePage, passwordPage, type Page, type PageContext } from '../../server/portal/page-model.ts';
import { ALERT_KEYS, NOTICE_KEYS } from '../../server/portal/portal-copy.ts';

const NOW = Date.UTC(2026, 0, 15, 12);

function challenge(data: Record<string, unknown>) {
  return { session: 's', expiresAt: NOW + 5 * 60_000, tokenGenerationData: data };
}

function consent(webhookCode: string, dueDate: string | null) {
  return { consentId: 'c', webhookCode, dueDate, institutionDisplayName: null, institutionLogo: null, message: null };
}

async function everyPage(ctx: PageContext): Promise<Page[]> {
  const consentOptions = { institutionCode: null, renewUrl: 'https://portal.example/renew', now: NOW };
  return [
    ...ALERT_KEYS.map((alert) => passwordPage(ctx, { needsPassword2: true, alert, triesLeft: 2 })),
    passwordPage(ctx, { needsPassword2: true, alert: 'wrongPassword', triesLeft: 1 }),
    await mfaPage(ctx, challenge({ type: 'numeric', instructions: 'Use the token', value: '123' }), NOW, { alert: 'wrongToken', triesLeft: 1 }),
    await mfaPage(ctx, challenge({ type: 'qr', value: 'otp://x' }), NOW),
    await mfaPage(ctx, challenge({ expects_user_input: false }), NOW),
    consentPage(ctx, consent('openfinance_consent_about_to_expire', '2026-12-26'), consentOptions),
    consentPage(ctx, consent('openfinance_consent_expired', null), consentOptions),
    consentPage(ctx, consent('openfinance_consent_with_unrecoverable_resources', null), consentOptions),
    ...NOTICE_KEYS.map((notice) => noticePage(ctx, { state: 'error', notice, status: 200, offerNewLink: true })),
    noticePage(ctx, { state: 'expired', notice: 'linkExpired', status: 202, newLink: 'sent' }),
    noticePage(ctx, { state: 'expired', notice: 'linkExpired', status: 200, newLink: 'noContact' }),
  ];
}

/** The alert lines of a page that asks again. */
function alertLines(page: Page): string[] {
  assert.ok(page.template === 'portal/password' || page.template === 'portal/mfa', page.template);
  return page.view.message?.lines ?? [];
}

/** Every sentence a person can see or hear on the page, the title included. */
function sentences(page: Page): string[] {
  const texts: string[] = [page.frame.title];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        // Addresses, tokens and images are not words; `what` is the end of a button's name.
        if (!['action', 'csrfToken', 'href', 'src', 'role', 'value', 'seconds', 'what', 'revealWhat'].includes(key)) collect(inner);
      }
    }
  };
  collect(page.view);
  return texts;
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
        for (const page of await everyPage({ locale, institution, token: 'tok', csrfToken: 'csrf' })) {
          // The header and footer speak of banks in general, whichever bank the page is about.
          for (const text of [...sentences(page), page.frame.brand, page.frame.footer]) {
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

  test('names the bank where it is known, and says "your bank" where it is not', async () => {
    const named = passwordPage({ locale: 'pt-BR', institution: 'Itaú' }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 2 });
    const unnamed = passwordPage({ locale: 'pt-BR', institution: null }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 2 });
    assert.equal(named.frame.title, 'Reconecte sua conta Itaú');
    assert.equal(unnamed.frame.title, 'Reconecte sua conta bancária');
    assert.equal(alertLines(named)[0], 'Itaú não aceitou essa senha.');
    assert.equal(alertLines(unnamed)[0], 'Seu banco não aceitou essa senha.');
    const en = noticePage({ locale: 'en', institution: null }, { state: 'error', notice: 'institutionDown', status: 503 });
    assert.equal(en.frame.title, "Your bank isn't responding");
  });

  test('the last try warns with a tip that fits the step: the password, or the newest code', async () => {
    const password = passwordPage({ locale: 'es', institution: 'Banorte' }, { needsPassword2: false, alert: 'wrongPassword', triesLeft: 1 });
    const token = await mfaPage({ locale: 'es', institution: 'Banorte' }, challenge({}), NOW, { alert: 'wrongToken', triesLeft: 1 });
    assert.match(alertLines(password)[1] ?? '', /Te queda 1 intento\. .*app de Banorte con esa contraseña/);
    assert.match(alertLines(token)[1] ?? '', /Te queda 1 intento\. .*código más reciente/);
  });
});
