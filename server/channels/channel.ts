// One interface for every way of reaching an end user. A channel sends one rendered message and
// either resolves with the provider's id or throws a ChannelError saying whether a retry can help.
import type { Locale } from '../i18n/locale.ts';

export const CHANNEL_NAMES = ['whatsapp', 'email', 'sms'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The approved WhatsApp templates an operator registers (WHATSAPP_TEMPLATES), one per purpose. */
export const WHATSAPP_TEMPLATE_NAMES = ['credentials', 'mfa', 'consent', 'reminder', 'new_link'] as const;
export type WhatsAppTemplateName = (typeof WHATSAPP_TEMPLATE_NAMES)[number];

/** Content SIDs (HX…) per template and locale, from WHATSAPP_TEMPLATES; "*" stands for every locale without its own. */
export type WhatsAppTemplates = Record<WhatsAppTemplateName, Partial<Record<Locale | '*', string>>>;

/**
 * A WhatsApp message is a Twilio Content template: which one, in which language, and its
 * variables exactly as CONTRACT.md fixes them ("1" brand, "2" institution, "3" link, "4" token).
 */
export interface WhatsAppContent {
  template: WhatsAppTemplateName;
  locale: Locale;
  variables: { '1': string; '2': string; '3': string; '4': string };
  /** The URL-button variant as the person sees it: its text, and the button under it. */
  withButton: { text: string; label: string; url: string };
}

export interface RenderedMessage {
  /** An e-mail address or an E.164 phone number. */
  to: string;
  /** E-mail only. */
  subject?: string;
  /** The words as the person reads them (for WhatsApp, the reference template with its variables filled in). */
  text: string;
  /** E-mail only. */
  html?: string;
  /** WhatsApp only. */
  whatsapp?: WhatsAppContent;
}

export interface Channel {
  readonly name: ChannelName;
  send(message: RenderedMessage): Promise<{ providerId: string }>;
}

export class ChannelError extends Error {
  /** True when sending the same message again cannot succeed (SMTP 5xx, Twilio 4xx). */
  readonly permanent: boolean;
  /** A short, stable description for the case timeline: "smtp 550", "twilio 21211", "timeout". */
  readonly code: string;
  /** What the code means, when we know (Twilio's WhatsApp codes): "not_on_whatsapp". */
  readonly reason: string | undefined;

  constructor(code: string, message: string, permanent: boolean, reason?: string) {
    super(message);
    this.name = 'ChannelError';
    this.code = code;
    this.permanent = permanent;
    this.reason = reason;
  }
}
