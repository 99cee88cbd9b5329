// The words of the end-user pages, one module per language. Each module composes its sentences
// for the operator's app (BRAND_NAME) and the institution it is given, or for "your bank" when the
// name is unknown, so that every
// language can get its own grammar right (articles, contractions, capitals) instead of dropping
// a fallback word into a sentence written for a proper name. Strings may still hold {tries},
// {minutes}, {date} or {days}, which page-model.ts and consent-page.ts fill; EJS escapes the result.
import type { Locale } from '../i18n/locale.ts';
import { enCopy } from './portal-copy-en.ts';
import { esCopy } from './portal-copy-es.ts';
import { ptBrCopy } from './portal-copy-pt-br.ts';

export const NOTICE_KEYS = [
  'resolved',
  'alreadyResolved',
  'failedAfterRetries',
  'caseFailed',
  'caseExpired',
  'linkExpired',
  'linkExpiredNoOffer',
  'mfaSessionExpired',
  'institutionDown',
  'bankTimedOut',
  'institutionInactive',
  'linkUnusable',
  'serviceError',
  'invalid',
  'csrf',
  'tooManyRequests',
  'serverError',
] as const;
export type NoticeKey = (typeof NOTICE_KEYS)[number];

export const ALERT_KEYS = [
  'wrongPassword',
  'wrongToken',
  'needsPassword2',
  'tooManySessions',
  'busy',
  'missingPassword',
  'missingPassword2',
  'missingToken',
  'tooLong',
] as const;
export type AlertKey = (typeof ALERT_KEYS)[number];

export interface NoticeCopy {
  title: string;
  heading: string;
  body: string[];
}

export interface PortalCopy {
  /** Why the person got this page. */
  footer: string;
  /** On every page: what the operator never asks for, the habit that defeats phishing. */
  neverAsk: string;
  /**
   * How to reach the operator's support (SUPPORT_*): in every page's footer, and the way forward
   * on pages that end a journey. `fallback` when the operator gave no contact (the demo).
   */
  support: { heading: string; intro: string; fallback: string; labels: { url: string; email: string; phone: string } };
  /** When a failure may have passed: {time} is filled in the person's time zone. */
  retry: { at: string; button: string };
  password: {
    title: string;
    heading: string;
    intro: string;
    label: string;
    label2: string;
    hint2: string;
    /**
     * The show-password buttons read "Show" and are heard as "Show password" / "Show second
     * password": `revealWhat*` is said to screen readers only, after `reveal`.
     */
    reveal: string;
    revealWhat: string;
    revealWhat2: string;
    submit: string;
    submitting: string;
    privacy: string;
  };
  mfa: {
    title: string;
    heading: string;
    intro: string;
    introDevice: string;
    introQr: string;
    /** For someone reading the QR code on the very phone that would scan it. */
    qrOtherScreen: string;
    /** Above Belvo's `instructions`, which come in the bank's own words and language. */
    instructionsLabel: string;
    valueLabel: string;
    qrAlt: string;
    qrValueLabel: string;
    tokenLabel: string;
    submit: string;
    approved: string;
    timeLeftMany: string;
    timeLeftOne: string;
    timeLeftUnderOne: string;
    timeEnded: string;
  };
  consent: {
    title: string;
    heading: string;
    aboutToExpire: string;
    aboutToExpireNoDate: string;
    expired: string;
    expiredNoDate: string;
    needsRenewal: string;
    explain: string;
    renew: string;
    /** With the user's CPF: the button takes them straight to this consent. */
    renewDirect: string;
    /** Without it: the public My Belvo Portal, and what to look for there. */
    renewLanding: string;
    /** role="alert" when My Belvo Portal could not be opened for this consent. */
    renewUnavailable: string[];
    /** The public My Belvo Portal, offered beside the renewal that failed. */
    openLanding: string;
    /** Under the due date; {days} is filled by consent-page.ts. */
    daysLeftMany: string;
    daysLeftOne: string;
    lastDay: string;
    /** A consent whose accounts are gone: it cannot be renewed, only connected again. */
    unrecoverableTitle: string;
    unrecoverableHeading: string;
    unrecoverableStatus: string;
    unrecoverableExplain: string;
    /** No way to connect again from this page (no CPF, or the widget turned off): the operator's app. */
    unrecoverableInApp: string;
  };
  /** Belvo's hosted Connect widget: the offer, and what the page says when the person comes back. */
  widget: {
    /** Above the button: why this is the easy way. */
    intro: string;
    button: string;
    /** Between the widget's button and our own form. */
    orPassword: string;
    orToken: string;
    /** Between the widget's button and a form with nothing to type (approval on another device). */
    orApprove: string;
    /** Above the widget's button when it comes after our own form. */
    instead: string;
    reconnectIntro: string;
    reconnectButton: string;
    /** role="status": the user closed the widget. */
    exited: string[];
    /** role="alert": the widget reported an error. */
    failed: string[];
    /** role="alert": the success callback could not be confirmed with Belvo. */
    notConfirmed: string[];
    /** role="alert": Belvo gave us no widget token. */
    unavailable: string[];
  };
  alerts: Record<AlertKey, string>;
  triesLeftMany: string;
  triesLeftOne: string;
  /** Added to the last try's warning: what to check before using it. */
  lastTryTip: { password: string; token: string };
  newLink: { offer: string; button: string; sent: string[]; noContact: string };
  startAgain: string;
  openAgain: string;
  notices: Record<NoticeKey, NoticeCopy>;
}

const COPY: Record<Locale, (institution: string | null, brand: string) => PortalCopy> = { es: esCopy, 'pt-BR': ptBrCopy, en: enCopy };

/** The copy for one language, written for the institution's display name (null: not known) and the operator's app. */
export function copyFor(locale: Locale, institution: string | null, brand: string): PortalCopy {
  return COPY[locale](institution, brand);
}

/** Replaces each {name} with its value; an unknown name is left as it is, so a gap shows in review. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}
