// The channel settings of config.ts, checked as a whole once each variable has parsed: which
// Twilio senders go together, WHATSAPP_TEMPLATES covering every template and language,
// CHANNEL_ORDER naming only channels that are set up, MAIL_FROM and its display name, and a DKIM
// key that really is one. Each problem stops the start and names its variable.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config-error.ts';
import { LOCALES } from '../i18n/locale.ts';
import type { ChannelPolicy } from './channel-choice.ts';
import { WHATSAPP_TEMPLATE_NAMES, type ChannelName, type WhatsAppTemplates } from './channel.ts';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** TWILIO_FROM, the SMS sender; unset when Twilio sends WhatsApp only. */
  from: string | undefined;
  apiUrl: string | undefined;
}

export interface WhatsAppConfig {
  from: string;
  templates: WhatsAppTemplates;
}

export interface MailFrom {
  name: string;
  address: string;
}

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** PEM text of an RSA private key, already checked to parse. */
  privateKey: string;
}

export function twilioConfig(input: {
  accountSid: string | undefined;
  authToken: string | undefined;
  smsFrom: string | undefined;
  whatsappFrom: string | undefined;
  apiUrl: string | undefined;
}): TwilioConfig | undefined {
  const account = [input.accountSid, input.authToken];
  // Without an account, a WhatsApp sender alone means the dev inbox; an SMS sender alone is a mistake.
  if (account.every((p) => p === undefined) && input.smsFrom === undefined) return undefined;
  if (account.some((p) => p === undefined) || (input.smsFrom === undefined && input.whatsappFrom === undefined)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together, with TWILIO_FROM, TWILIO_WHATSAPP_FROM or both');
  }
  return { accountSid: input.accountSid!, authToken: input.authToken!, from: input.smsFrom, apiUrl: input.apiUrl };
}

const whatsAppTemplatesSchema = z.record(
  z.string(),
  z.record(z.string(), z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Twilio Content SID (HX followed by 32 hex digits)')),
);

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

/** Every template named, and each one available in every language a message may be written in. */
function whatsAppTemplates(raw: string | undefined): WhatsAppTemplates {
  const fail = (why: string) => new ConfigError(`WHATSAPP_TEMPLATES ${why}`);
  if (raw === undefined) throw fail(`is required with TWILIO_WHATSAPP_FROM: a Content SID for each of ${WHATSAPP_TEMPLATE_NAMES.join(', ')}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw fail('is not valid JSON: expected { "<template>": { "<locale>" or "*": "HX…" } }');
  }
  const parsed = whatsAppTemplatesSchema.safeParse(json);
  if (!parsed.success) throw fail(`is invalid: ${describeIssues(parsed.error)}`);
  const unknown = Object.keys(parsed.data).filter((name) => !(WHATSAPP_TEMPLATE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw fail(`names unknown templates: ${unknown.join(', ')} (known: ${WHATSAPP_TEMPLATE_NAMES.join(', ')})`);
  for (const name of WHATSAPP_TEMPLATE_NAMES) {
    const byLocale = parsed.data[name];
    if (!byLocale) throw fail(`is missing the template "${name}"`);
    const badLocales = Object.keys(byLocale).filter((key) => key !== '*' && !(LOCALES as readonly string[]).includes(key));
    if (badLocales.length > 0) throw fail(`"${name}" names unknown locales: ${badLocales.join(', ')} (known: ${LOCALES.join(', ')}, *)`);
    const uncovered = LOCALES.filter((locale) => !byLocale[locale] && !byLocale['*']);
    if (uncovered.length > 0) throw fail(`"${name}" has no template for ${uncovered.join(', ')} (and no "*")`);
  }
  return parsed.data as WhatsAppTemplates;
}

export function whatsAppConfig(from: string | undefined, templates: string | undefined): WhatsAppConfig | undefined {
  if (from === undefined) {
    if (templates !== undefined) throw new ConfigError('WHATSAPP_TEMPLATES is set but TWILIO_WHATSAPP_FROM is not');
    return undefined;
  }
  return { from, templates: whatsAppTemplates(templates) };
}

/** E-mail is always there (SMTP or the dev inbox); SMS unless Twilio is set up for WhatsApp alone. */
export function channelPolicy(
  channelOrder: readonly ChannelName[],
  twilio: TwilioConfig | undefined,
  whatsapp: WhatsAppConfig | undefined,
): ChannelPolicy {
  const available: ChannelName[] = ['email'];
  if (!twilio || twilio.from) available.push('sms');
  if (whatsapp) available.push('whatsapp');
  const missing = channelOrder.filter((channel) => !available.includes(channel));
  if (missing.length > 0) {
    const why: Record<ChannelName, string> = { whatsapp: 'TWILIO_WHATSAPP_FROM is unset', sms: 'TWILIO_FROM is unset', email: '' };
    throw new ConfigError(`CHANNEL_ORDER names ${missing.join(', ')}, but ${missing.map((c) => why[c]).join(' and ')}`);
  }
  const order: readonly ChannelName[] = channelOrder.length > 0 ? channelOrder : ['email', 'sms'];
  return { order: order.filter((channel) => available.includes(channel)), available };
}

/** RFC 5322 "Name <address>" or a bare address; the name defaults to the brand. */
export function mailFrom(value: string | undefined, brandName: string): MailFrom {
  if (value === undefined) return { name: brandName, address: 'no-reply@localhost' };
  const match = /^(?:"?([^"<>]*?)"?\s*<([^<>\s]+)>|<?([^<>\s]+)>?)$/.exec(value);
  const address = match?.[2] ?? match?.[3];
  if (!address || !z.email().safeParse(address).success) {
    throw new ConfigError('Invalid configuration: MAIL_FROM: must be an e-mail address, optionally as "Name <address>"');
  }
  return { name: match?.[1]?.trim() || brandName, address };
}

/** PEM text, with "\n" escapes as .env files write it, or the path of a PEM file. */
function dkimKey(value: string): string {
  let pem = value.replace(/\\n/g, '\n');
  if (!pem.includes('-----BEGIN')) {
    try {
      pem = readFileSync(resolve(value), 'utf8');
    } catch (err) {
      throw new ConfigError(`DKIM_PRIVATE_KEY is neither PEM text nor a readable file: ${(err as Error).message}`);
    }
  }
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ConfigError(`DKIM_PRIVATE_KEY does not parse as a private key: ${(err as Error).message}`);
  }
  // nodemailer signs with rsa-sha256 only; receivers ignore signatures from keys under 1024 bits (RFC 8301).
  if (key.asymmetricKeyType !== 'rsa') throw new ConfigError(`DKIM_PRIVATE_KEY must be an RSA key, not ${key.asymmetricKeyType}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new ConfigError(`DKIM_PRIVATE_KEY has ${bits} bits; DKIM needs at least 1024 (2048 recommended)`);
  return pem;
}

export function dkimConfig(input: { domain: string | undefined; selector: string | undefined; privateKey: string | undefined }): DkimConfig | undefined {
  const parts = [input.domain, input.selector, input.privateKey];
  if (parts.every((p) => p === undefined)) return undefined;
  if (parts.some((p) => p === undefined)) throw new ConfigError('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together');
  return { domainName: input.domain!.toLowerCase(), keySelector: input.selector!, privateKey: dkimKey(input.privateKey!) };
}
