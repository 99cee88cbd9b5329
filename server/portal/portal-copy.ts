// The words of the end-user pages, one object per language. Strings may hold {placeholders}
// (institution, tries, minutes, date) that page-model.ts fills; EJS escapes the result.
import type { Locale } from '../i18n/locale.ts';
import { en } from './portal-copy-en.ts';
import { es } from './portal-copy-es.ts';
import { ptBR } from './portal-copy-pt-br.ts';

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
  brand: string;
  footer: string;
  yourBank: string;
  privacy: string;
  password: {
    title: string;
    heading: string;
    intro: string;
    label: string;
    label2: string;
    hint2: string;
    show: string;
    submit: string;
    submitting: string;
  };
  mfa: {
    title: string;
    heading: string;
    intro: string;
    introDevice: string;
    introQr: string;
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
  };
  alerts: Record<AlertKey, string>;
  triesLeftOne: string;
  triesLeftMany: string;
  newLink: { offer: string; button: string; sent: string; noContact: string };
  startAgain: string;
  openAgain: string;
  notices: Record<NoticeKey, NoticeCopy>;
}

const COPY: Record<Locale, PortalCopy> = { es, 'pt-BR': ptBR, en };

export function copyFor(locale: Locale): PortalCopy {
  return COPY[locale];
}

/** Replaces each {name} with its value; an unknown name is left as it is, so a gap shows in review. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}
