// Turns a case and what just happened into the finished words and fields of one page, so the
// EJS templates only lay them out. `state` is CONTRACT.md's data-state on <main>.
import type { MfaChallenge } from '../cases/case-types.ts';
import { languageTag, type Locale } from '../i18n/locale.ts';
import { copyFor, fill, type AlertKey, type NoticeKey, type PortalCopy } from './portal-copy.ts';
import { isQrChallenge, qrCodeDataUrl } from './qr-code.ts';

export type PageState = 'password' | 'mfa' | 'consent' | 'success' | 'error' | 'expired' | 'invalid';

export interface PageFrame {
  state: PageState;
  lang: string;
  title: string;
  brand: string;
  footer: string;
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

export interface PasswordView {
  heading: string;
  intro: string;
  privacy: string;
  action: string;
  csrfToken: string;
  label: string;
  password2?: { label: string; hint: string };
  show: string;
  submit: string;
  submitting: string;
  message?: PageMessage;
}

export interface MfaView {
  heading: string;
  intro: string;
  instructions?: { label: string; text: string };
  reference?: { label: string; value: string };
  qr?: { src: string; alt: string; valueLabel: string; value: string };
  /** False when the user approves on another device and there is nothing to type. */
  expectsInput: boolean;
  numeric: boolean;
  tokenLabel: string;
  submit: string;
  submitting: string;
  action: string;
  csrfToken: string;
  timeLeft?: { text: string; seconds: number; texts: { many: string; one: string; underOne: string; ended: string } };
  message?: PageMessage;
}

export interface ConsentView {
  heading: string;
  status: string;
  explain: string;
  logoUrl?: string;
  renew: Action;
}

export interface NoticeView {
  heading: string;
  body: string[];
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
  locale: Locale;
  /** The institution's display name, or null to say "your bank". */
  institution: string | null;
  token?: string;
  csrfToken?: string;
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** Fills a sentence of the copy with the institution (and any other value), capitalised. */
export type Say = (template: string, values?: Record<string, string | number>) => string;

export function wordsFor(ctx: PageContext): { copy: PortalCopy; say: Say } {
  const copy = copyFor(ctx.locale);
  const institution = ctx.institution ?? copy.yourBank;
  const say: Say = (template, values = {}) => capitalise(fill(template, { institution, ...values }));
  return { copy, say };
}

export function frame(ctx: PageContext, copy: PortalCopy, state: PageState, title: string, actionable: boolean): PageFrame {
  return {
    state,
    lang: languageTag(ctx.locale),
    title,
    brand: copy.brand,
    footer: copy.footer,
    ...(actionable && ctx.token ? { seenUrl: `/r/${ctx.token}/seen` } : {}),
    ...(ctx.csrfToken ? { csrfToken: ctx.csrfToken } : {}),
  };
}

/** Why a page asks again: shown in role="alert". */
export interface Refusal {
  alert?: AlertKey;
  triesLeft?: number;
}

function alertMessage(copy: PortalCopy, say: Say, refusal: Refusal): PageMessage | undefined {
  if (!refusal.alert) return undefined;
  const lines = [say(copy.alerts[refusal.alert])];
  if (refusal.triesLeft === 1) lines.push(say(copy.triesLeftOne));
  else if (refusal.triesLeft !== undefined) lines.push(say(copy.triesLeftMany, { tries: refusal.triesLeft }));
  return { role: 'alert', lines };
}

export function passwordPage(ctx: PageContext, options: { needsPassword2: boolean; status?: number } & Refusal): Page {
  const { copy, say } = wordsFor(ctx);
  const message = alertMessage(copy, say, options);
  return {
    template: 'portal/password',
    status: options.status ?? 200,
    frame: frame(ctx, copy, 'password', say(copy.password.title), true),
    view: {
      heading: say(copy.password.heading),
      intro: say(copy.password.intro),
      privacy: say(copy.privacy),
      action: `/r/${ctx.token}/password`,
      csrfToken: ctx.csrfToken ?? '',
      label: say(copy.password.label),
      ...(options.needsPassword2 ? { password2: { label: say(copy.password.label2), hint: say(copy.password.hint2) } } : {}),
      show: copy.password.show,
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
  const { copy, say } = wordsFor(ctx);
  const data = challenge.tokenGenerationData ?? {};
  const expectsInput = data.expects_user_input !== false;
  const qr = isQrChallenge(data.type) && data.value ? data.value : undefined;
  const intro = !expectsInput ? copy.mfa.introDevice : qr ? copy.mfa.introQr : copy.mfa.intro;
  const message = alertMessage(copy, say, options);
  const remaining = timeLeft(copy, challenge.expiresAt, now);
  return {
    template: 'portal/mfa',
    status: options.status ?? 200,
    frame: frame(ctx, copy, 'mfa', say(copy.mfa.title), true),
    view: {
      heading: say(copy.mfa.heading),
      intro: say(intro),
      ...(data.instructions ? { instructions: { label: say(copy.mfa.instructionsLabel), text: data.instructions } } : {}),
      ...(data.value && !qr ? { reference: { label: copy.mfa.valueLabel, value: data.value } } : {}),
      ...(qr
        ? { qr: { src: await qrCodeDataUrl(qr), alt: say(copy.mfa.qrAlt), valueLabel: copy.mfa.qrValueLabel, value: qr } }
        : {}),
      expectsInput,
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
}

function newLinkMessage(copy: PortalCopy, outcome: NoticeOptions['newLink']): PageMessage | undefined {
  if (outcome === 'sent') return { role: 'status', lines: [copy.newLink.sent] };
  if (outcome === 'noContact') return { role: 'alert', lines: [copy.newLink.noContact] };
  return undefined;
}

export function noticePage(ctx: PageContext, options: NoticeOptions): Page {
  const { copy, say } = wordsFor(ctx);
  const notice = copy.notices[options.notice];
  const message = newLinkMessage(copy, options.newLink);
  return {
    template: 'portal/notice',
    status: options.status,
    frame: frame(ctx, copy, options.state, say(notice.title), false),
    view: {
      heading: say(notice.heading),
      body: notice.body.map((line) => say(line)),
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
