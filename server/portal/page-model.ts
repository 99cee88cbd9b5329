// Turns a case and what just happened into the finished words and fields of one page, so the
// EJS templates only lay them out. `state` is CONTRACT.md's data-state on <main>.
import type { MfaChallenge } from '../cases/case-types.ts';
import type { Brand } from '../brand/brand.ts';
import { dateFormat } from '../i18n/date-format.ts';
import { languageTag, type Locale } from '../i18n/locale.ts';
import { brandView, type BrandView } from './page-brand.ts';
import { copyFor, fill, type AlertKey, type NoticeKey, type PortalCopy } from './portal-copy.ts';
import { isQrChallenge, qrCodeDataUrl } from './qr-code.ts';

export type PageState = 'password' | 'mfa' | 'consent' | 'success' | 'error' | 'expired' | 'invalid';

export interface PageFrame {
  state: PageState;
  lang: string;
  title: string;
  brand: BrandView;
  footer: string;
  /**
   * The page ends the journey (an error, an expired link or case, a link that is not ours): how to
   * reach support is its way forward, in the page itself and not only in the footer.
   */
  supportIsTheWayForward: boolean;
  /** Where portal.js reports that the page was seen (actionable pages only). */
  seenUrl?: string;
  csrfToken?: string;
}

export interface PageMessage {
  role: 'alert' | 'status';
  lines: string[];
}

interface Action {
  href: string;
  label: string;
}

/** "Continue with Belvo": a POST that sends the user to Belvo's hosted Connect widget. */
export interface WidgetOfferView {
  intro: string;
  action: string;
  csrfToken: string;
  label: string;
  /** Between the button and our own form, when the page has both. */
  orForm?: string;
  /** After our own form, as the second way: the person already typed their password in it. */
  secondary?: boolean;
}

/** Which ways a credentials or MFA page offers (REMEDIATION_PATHS); absent: only our own form. */
interface Paths {
  widget?: WidgetOfferView;
  /** False when the operator turned our own form off. */
  offersForm?: boolean;
}

export interface PasswordView extends Paths {
  heading: string;
  intro: string;
  privacy: string;
  action: string;
  csrfToken: string;
  label: string;
  password2?: { label: string; hint: string; revealWhat: string };
  /** The show-password buttons: the visible word, and what it shows for screen readers. */
  reveal: { text: string; what: string };
  submit: string;
  submitting: string;
  message?: PageMessage;
}

export interface MfaView extends Paths {
  heading: string;
  intro: string;
  /** Belvo's `instructions`, quoted as the bank's own words (they come in the bank's language). */
  instructions?: { label: string; text: string };
  reference?: { label: string; value: string };
  qr?: { src: string; alt: string; valueLabel: string; value: string; otherScreen: string };
  /** False when the user approves on another device and there is nothing to type. */
  expectsInput: boolean;
  /** The person typed their password in our form: our token form is the main way, Belvo's widget the other. */
  tokenFirst: boolean;
  numeric: boolean;
  tokenLabel: string;
  submit: string;
  submitting: string;
  action: string;
  csrfToken: string;
  timeLeft?: { text: string; seconds: number; texts: { many: string; one: string; underOne: string; ended: string } };
  message?: PageMessage;
}

/** Renewing in My Belvo Portal: a POST that opens this very consent, or a link to its public page. */
export type RenewView =
  | { kind: 'direct'; action: string; csrfToken: string; label: string; how: string }
  | { kind: 'landing'; href: string; label: string; how: string };

export interface ConsentView {
  heading: string;
  status: string;
  explain: string;
  logoUrl?: string;
  /** Absent when renewing is not possible (the consent's accounts are gone). */
  renew?: RenewView;
  /** My Belvo Portal's public page, beside a direct renewal that just failed. */
  landing?: Action;
  /** Connecting again is for the operator's app: what to do there. */
  inApp?: string;
  daysLeft?: string;
  /** Connecting again through the widget, when the old connection cannot come back. */
  widget?: WidgetOfferView;
  message?: PageMessage;
}

/** When to try again, and the button back to the form; portal.js shows the button once the time comes. */
export interface RetryView {
  text: string;
  href: string;
  label: string;
  /** Seconds until the button makes sense; 0: shown at once. */
  inSeconds: number;
}

export interface NoticeView {
  heading: string;
  body: string[];
  retry?: RetryView;
  message?: PageMessage;
  form?: { intro: string; action: string; csrfToken: string; label: string };
  link?: Action;
}

export type Page =
  | { template: 'portal/password'; status: number; frame: PageFrame; view: PasswordView }
  | { template: 'portal/mfa'; status: number; frame: PageFrame; view: MfaView }
  | { template: 'portal/consent'; status: number; frame: PageFrame; view: ConsentView }
  | { template: 'portal/notice'; status: number; frame: PageFrame; view: NoticeView };

export interface PageContext {
  /** BRAND_* and SUPPORT_*: the operator's app, named in the copy and heading the page. */
  brand: Brand;
  locale: Locale;
  /** The institution's display name, or null when it is not known (the copy then says "your bank"). */
  institution: string | null;
  token?: string;
  csrfToken?: string;
}

/** Fills the {tries}, {minutes} or {date} of a sentence of the copy. */
export type Say = (template: string, values?: Record<string, string | number>) => string;

/** The copy for the page's language, already written for its institution, named or not. */
export function wordsFor(ctx: PageContext): { copy: PortalCopy; say: Say } {
  const copy = copyFor(ctx.locale, ctx.institution, ctx.brand.name);
  const say: Say = (template, values = {}) => fill(template, values);
  return { copy, say };
}

export function frame(ctx: PageContext, copy: PortalCopy, state: PageState, title: string, actionable: boolean): PageFrame {
  return {
    state,
    lang: languageTag(ctx.locale),
    title,
    brand: brandView(ctx.brand, copy),
    footer: copy.footer,
    supportIsTheWayForward: state === 'error' || state === 'expired' || state === 'invalid',
    ...(actionable && ctx.token ? { seenUrl: `/r/${ctx.token}/seen` } : {}),
    ...(ctx.csrfToken ? { csrfToken: ctx.csrfToken } : {}),
  };
}

/** Why a page asks again: shown in role="alert". */
export interface Refusal {
  alert?: AlertKey;
  triesLeft?: number;
}

function alertMessage(copy: PortalCopy, refusal: Refusal): PageMessage | undefined {
  if (!refusal.alert) return undefined;
  const lines = [copy.alerts[refusal.alert]];
  if (refusal.triesLeft === 1) {
    const tip = refusal.alert === 'wrongToken' ? copy.lastTryTip.token : copy.lastTryTip.password;
    lines.push(`${copy.triesLeftOne} ${tip}`);
  } else if (refusal.triesLeft !== undefined) {
    lines.push(fill(copy.triesLeftMany, { tries: refusal.triesLeft }));
  }
  return { role: 'alert', lines };
}

export function passwordPage(ctx: PageContext, options: { needsPassword2: boolean; status?: number } & Refusal): Page {
  const { copy } = wordsFor(ctx);
  const message = alertMessage(copy, options);
  return {
    template: 'portal/password',
    status: options.status ?? 200,
    frame: frame(ctx, copy, 'password', copy.password.title, true),
    view: {
      heading: copy.password.heading,
      intro: copy.password.intro,
      privacy: copy.password.privacy,
      action: `/r/${ctx.token}/password`,
      csrfToken: ctx.csrfToken ?? '',
      label: copy.password.label,
      ...(options.needsPassword2
        ? { password2: { label: copy.password.label2, hint: copy.password.hint2, revealWhat: copy.password.revealWhat2 } }
        : {}),
      reveal: { text: copy.password.reveal, what: copy.password.revealWhat },
      submit: copy.password.submit,
      submitting: copy.password.submitting,
      ...(message ? { message } : {}),
    },
  };
}

function timeLeft(copy: PortalCopy, expiresAt: number | null, now: number): MfaView['timeLeft'] {
  if (expiresAt === null) return undefined;
  const seconds = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const minutes = Math.floor(seconds / 60);
  const texts = {
    many: copy.mfa.timeLeftMany,
    one: copy.mfa.timeLeftOne,
    underOne: copy.mfa.timeLeftUnderOne,
    ended: copy.mfa.timeEnded,
  };
  const text = minutes >= 2 ? fill(texts.many, { minutes }) : minutes === 1 ? texts.one : texts.underOne;
  return { text, seconds, texts };
}

export async function mfaPage(
  ctx: PageContext,
  challenge: MfaChallenge,
  now: number,
  options: { status?: number } & Refusal = {},
): Promise<Page> {
  const { copy } = wordsFor(ctx);
  const data = challenge.tokenGenerationData ?? {};
  const expectsInput = data.expects_user_input !== false;
  const qr = isQrChallenge(data.type) && data.value ? data.value : undefined;
  const intro = !expectsInput ? copy.mfa.introDevice : qr ? copy.mfa.introQr : copy.mfa.intro;
  const tokenFirst = challenge.source === 'portal';
  const message = alertMessage(copy, options);
  const remaining = timeLeft(copy, challenge.expiresAt, now);
  return {
    template: 'portal/mfa',
    status: options.status ?? 200,
    frame: frame(ctx, copy, 'mfa', copy.mfa.title, true),
    view: {
      heading: copy.mfa.heading,
      intro,
      ...(data.instructions ? { instructions: { label: copy.mfa.instructionsLabel, text: data.instructions } } : {}),
      ...(data.value && !qr ? { reference: { label: copy.mfa.valueLabel, value: data.value } } : {}),
      ...(qr
        ? {
            qr: {
              src: await qrCodeDataUrl(qr),
              alt: copy.mfa.qrAlt,
              valueLabel: copy.mfa.qrValueLabel,
              value: qr,
              otherScreen: copy.mfa.qrOtherScreen,
            },
          }
        : {}),
      expectsInput,
      tokenFirst,
      numeric: data.type === undefined || /numer|digit|otp|sms/i.test(data.type),
      tokenLabel: copy.mfa.tokenLabel,
      submit: expectsInput ? copy.mfa.submit : copy.mfa.approved,
      submitting: copy.password.submitting,
      action: `/r/${ctx.token}/token`,
      csrfToken: ctx.csrfToken ?? '',
      ...(remaining ? { timeLeft: remaining } : {}),
      ...(message ? { message } : {}),
    },
  };
}

export interface NoticeOptions {
  state: Exclude<PageState, 'password' | 'mfa' | 'consent'>;
  notice: NoticeKey;
  status: number;
  /** Offer "send me a new link" (a POST with the CSRF token). */
  offerNewLink?: boolean;
  /** What became of a request for a new link. */
  newLink?: 'sent' | 'noContact';
  link?: { kind: 'startAgain' | 'openAgain'; href: string };
  /** When trying again makes sense, in the person's time zone; the button goes back to the case page. */
  retry?: { at: number; now: number; timeZone: string };
}

/** "10:35" (or "10:35 AM") in the person's language and time zone. */
export function formatTime(at: number, locale: Locale, timeZone: string): string {
  return dateFormat(languageTag(locale), { hour: 'numeric', minute: '2-digit', timeZone }).format(at);
}

function retryView(ctx: PageContext, copy: PortalCopy, retry: NonNullable<NoticeOptions['retry']>): RetryView | undefined {
  if (!ctx.token) return undefined;
  // Rounded up to the minute shown, so that the button never appears before the time the page gives.
  const at = Math.ceil(retry.at / 60_000) * 60_000;
  return {
    text: fill(copy.retry.at, { time: formatTime(at, ctx.locale, retry.timeZone) }),
    href: `/r/${ctx.token}`,
    label: copy.retry.button,
    inSeconds: Math.max(0, Math.ceil((at - retry.now) / 1000)),
  };
}

function newLinkMessage(copy: PortalCopy, outcome: NoticeOptions['newLink']): PageMessage | undefined {
  if (outcome === 'sent') return { role: 'status', lines: copy.newLink.sent };
  if (outcome === 'noContact') return { role: 'alert', lines: [copy.newLink.noContact] };
  return undefined;
}

export function noticePage(ctx: PageContext, options: NoticeOptions): Page {
  const { copy } = wordsFor(ctx);
  const notice = copy.notices[options.notice];
  const message = newLinkMessage(copy, options.newLink);
  const retry = options.retry && retryView(ctx, copy, options.retry);
  return {
    template: 'portal/notice',
    status: options.status,
    frame: frame(ctx, copy, options.state, notice.title, false),
    view: {
      heading: notice.heading,
      body: notice.body,
      ...(retry ? { retry } : {}),
      ...(message ? { message } : {}),
      ...(options.offerNewLink && ctx.token && ctx.csrfToken
        ? {
            form: {
              intro: copy.newLink.offer,
              action: `/r/${ctx.token}/new-link`,
              csrfToken: ctx.csrfToken,
              label: copy.newLink.button,
            },
          }
        : {}),
      ...(options.link ? { link: { href: options.link.href, label: copy[options.link.kind] } } : {}),
    },
  };
}
