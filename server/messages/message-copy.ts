// The words we send an end user about their broken bank connection, one module per language.
// Copy is written against plain facts (who writes, which case, which bank, which date) so every
// language says the same things, in the habits that tell a real message from phishing: it names
// the operator's app (BRAND_NAME) and the bank, says what broke, asks for nothing in the message
// itself (the secure page does that), says the link is personal, what happens if they do nothing,
// that the app never asks for a password by phone, SMS or chat, and how to reach support.
import type { CaseKind } from '../cases/case-types.ts';
import type { WhatsAppTemplateName } from '../channels/channel.ts';
import type { Locale } from '../i18n/locale.ts';
import { enCopy } from './message-copy-en.ts';
import { esCopy } from './message-copy-es.ts';
import type { MessageTemplate } from './message-templates.ts';
import { ptBrCopy } from './message-copy-pt-br.ts';

/**
 * Consent cases only. `reconnect`: Belvo lost access to some of the data for good
 * (unrecoverable resources), so the person connects again; never "expired, renew it".
 * `unavailable`: the bank stopped sharing some data for a while.
 */
export type ConsentSituation = 'expiring' | 'expired' | 'reconnect' | 'unavailable';

export interface CopyFacts {
  /** BRAND_NAME: who writes. */
  brand: string;
  template: MessageTemplate;
  caseKind: CaseKind;
  /** Set for consent cases. */
  consent: ConsentSituation | undefined;
  /** E-mail only: SMS texts get the name through smsGreeting, when it fits. */
  userName: string | undefined;
  institution: string | undefined;
  /** The consent's due date, already formatted for the language and the channel. */
  dueDate: string | undefined;
}

export interface EmailCopy {
  /** Names the brand, as every e-mail's subject must. */
  subject: string;
  /** The e-mail's title under the brand's header. */
  heading: string;
  greeting: string;
  /** What happened, one paragraph each. */
  intro: string[];
  /** What to do; the button (or, in the text part, the link) follows it. */
  action: string;
  button: string;
  personal: string;
  ifIgnored: string;
  /** What the operator never asks for, and where the secret may be typed. */
  safety: string;
  signature: string;
  /** Introduces the support contacts in the footer. */
  supportIntro: string;
  supportLabels: { url: string; email: string; phone: string };
  /** Why this person receives this e-mail. */
  footer: string;
}

export type WhatsAppVariant = 'link' | 'button';

/** A WhatsApp template's words, in one language: the texts an operator registers at Twilio. */
export interface WhatsAppCopy {
  /** Who writes: {{1}}, the brand. */
  greeting: string;
  /** What happened ({{2}}, the bank, where "your bank" reads as well) and what to do, per template. */
  lines: Record<WhatsAppTemplateName, { what: string; todo: string }>;
  /** Ends `todo` in the URL-button variant, instead of ": {{3}}". */
  tapButton: string;
  /** That the link is personal, and what the operator never asks for. */
  closing: string;
  /** The URL button's label (25 characters at most, Meta's limit). */
  button: string;
  /** {{2}} when the bank is unknown: a template variable may never be empty. */
  someBank: string;
}

export interface LocaleCopy {
  email(facts: CopyFacts): EmailCopy;
  /**
   * What follows "<brand>: " and precedes the link in an SMS, richest first. Every text must be
   * GSM-7 and name the bank when it is known; the renderer picks the first that fits one segment.
   */
  sms(facts: CopyFacts): string[];
  /** Put before an SMS text when the person's name still fits. */
  smsGreeting(name: string): string;
  whatsapp: WhatsAppCopy;
}

const COPY: Record<Locale, LocaleCopy> = { es: esCopy, 'pt-BR': ptBrCopy, en: enCopy };

export function copyFor(locale: Locale): LocaleCopy {
  return COPY[locale];
}

/**
 * The text to register at Twilio for a template: {{1}} the brand, {{2}} the bank, {{3}} the portal
 * link (`link` variant only; the `button` variant opens PUBLIC_URL/r/{{4}} from a URL button).
 * Meta refuses a template that starts or ends with a variable, or repeats one.
 */
export function whatsAppBody(copy: WhatsAppCopy, template: WhatsAppTemplateName, variant: WhatsAppVariant): string {
  const { what, todo } = copy.lines[template];
  return [copy.greeting, what, variant === 'link' ? `${todo}: {{3}}` : `${todo}: ${copy.tapButton}`, copy.closing].join('\n\n');
}
