// Turns "this case needs this person" into the exact message a channel sends, signed with the
// operator's brand: subject, text and HTML for e-mail, one GSM-7 segment for SMS, a Content
// template and its variables for WhatsApp. Every message carries the portal link exactly once per
// part (CONTRACT.md), so the HTML shows it only as the button's target.
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { z } from 'zod';
import { supportLinks, type Brand } from '../brand/brand.ts';
import type { ChannelName, RenderedMessage, WhatsAppContent, WhatsAppTemplateName } from '../channels/channel.ts';
import { dateFormat } from '../i18n/date-format.ts';
import { languageTag, LOCALES, type Locale } from '../i18n/locale.ts';
import { CASE_KINDS, type CaseKind } from '../cases/case-types.ts';
import { copyFor, whatsAppBody, type ConsentSituation, type CopyFacts, type EmailCopy } from './message-copy.ts';
import { MESSAGE_TEMPLATES, type MessageTemplate } from './message-templates.ts';
import { fitsOneGsm7Segment, toGsm7 } from './sms-encoding.ts';

export interface MessageContext {
  template: MessageTemplate;
  caseKind: CaseKind;
  webhookCode?: string | null;
  locale: Locale;
  /** PUBLIC_URL/r/<token>: one SMS segment holds it with a PUBLIC_URL of up to 40 characters. */
  portalUrl: string;
  userName?: string | null;
  institutionName?: string | null;
  /** ISO 8601 date or instant. */
  consentDueDate?: string | null;
}

export type MessageRenderer = (channel: ChannelName, to: string, context: MessageContext) => Promise<RenderedMessage>;

const messageContextSchema = z.object({
  template: z.enum(MESSAGE_TEMPLATES),
  caseKind: z.enum(CASE_KINDS),
  webhookCode: z.string().nullish(),
  locale: z.enum(LOCALES),
  portalUrl: z.url({ protocol: /^https?$/ }).regex(/\/r\/[A-Za-z0-9_-]+$/, 'must end in /r/<token>'),
  userName: z.string().nullish(),
  institutionName: z.string().nullish(),
  consentDueDate: z.string().nullish(),
}) satisfies z.ZodType<MessageContext>;

const EMAIL_VIEW = fileURLToPath(new URL('../../views/messages/email.ejs', import.meta.url));

/** The longest bank name an SMS carries; longer ones are cut at a word (CONTRACT.md's SMS budget). */
export const SMS_INSTITUTION_MAX = 20;

// Belvo gives the due date as an instant; the day is named in the user's likely time zone (Brazil
// for Portuguese, Mexico, the westernmost Spanish market, otherwise) so it is never a day late.
const DUE_DATE_TIME_ZONE: Record<Locale, string> = {
  es: 'America/Mexico_City',
  'pt-BR': 'America/Sao_Paulo',
  en: 'America/Mexico_City',
};

// SMS: day and month only, since a consent is renewed within weeks; the month spelled out in
// English, where 03/04 reads differently on either side of the Atlantic.
const SHORT_DATE: Record<Locale, Intl.DateTimeFormatOptions> = {
  es: { day: '2-digit', month: '2-digit' },
  'pt-BR': { day: '2-digit', month: '2-digit' },
  en: { month: 'short', day: 'numeric' },
};

function formatDueDate(iso: string | null | undefined, locale: Locale, style: 'long' | 'short'): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  // A bare date has no instant to convert: it is that day wherever the user is.
  const timeZone = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? 'UTC' : DUE_DATE_TIME_ZONE[locale];
  const options: Intl.DateTimeFormatOptions = style === 'long' ? { dateStyle: 'long' } : SHORT_DATE[locale];
  return dateFormat(languageTag(locale), { ...options, timeZone }).format(date);
}

/** Free text from the operator's records: one line, and absent when blank. */
function oneLine(value: string | null | undefined): string | undefined {
  const cleaned = value?.replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

/**
 * What a consent webhook means for the person. An unknown code with no due date reads as expired,
 * the case that needs them most; "unrecoverable resources" asks them to connect again.
 */
export function consentSituation(webhookCode: string | null | undefined, dueDate: string | null | undefined): ConsentSituation {
  switch (webhookCode) {
    case 'openfinance_consent_with_unrecoverable_resources':
      return 'reconnect';
    case 'openfinance_consent_with_temporarily_unavailable_resources':
      return 'unavailable';
    case 'openfinance_consent_expired':
    case 'consent_expired':
      return 'expired';
    case 'openfinance_consent_about_to_expire':
    case 'openfinance_consent_expiration_changed':
      return 'expiring';
    default:
      return dueDate ? 'expiring' : 'expired';
  }
}

function copyFacts(brand: Brand, ctx: MessageContext, dueDateStyle: 'long' | 'short'): CopyFacts {
  return {
    brand: brand.name,
    template: ctx.template,
    caseKind: ctx.caseKind,
    consent: ctx.caseKind === 'consent' ? consentSituation(ctx.webhookCode, ctx.consentDueDate) : undefined,
    userName: oneLine(ctx.userName),
    institution: oneLine(ctx.institutionName),
    dueDate: formatDueDate(ctx.consentDueDate, ctx.locale, dueDateStyle),
  };
}

function supportLines(brand: Brand, copy: EmailCopy): string[] {
  const links = supportLinks(brand.support);
  if (links.length === 0) return [];
  const shown = links.map((link) => `${copy.supportLabels[link.kind]}: ${link.kind === 'url' ? link.href : link.text}`);
  return [copy.supportIntro, ...shown];
}

/** The plain-text part, for clients that show no HTML: complete on its own, the link on a line of its own. */
function emailText(brand: Brand, copy: EmailCopy, portalUrl: string): string {
  const footer = [...supportLines(brand, copy), '', copy.footer].join('\n').trim();
  return [
    copy.greeting,
    ...copy.intro,
    `${copy.action}\n${portalUrl}`,
    copy.personal,
    copy.ifIgnored,
    copy.safety,
    copy.signature,
    `-- \n${footer}`,
  ].join('\n\n');
}

async function renderEmail(brand: Brand, to: string, ctx: MessageContext): Promise<RenderedMessage> {
  const copy = copyFor(ctx.locale).email(copyFacts(brand, ctx, 'long'));
  const html = await ejs.renderFile(
    EMAIL_VIEW,
    { lang: languageTag(ctx.locale), copy, brand, support: supportLinks(brand.support), portalUrl: ctx.portalUrl },
    { cache: true },
  );
  return { to, subject: copy.subject, text: emailText(brand, copy, ctx.portalUrl), html };
}

function gsm7(value: string | undefined): string | undefined {
  return value === undefined ? undefined : toGsm7(value) || undefined;
}

/** "Caixa Econômica Federal" → "Caixa Econômica": whole words while they fit, else a hard cut. */
export function shortenName(name: string, max: number): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max + 1);
  const atWord = cut.slice(0, cut.lastIndexOf(' ')).replace(/[\s,.;:&-]+$/, '');
  return atWord.length >= max / 2 ? atWord : name.slice(0, max).trim();
}

/**
 * "<brand>: <text> <link>", the richest text that still fits one GSM-7 segment: the greeting by
 * name goes first, then longer wordings, and only as a last resort the bank's name (with a
 * PUBLIC_URL longer than CONTRACT.md's 40 characters).
 */
function renderSms(brand: Brand, to: string, ctx: MessageContext): RenderedMessage {
  const facts = copyFacts(brand, ctx, 'short');
  const institution = gsm7(facts.institution);
  const named: CopyFacts = {
    ...facts,
    userName: undefined,
    institution: institution && shortenName(institution, SMS_INSTITUTION_MAX),
    dueDate: gsm7(facts.dueDate),
  };
  const copy = copyFor(ctx.locale);
  const texts = [...new Set([...copy.sms(named), ...copy.sms({ ...named, institution: undefined })])];
  const name = gsm7(facts.userName);
  const signature = gsm7(brand.name) ?? brand.name;
  const candidates = texts
    .flatMap((text) => (name ? [copy.smsGreeting(name) + text, text] : [text]))
    .map((text) => `${signature}: ${text} ${ctx.portalUrl}`);
  return { to, text: candidates.find(fitsOneGsm7Segment) ?? candidates[candidates.length - 1]! };
}

/** The WhatsApp template of a message: the case's kind for a first message, else the message's purpose. */
export function whatsAppTemplateOf(template: MessageTemplate, caseKind: CaseKind): WhatsAppTemplateName {
  return template === 'remediation' ? caseKind : template;
}

export function fillTemplate(body: string, variables: Record<string, string>): string {
  return body.replace(/\{\{(\d)\}\}/g, (whole, n: string) => variables[n] ?? whole);
}

function renderWhatsApp(brand: Brand, to: string, ctx: MessageContext): RenderedMessage {
  const copy = copyFor(ctx.locale).whatsapp;
  const template = whatsAppTemplateOf(ctx.template, ctx.caseKind);
  const token = ctx.portalUrl.slice(ctx.portalUrl.lastIndexOf('/') + 1);
  const variables: WhatsAppContent['variables'] = {
    '1': brand.name,
    '2': oneLine(ctx.institutionName) ?? copy.someBank,
    '3': ctx.portalUrl,
    '4': token,
  };
  return {
    to,
    text: fillTemplate(whatsAppBody(copy, template, 'link'), variables),
    whatsapp: {
      template,
      locale: ctx.locale,
      variables,
      withButton: { text: fillTemplate(whatsAppBody(copy, template, 'button'), variables), label: copy.button, url: ctx.portalUrl },
    },
  };
}

export function createMessageRenderer(brand: Brand): MessageRenderer {
  return async (channel, to, context) => {
    const ctx = messageContextSchema.parse(context);
    if (channel === 'email') return renderEmail(brand, to, ctx);
    if (channel === 'whatsapp') return renderWhatsApp(brand, to, ctx);
    return renderSms(brand, to, ctx);
  };
}
