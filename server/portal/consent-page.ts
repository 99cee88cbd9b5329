// The consent page: the institution, when its consent runs out (in the person's language and the
// bank's time zone), and the way to renew it at My Belvo Portal.
import type { ConsentInfo } from '../cases/case-types.ts';
import { countryOfInstitution, languageTag, type Locale } from '../i18n/locale.ts';
import type { PortalCopy } from './portal-copy.ts';
import { frame, wordsFor, type Page, type PageContext } from './page-model.ts';

const CONSENT_TIME_ZONES = { br: 'America/Sao_Paulo', mx: 'America/Mexico_City', co: 'America/Bogota' } as const;

/** The due date in the user's language, in the time zone of the bank's country. */
export function formatDueDate(dueDate: string, locale: Locale, institutionCode: string | null): string | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(dueDate);
  const date = new Date(dateOnly ? `${dueDate}T12:00:00Z` : dueDate);
  if (Number.isNaN(date.getTime())) return undefined;
  const country = countryOfInstitution(institutionCode);
  const timeZone = dateOnly || !country ? 'UTC' : CONSENT_TIME_ZONES[country];
  return new Intl.DateTimeFormat(languageTag(locale), { dateStyle: 'long', timeZone }).format(date);
}

/** Only an https: logo is shown: anything else could be mixed content or a tracking pixel over http. */
export function safeLogoUrl(logo: string | null | undefined): string | undefined {
  if (!logo) return undefined;
  try {
    return new URL(logo).protocol === 'https:' ? logo : undefined;
  } catch {
    return undefined;
  }
}

function consentStatus(copy: PortalCopy, consent: ConsentInfo | undefined, date: string | undefined, dueAt: number, now: number) {
  const expired = consent?.webhookCode === 'openfinance_consent_expired' || dueAt <= now;
  const aboutToExpire = consent?.webhookCode === 'openfinance_consent_about_to_expire';
  if (expired) return date ? copy.consent.expired : copy.consent.expiredNoDate;
  if (aboutToExpire) return date ? copy.consent.aboutToExpire : copy.consent.aboutToExpireNoDate;
  return copy.consent.needsRenewal;
}

export function consentPage(
  ctx: PageContext,
  consent: ConsentInfo | undefined,
  options: { institutionCode: string | null; renewUrl: string; now: number },
): Page {
  const { copy, say } = wordsFor(ctx);
  const date = consent?.dueDate ? formatDueDate(consent.dueDate, ctx.locale, options.institutionCode) : undefined;
  const dueAt = consent?.dueDate ? new Date(consent.dueDate).getTime() : Number.NaN;
  const logoUrl = safeLogoUrl(consent?.institutionLogo);
  return {
    template: 'portal/consent',
    status: 200,
    frame: frame(ctx, copy, 'consent', say(copy.consent.title), true),
    view: {
      heading: say(copy.consent.heading),
      status: say(consentStatus(copy, consent, date, dueAt, options.now), date ? { date } : {}),
      explain: say(copy.consent.explain),
      ...(logoUrl ? { logoUrl } : {}),
      renew: { href: options.renewUrl, label: copy.consent.renew },
    },
  };
}
