// The words we send an end user about their broken bank connection, one module per language.
// Copy is written against plain facts (which case, which bank, which date) so every language
// says the same things: who writes, what happened, what to do, that the link is personal, what
// happens if they do nothing, and that they must never reply with a password.
import type { CaseKind } from '../cases/case-types.ts';
import type { Locale } from '../i18n/locale.ts';
import type { MessageTemplate } from '../outbox/outbox-repository.ts';
import { enCopy } from './message-copy-en.ts';
import { esCopy } from './message-copy-es.ts';
import { ptBrCopy } from './message-copy-pt-br.ts';

export interface CopyFacts {
  template: MessageTemplate;
  caseKind: CaseKind;
  /** Consent cases only: whether the consent has already run out. */
  consentExpired: boolean;
  /** E-mail only: SMS texts get the name through smsGreeting, when it fits. */
  userName: string | undefined;
  institution: string | undefined;
  /** The consent's due date, already formatted for the language and the channel. */
  dueDate: string | undefined;
}

export interface EmailCopy {
  subject: string;
  /** Who writes, shown above the message: the product is white-label, so it is generic. */
  sender: string;
  greeting: string;
  /** What happened, one paragraph each. */
  intro: string[];
  /** What to do; the button (or, in the text part, the link) follows it. */
  action: string;
  button: string;
  personal: string;
  ifIgnored: string;
  safety: string;
  /** Why this person receives this e-mail. */
  footer: string;
}

export interface LocaleCopy {
  email(facts: CopyFacts): EmailCopy;
  /**
   * What precedes the link in an SMS, richest first. Every text must be GSM-7; the last one must
   * fit one segment next to an 80-character link (the renderer picks the first that fits).
   */
  sms(facts: CopyFacts): string[];
  /** Put before an SMS text when the person's name still fits. */
  smsGreeting(name: string): string;
}

const COPY: Record<Locale, LocaleCopy> = { es: esCopy, 'pt-BR': ptBrCopy, en: enCopy };

export function copyFor(locale: Locale): LocaleCopy {
  return COPY[locale];
}
