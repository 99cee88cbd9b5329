// The consent page: the institution, when its consent runs out (in the person's language and time
// zone) and how many days are left, and the way to renew it at My Belvo Portal: straight to this
// consent when we know the person's CPF, else My Belvo Portal's public page and what to look for
// there. A consent whose accounts are gone cannot be renewed: the page says so and offers to
// connect again instead, or, when that cannot be done from here, points to the operator's app.
import type { ConsentInfo } from '../cases/case-types.ts';
import { isSafeWebUrl } from '../config.ts';
import { dateFormat } from '../i18n/date-format.ts';
import { languageTag, type Locale } from '../i18n/locale.ts';
import { userTimeZone } from '../reminders/reminder-schedule.ts';
import { fill, type PortalCopy } from './portal-copy.ts';
import { frame, wordsFor, type ConsentView, type Page, type PageContext, type RenewView, type WidgetOfferView } from './page-model.ts';

export const UNRECOVERABLE_CONSENT = 'openfinance_consent_with_unrecoverable_resources';
/** Belvo's pages spell the expired code both ways (REAL-API.md). */
const EXPIRED_CONSENT = ['openfinance_consent_expired', 'consent_expired'];
const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar day of an instant in a time zone, as days since the epoch (for counting days between). */
function dayNumber(instant: number, timeZone: string): number {
  const parts = dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return Date.parse(`${parts}T00:00:00Z`) / DAY;
}

/** The due date in the user's language and time zone. A date without a time is that very day everywhere. */
export function formatDueDate(dueDate: string, locale: Locale, timeZone: string): string | undefined {
  const dateOnly = DATE_ONLY.test(dueDate);
  const date = new Date(dateOnly ? `${dueDate}T12:00:00Z` : dueDate);
  if (Number.isNaN(date.getTime())) return undefined;
  return dateFormat(languageTag(locale), { dateStyle: 'long', timeZone: dateOnly ? 'UTC' : timeZone }).format(date);
}

/** Whole calendar days from today to the due date, both in the user's time zone; undefined when unknown. */
export function daysLeft(dueDate: string, now: number, timeZone: string): number | undefined {
  const dueDay = DATE_ONLY.test(dueDate) ? Date.parse(`${dueDate}T00:00:00Z`) / DAY : dayNumber(Date.parse(dueDate), timeZone);
  return Number.isNaN(dueDay) ? undefined : dueDay - dayNumber(now, timeZone);
}

/**
 * Only an https: logo without credentials in it is shown (or passed on to My Belvo Portal):
 * anything else could be mixed content, a tracking pixel over http, or a phishing disguise.
 */
export function safeLogoUrl(logo: string | null | undefined): string | undefined {
  return logo && isSafeWebUrl(logo, { httpsOnly: true }) ? logo : undefined;
}

function consentStatus(copy: PortalCopy, consent: ConsentInfo | undefined, date: string | undefined, expired: boolean) {
  const aboutToExpire = consent?.webhookCode === 'openfinance_consent_about_to_expire';
  if (expired) return date ? copy.consent.expired : copy.consent.expiredNoDate;
  if (aboutToExpire) return date ? copy.consent.aboutToExpire : copy.consent.aboutToExpireNoDate;
  return copy.consent.needsRenewal;
}

function daysLeftText(copy: PortalCopy, days: number | undefined): string | undefined {
  if (days === undefined || days < 0) return undefined;
  if (days === 0) return copy.consent.lastDay;
  return days === 1 ? copy.consent.daysLeftOne : fill(copy.consent.daysLeftMany, { days });
}

export interface ConsentPageOptions {
  institutionCode: string | null;
  now: number;
  /** The user's own IANA zone; absent or null: the institution's country decides. */
  userTimeZone?: string | null;
  /** Straight to this consent (a POST that asks Belvo for a token), or My Belvo Portal's public page. */
  renew: { kind: 'direct'; action: string; csrfToken: string } | { kind: 'landing'; href: string };
  /** A direct renewal just failed: say so, and offer the public page too. */
  renewalUnavailable?: { landingUrl: string };
  /** "Connect again" through the widget, for a consent that cannot be renewed; absent: the operator's app. */
  reconnect?: Omit<WidgetOfferView, 'intro' | 'label'>;
}

function renewView(copy: PortalCopy, renew: ConsentPageOptions['renew']): RenewView {
  const label = copy.consent.renew;
  if (renew.kind === 'direct') return { ...renew, label, how: copy.consent.renewDirect };
  return { ...renew, label, how: copy.consent.renewLanding };
}

function unrecoverablePage(ctx: PageContext, consent: ConsentInfo, options: ConsentPageOptions): Page {
  const { copy } = wordsFor(ctx);
  const logoUrl = safeLogoUrl(consent.institutionLogo);
  const view: ConsentView = {
    heading: copy.consent.unrecoverableHeading,
    status: copy.consent.unrecoverableStatus,
    explain: copy.consent.unrecoverableExplain,
    ...(logoUrl ? { logoUrl } : {}),
    ...(options.reconnect
      ? { widget: { ...options.reconnect, intro: copy.widget.reconnectIntro, label: copy.widget.reconnectButton } }
      : { inApp: copy.consent.unrecoverableInApp }),
  };
  return { template: 'portal/consent', status: 200, frame: frame(ctx, copy, 'consent', copy.consent.unrecoverableTitle, true), view };
}

export function consentPage(ctx: PageContext, consent: ConsentInfo | undefined, options: ConsentPageOptions): Page {
  if (consent?.webhookCode === UNRECOVERABLE_CONSENT) return unrecoverablePage(ctx, consent, options);
  const { copy, say } = wordsFor(ctx);
  const timeZone = userTimeZone(options.userTimeZone, options.institutionCode);
  const date = consent?.dueDate ? formatDueDate(consent.dueDate, ctx.locale, timeZone) : undefined;
  const dueAt = consent?.dueDate ? new Date(consent.dueDate).getTime() : Number.NaN;
  const expired = EXPIRED_CONSENT.includes(consent?.webhookCode ?? '') || dueAt <= options.now;
  const days = consent?.dueDate && !expired ? daysLeftText(copy, daysLeft(consent.dueDate, options.now, timeZone)) : undefined;
  const logoUrl = safeLogoUrl(consent?.institutionLogo);
  return {
    template: 'portal/consent',
    status: 200,
    frame: frame(ctx, copy, 'consent', say(copy.consent.title), true),
    view: {
      heading: say(copy.consent.heading),
      status: say(consentStatus(copy, consent, date, expired), date ? { date } : {}),
      ...(days ? { daysLeft: days } : {}),
      explain: say(copy.consent.explain),
      ...(logoUrl ? { logoUrl } : {}),
      renew: renewView(copy, options.renew),
      ...(options.renewalUnavailable
        ? {
            message: { role: 'alert', lines: copy.consent.renewUnavailable },
            landing: { href: options.renewalUnavailable.landingUrl, label: copy.consent.openLanding },
          }
        : {}),
    },
  };
}
