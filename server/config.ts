// Every environment variable the portal reads, parsed once at start-up. A bad value fails here,
// with the variable named, rather than on the first request that needs it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { BRAND_NAME_MAX, createBrand, DEMO_BRAND_NAME, type Brand } from './brand/brand.ts';
import type { ChannelPolicy } from './channels/channel-choice.ts';
import { CHANNEL_NAMES, type ChannelName } from './channels/channel.ts';
import { channelPolicy, dkimConfig, mailFrom, twilioConfig, whatsAppConfig } from './channels/channel-config.ts';
import type { ChannelSettings } from './channels/channel-registry.ts';
import { ConfigError } from './config-error.ts';
import { operatorWebhookConfig, type OperatorWebhookConfig } from './operator-webhooks/webhook-config.ts';
import { LOG_LEVELS, type LogLevel } from './logger.ts';
import { DEFAULT_REMINDER_CONFIG, type ReminderConfig } from './reminders/reminder-schedule.ts';
import { DEFAULT_STORM_GUARD, parseStormGuard, type StormGuardConfig } from './storm/storm-config.ts';
import { parseWebhookAuth, WEBHOOK_AUTH_FORMS } from './webhooks/webhook-auth.ts';
import { canonicalConsentCode, CONSENT_CODES, DEFAULT_CONSENT_CODES_TO_NOTIFY } from './belvo/belvo-webhooks.ts';

const BELVO_BASE_URLS = {
  sandbox: 'https://sandbox.belvo.com',
  production: 'https://api.belvo.com',
} as const;

const DEFAULT_WIDGET_URL = 'https://widget.belvo.io/';
const DEFAULT_MY_BELVO_PORTAL_URL = 'https://meuportal.belvo.com/?mode=landing';
/** What Belvo's own OFDA example sends; the demo has no terms of its own. */
const DEMO_OPEN_FINANCE_TERMS_URL = 'https://www.belvo.com/terms-service/';
/** Shown to the person in Belvo's consent screen (in Portuguese, as the Open Finance widget is). */
/** Belvo shows it on its consent screen, in Portuguese: the operator's app, named as everywhere else. */
const defaultOpenFinancePurpose = (brandName: string) =>
  `Manter atualizados em ${brandName} os dados das contas que você escolher compartilhar.`;

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * True for an absolute http(s) URL (https only when `httpsOnly`) that carries no user name or
 * password. A URL we render (in a page, a message, a redirect) is read by everyone who sees it, and
 * `https://user:pass@host/` both leaks those credentials and is a classic phishing disguise; a URL we
 * call has no business carrying them either (credentials go in headers).
 */
export function isSafeWebUrl(value: string, options: { httpsOnly?: boolean } = {}): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const schemes = options.httpsOnly ? ['https:'] : ['http:', 'https:'];
  return schemes.includes(url.protocol) && url.hostname !== '' && url.username === '' && url.password === '';
}

/** The one validator of every http(s) URL variable. */
export function webUrl(options: { httpsOnly?: boolean } = {}) {
  const schemes = options.httpsOnly ? 'an https' : 'an http(s)';
  return z.string().refine((value) => isSafeWebUrl(value, options), {
    message: `must be ${schemes} URL without a user name or password in it`,
  });
}

const httpUrl = webUrl();

const E164 = /^\+[1-9]\d{6,14}$/;
const TWILIO_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** "24,72" → [24, 72]; "none" → no reminders at all. */
const numberList = (fallback: number[]) =>
  optionalString.transform((v, ctx) => {
    if (v === undefined) return fallback;
    if (v === 'none') return [];
    const values = v.split(',').map((part) => Number(part.trim()));
    if (values.some((n) => !Number.isFinite(n) || n <= 0)) {
      ctx.addIssue({ code: 'custom', message: 'must be positive numbers separated by commas, or "none"' });
      return z.NEVER;
    }
    return values;
  });

const stormGuard = optionalString.transform((v, ctx): StormGuardConfig | undefined => {
  const parsed = parseStormGuard(v ?? DEFAULT_STORM_GUARD);
  if (!(parsed instanceof Error)) return parsed;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});

/** Unset: no limit. */
const perSecond = optionalString.pipe(
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number of messages a second')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(100_000))
    .optional(),
);

const REMEDIATION_PATHS = ['widget', 'form'] as const;
export type RemediationPath = (typeof REMEDIATION_PATHS)[number];

/**
 * "widget,form" → both; each word must be one of `allowed` (after `canonical`, which spells an alias
 * the one way the rest of the code knows), and at least one is needed.
 */
function wordList<T extends string>(allowed: readonly T[], fallback: T[], noneAllowed: boolean, canonical = (w: string) => w) {
  return optionalString.transform((v, ctx): T[] => {
    if (v === undefined) return fallback;
    if (noneAllowed && v === 'none') return [];
    const words = v.split(',').map((w) => canonical(w.trim()));
    const bad = words.filter((w) => !(allowed as readonly string[]).includes(w));
    if (bad.length > 0 || words.length === 0) {
      ctx.addIssue({ code: 'custom', message: `must be a comma list of ${allowed.join(', ')}${noneAllowed ? ', or "none"' : ''}` });
      return z.NEVER;
    }
    return [...new Set(words as T[])];
  });
}

const envSchema = z.object({
  NODE_ENV: optionalString,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalString.pipe(httpUrl.optional()),
  DATABASE_URL: optionalString,
  APP_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  BELVO_SECRET_ID: optionalString,
  BELVO_SECRET_PASSWORD: optionalString,
  BELVO_ENV: z.enum(['sandbox', 'production']).default('sandbox'),
  BELVO_API_URL: optionalString.pipe(httpUrl.optional()),
  BELVO_WEBHOOK_AUTH: optionalString.pipe(
    z
      .string()
      .refine((v) => parseWebhookAuth(v) !== undefined, `must be ${WEBHOOK_AUTH_FORMS}`)
      .optional(),
  ),
  BELVO_PAYMENTS_SECRET_ID: optionalString,
  BELVO_PAYMENTS_SECRET_PASSWORD: optionalString,
  BELVO_WIDGET_URL: optionalString.pipe(httpUrl.optional()),
  MY_BELVO_PORTAL_URL: optionalString.pipe(httpUrl.optional()),
  OPEN_FINANCE_TERMS_URL: optionalString.pipe(webUrl({ httpsOnly: true }).optional()),
  OPEN_FINANCE_PURPOSE: optionalString.pipe(z.string().max(500, 'must be at most 500 characters').optional()),
  REMEDIATION_PATHS: wordList(REMEDIATION_PATHS, [...REMEDIATION_PATHS], false),
  CONSENT_CODES_TO_NOTIFY: wordList(CONSENT_CODES, [...DEFAULT_CONSENT_CODES_TO_NOTIFY], true, canonicalConsentCode),
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(10),
  MAIL_FROM: optionalString,
  DKIM_DOMAIN: optionalString.pipe(
    z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i, 'must be a domain name such as fintech.com')
      .optional(),
  ),
  DKIM_SELECTOR: optionalString.pipe(
    z.string().regex(/^[a-z0-9]([a-z0-9._-]{0,62})$/i, 'must be a DNS label such as relink2026').optional(),
  ),
  DKIM_PRIVATE_KEY: optionalString,
  BRAND_NAME: optionalString.pipe(
    z
      .string()
      .max(BRAND_NAME_MAX, `must be at most ${BRAND_NAME_MAX} characters: it signs SMS messages that must stay one segment`)
      .regex(/^[^\p{Cc}]+$/u, 'must be one line of text')
      .optional(),
  ),
  BRAND_LOGO_URL: optionalString.pipe(webUrl({ httpsOnly: true }).optional()),
  BRAND_COLOR: optionalString.pipe(z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb').optional()),
  SUPPORT_URL: optionalString.pipe(httpUrl.optional()),
  SUPPORT_EMAIL: optionalString.pipe(z.email('must be an e-mail address').optional()),
  SUPPORT_PHONE: optionalString.pipe(
    z
      .string()
      .regex(/^\+?[\d ().-]{6,24}$/, 'must be a phone number such as +52 55 1234 5678')
      .refine((v) => v.replace(/\D/g, '').length >= 6 && v.replace(/\D/g, '').length <= 15, 'must have 6 to 15 digits')
      .optional(),
  ),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString.pipe(
    z
      .string()
      .refine((v) => E164.test(v) || TWILIO_SERVICE_SID.test(v), 'must be an E.164 number or a Messaging Service SID (MG…)')
      .optional(),
  ),
  TWILIO_API_URL: optionalString.pipe(httpUrl.optional()),
  TWILIO_WHATSAPP_FROM: optionalString.pipe(
    z
      .string()
      .refine(
        (v) => (v.startsWith('whatsapp:') && E164.test(v.slice('whatsapp:'.length))) || TWILIO_SERVICE_SID.test(v),
        'must be whatsapp:+<E.164 number> or a Messaging Service SID (MG…) with a WhatsApp sender',
      )
      .optional(),
  ),
  WHATSAPP_TEMPLATES: optionalString,
  CHANNEL_ORDER: wordList(CHANNEL_NAMES, [], false),
  OPERATOR_API_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
  LINK_TTL_HOURS: z.coerce.number().positive().default(72),
  MESSAGE_COOLDOWN_MINUTES: z.coerce.number().min(0).default(60),
  REMINDER_SCHEDULE_HOURS: numberList(DEFAULT_REMINDER_CONFIG.reminderHours),
  CONSENT_REMINDER_DAYS: numberList(DEFAULT_REMINDER_CONFIG.consentReminderDays),
  CASE_EXPIRY_DAYS: z.coerce.number().positive().default(DEFAULT_REMINDER_CONFIG.expiryMs / 86_400_000),
  DATA_DIR: z.string().default('./data'),
  TRUST_PROXY: optionalString,
  RELINK_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  WORKER_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  EVENT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(500).optional(),
  STORM_GUARD: stormGuard,
  RETENTION_DAYS: z.coerce.number().positive().default(180),
  EMAIL_RATE_PER_SECOND: perSecond,
  SMS_RATE_PER_SECOND: perSecond,
  WHATSAPP_RATE_PER_SECOND: perSecond,
  OPERATOR_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
  OPERATOR_WEBHOOK_SECRET: optionalString,
  OPERATOR_WEBHOOK_ALLOW_LOCAL: optionalString.pipe(z.enum(['true', 'false'], { message: 'must be true or false' }).optional()),
  METRICS_TOKEN: optionalString.pipe(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).default('info')),
});

/** SMTP_*, MAIL_FROM, DKIM_*, TWILIO_* and WHATSAPP_TEMPLATES are the channels' settings (channel-registry.ts). */
export interface Config extends ChannelSettings {
  production: boolean;
  port: number;
  publicUrl: string;
  databaseUrl: string;
  dataDir: string;
  appSecret: string;
  belvo: {
    /** Unset credentials select the built-in simulator, mounted under /sandbox/belvo. */
    simulator: boolean;
    secretId: string;
    secretPassword: string;
    apiUrl: string;
    widgetUrl: string;
    webhookAuth: string | undefined;
    /** Belvo's separate payments API keys (payments prerequisites page), for register-webhook; else the secret keys. */
    payments: { secretId: string; secretPassword: string };
  };
  myBelvoPortalUrl: string;
  /**
   * Brazilian Open Finance connections made again through Belvo's widget: the operator's terms
   * (OPEN_FINANCE_TERMS_URL; unset in production: users are sent to the operator's app instead)
   * and the purpose shown in Belvo's consent screen (OPEN_FINANCE_PURPOSE).
   */
  openFinance: { termsUrl: string | undefined; purpose: string };
  /** What a credentials or MFA page offers (REMEDIATION_PATHS): Belvo's Connect widget, our own form, or both. */
  remediationPaths: RemediationPath[];
  /** Consent webhook codes that message the user (CONSENT_CODES_TO_NOTIFY); the others are recorded only. */
  consentCodesToNotify: string[];
  /** BRAND_*, SUPPORT_*: who end users see behind every message and page. */
  brand: Brand;
  /** CHANNEL_ORDER, and which channels this deployment can use. */
  channelPolicy: ChannelPolicy;
  operatorApiKey: string;
  adminPassword: string;
  /** True when the admin password was generated here and should be printed at start. */
  adminPasswordGenerated: boolean;
  linkTtlMs: number;
  messageCooldownMs: number;
  /** Reminders of unanswered cases and when those cases expire (REMINDER_SCHEDULE_HOURS, CONSENT_REMINDER_DAYS, CASE_EXPIRY_DAYS). */
  reminders: ReminderConfig;
  /** Express's "trust proxy": how to read the client's address behind a load balancer. Unset: trust none. */
  trustProxy: boolean | number | string | undefined;
  /** What this process runs (RELINK_ROLE): the web server, the background worker, or both. */
  role: 'web' | 'worker' | 'all';
  worker: {
    /** Worker threads in a process that runs the worker (WORKER_THREADS); they share the limits below and SMTP_MAX_CONNECTIONS. */
    threads: number;
    /** Events of different links handled at once (EVENT_CONCURRENCY). */
    eventConcurrency: number;
    /** Messages being sent at once (SEND_CONCURRENCY). */
    sendConcurrency: number;
  };
  /** STORM_GUARD; undefined when off. */
  stormGuard: StormGuardConfig | undefined;
  /** RETENTION_DAYS: how long closed cases and what they hold are kept. */
  retentionMs: number;
  /** *_RATE_PER_SECOND: the most messages a second per channel across every instance; absent: unlimited. */
  sendRates: Partial<Record<ChannelName, number>>;
  /** OPERATOR_WEBHOOK_*: where and how Relink posts its own events; undefined when off. */
  operatorWebhook: OperatorWebhookConfig | undefined;
  /** GET /metrics: open (no METRICS_TOKEN, outside production), behind a Bearer token, or not served at all. */
  metrics: { token: string } | 'open' | 'off';
  /** LOG_LEVEL: the least severe level written. */
  logLevel: LogLevel;
}

export { ConfigError };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

interface DemoSecrets {
  appSecret: string;
  operatorApiKey: string;
  adminPassword: string;
}

/** Outside production, secrets nobody set are generated once and kept under the data folder. */
function loadDemoSecrets(dataDir: string): DemoSecrets {
  const file = resolve(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoSecrets;
  const secrets: DemoSecrets = {
    appSecret: randomBytes(32).toString('base64url'),
    operatorApiKey: randomBytes(24).toString('base64url'),
    adminPassword: randomBytes(12).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function requireInProduction(env: z.infer<typeof envSchema>): void {
  const missing = (['APP_SECRET', 'BELVO_WEBHOOK_AUTH', 'OPERATOR_API_KEY', 'ADMIN_PASSWORD', 'BRAND_NAME'] as const).filter(
    (name) => env[name] === undefined,
  );
  if (missing.length > 0) throw new ConfigError(`NODE_ENV=production requires ${missing.join(', ')}`);
  if (env.SUPPORT_URL === undefined && env.SUPPORT_EMAIL === undefined && env.SUPPORT_PHONE === undefined) {
    throw new ConfigError('NODE_ENV=production requires at least one of SUPPORT_URL, SUPPORT_EMAIL, SUPPORT_PHONE: end users must be told how to reach support');
  }
}

/** "true", a hop count, or Express's own list of addresses and names ("loopback, 10.0.0.0/8"). */
function trustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Payments keys come as a pair, and only beside the secret keys: without those, the demo's simulator answers. */
function checkPaymentsKeys(env: z.infer<typeof envSchema>, simulator: boolean): void {
  const id = env.BELVO_PAYMENTS_SECRET_ID;
  const password = env.BELVO_PAYMENTS_SECRET_PASSWORD;
  if ((id === undefined) !== (password === undefined)) {
    throw new ConfigError('BELVO_PAYMENTS_SECRET_ID and BELVO_PAYMENTS_SECRET_PASSWORD must be set together');
  }
  if (id !== undefined && simulator) {
    throw new ConfigError('BELVO_PAYMENTS_SECRET_ID and BELVO_PAYMENTS_SECRET_PASSWORD need BELVO_SECRET_ID and BELVO_SECRET_PASSWORD');
  }
}

function sendRates(env: z.infer<typeof envSchema>): Config['sendRates'] {
  const limits: Record<ChannelName, number | undefined> = {
    email: env.EMAIL_RATE_PER_SECOND,
    sms: env.SMS_RATE_PER_SECOND,
    whatsapp: env.WHATSAPP_RATE_PER_SECOND,
  };
  return Object.fromEntries(Object.entries(limits).filter(([, limit]) => limit !== undefined));
}

/**
 * Sends in flight when SEND_CONCURRENCY is not set: 32, or twice the SMTP connections when there are
 * more than 16. The outbox's lanes of 8 each wait for their slowest send before recording and
 * claiming again, so a connection stays busy only with a second send queued behind it: 32 in flight
 * left 40 connections to send 10,000 e-mails in 33.3 s where 64 took 25.3 s (README, Performance).
 */
function defaultSendConcurrency(smtpMaxConnections: number): number {
  return Math.max(32, 2 * smtpMaxConnections);
}

/**
 * The worker threads of a process share its limits out among them (worker-thread-share.ts), so
 * each must have at least one of every limit: one SMTP connection, one event, one send.
 */
function workerConfig(env: z.infer<typeof envSchema>): Config['worker'] {
  const worker = {
    threads: env.WORKER_THREADS,
    eventConcurrency: env.EVENT_CONCURRENCY,
    sendConcurrency: env.SEND_CONCURRENCY ?? defaultSendConcurrency(env.SMTP_MAX_CONNECTIONS),
  };
  const limits = { SMTP_MAX_CONNECTIONS: env.SMTP_MAX_CONNECTIONS, EVENT_CONCURRENCY: worker.eventConcurrency, SEND_CONCURRENCY: worker.sendConcurrency };
  for (const [name, limit] of Object.entries(limits)) {
    if (worker.threads > limit) {
      throw new ConfigError(`WORKER_THREADS (${worker.threads}) is more than ${name} (${limit}): the worker threads share the process's ${name} and each needs at least one`);
    }
  }
  return worker;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${describeIssues(parsed.error)}`);
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production) requireInProduction(env);
  if ((env.BELVO_SECRET_ID === undefined) !== (env.BELVO_SECRET_PASSWORD === undefined)) {
    throw new ConfigError('BELVO_SECRET_ID and BELVO_SECRET_PASSWORD must be set together');
  }
  const simulator = env.BELVO_SECRET_ID === undefined;
  if (production && simulator) throw new ConfigError('NODE_ENV=production requires BELVO_SECRET_ID and BELVO_SECRET_PASSWORD');
  checkPaymentsKeys(env, simulator);

  const dataDir = resolve(env.DATA_DIR);
  const demo = production ? undefined : loadDemoSecrets(dataDir);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  const simulatorSecret = demo?.appSecret.slice(0, 16) ?? '';
  const brandName = env.BRAND_NAME ?? DEMO_BRAND_NAME;
  const twilio = twilioConfig({
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    smsFrom: env.TWILIO_FROM,
    whatsappFrom: env.TWILIO_WHATSAPP_FROM,
    apiUrl: env.TWILIO_API_URL,
  });
  const whatsapp = whatsAppConfig(env.TWILIO_WHATSAPP_FROM, env.WHATSAPP_TEMPLATES);

  return {
    production,
    port: env.PORT,
    publicUrl,
    databaseUrl: env.DATABASE_URL ?? `file:${resolve(dataDir, 'relink.db')}`,
    dataDir,
    appSecret: env.APP_SECRET ?? demo!.appSecret,
    belvo: {
      simulator,
      secretId: env.BELVO_SECRET_ID ?? 'simulator',
      secretPassword: env.BELVO_SECRET_PASSWORD ?? simulatorSecret,
      // The built-in simulator is called over loopback, whatever PUBLIC_URL says.
      apiUrl: (env.BELVO_API_URL ?? (simulator ? `http://127.0.0.1:${env.PORT}/sandbox/belvo` : BELVO_BASE_URLS[env.BELVO_ENV])).replace(/\/+$/, ''),
      widgetUrl: env.BELVO_WIDGET_URL ?? (simulator ? `${publicUrl}/sandbox/belvo/widget/` : DEFAULT_WIDGET_URL),
      webhookAuth: env.BELVO_WEBHOOK_AUTH,
      payments: {
        secretId: env.BELVO_PAYMENTS_SECRET_ID ?? env.BELVO_SECRET_ID ?? 'simulator',
        secretPassword: env.BELVO_PAYMENTS_SECRET_PASSWORD ?? env.BELVO_SECRET_PASSWORD ?? simulatorSecret,
      },
    },
    myBelvoPortalUrl: env.MY_BELVO_PORTAL_URL ?? DEFAULT_MY_BELVO_PORTAL_URL,
    openFinance: {
      termsUrl: env.OPEN_FINANCE_TERMS_URL ?? (simulator ? DEMO_OPEN_FINANCE_TERMS_URL : undefined),
      purpose: env.OPEN_FINANCE_PURPOSE ?? defaultOpenFinancePurpose(brandName),
    },
    remediationPaths: env.REMEDIATION_PATHS,
    consentCodesToNotify: env.CONSENT_CODES_TO_NOTIFY,
    brand: createBrand({
      name: brandName,
      logoUrl: env.BRAND_LOGO_URL,
      color: env.BRAND_COLOR,
      support: {
        ...(env.SUPPORT_URL ? { url: env.SUPPORT_URL } : {}),
        ...(env.SUPPORT_EMAIL ? { email: env.SUPPORT_EMAIL } : {}),
        ...(env.SUPPORT_PHONE ? { phone: env.SUPPORT_PHONE } : {}),
      },
    }),
    smtpUrl: env.SMTP_URL,
    smtpMaxConnections: env.SMTP_MAX_CONNECTIONS,
    mailFrom: mailFrom(env.MAIL_FROM, brandName),
    dkim: dkimConfig({ domain: env.DKIM_DOMAIN, selector: env.DKIM_SELECTOR, privateKey: env.DKIM_PRIVATE_KEY }),
    twilio,
    whatsapp,
    channelPolicy: channelPolicy(env.CHANNEL_ORDER, twilio, whatsapp),
    operatorApiKey: env.OPERATOR_API_KEY ?? demo!.operatorApiKey,
    adminPassword: env.ADMIN_PASSWORD ?? demo!.adminPassword,
    adminPasswordGenerated: env.ADMIN_PASSWORD === undefined,
    linkTtlMs: env.LINK_TTL_HOURS * 3_600_000,
    messageCooldownMs: env.MESSAGE_COOLDOWN_MINUTES * 60_000,
    reminders: {
      reminderHours: [...env.REMINDER_SCHEDULE_HOURS].sort((a, b) => a - b),
      consentReminderDays: env.CONSENT_REMINDER_DAYS,
      expiryMs: env.CASE_EXPIRY_DAYS * 86_400_000,
      sendWindow: DEFAULT_REMINDER_CONFIG.sendWindow,
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    role: env.RELINK_ROLE,
    worker: workerConfig(env),
    stormGuard: env.STORM_GUARD,
    retentionMs: env.RETENTION_DAYS * 86_400_000,
    sendRates: sendRates(env),
    operatorWebhook: operatorWebhookConfig({
      url: env.OPERATOR_WEBHOOK_URL,
      secret: env.OPERATOR_WEBHOOK_SECRET,
      allowLocal: env.OPERATOR_WEBHOOK_ALLOW_LOCAL === 'true',
      production,
    }),
    metrics: env.METRICS_TOKEN ? { token: env.METRICS_TOKEN } : production ? 'off' : 'open',
    logLevel: env.LOG_LEVEL,
  };
}
