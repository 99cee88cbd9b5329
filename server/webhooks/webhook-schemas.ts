// Belvo's webhook payloads, from the seeds. Every schema keeps unknown fields (Belvo adds fields over
// time); only what the portal acts on is required. A payload is unknown until it parses here.
import { z } from 'zod';
import { expirySecondsSchema, tokenGenerationDataSchema } from '../belvo/token-generation-data.ts';

const id = z.string().trim().min(1).max(100);

/** The core every webhook carries: aggregation webhooks name a link, payments webhooks an object. */
export const coreSchema = z.looseObject({
  webhook_id: id,
  webhook_type: z.string().trim().min(1).max(64),
  webhook_code: z.string().trim().min(1).max(100),
  link_id: id.optional(),
  object_id: id.optional(),
  external_id: z.string().max(200).nullish(),
  data: z.looseObject({}).default({}),
});

const linkBase = coreSchema.extend({ link_id: id });


export const invalidCredentialsSchema = linkBase.extend({
  webhook_type: z.literal('LINK'),
  webhook_code: z.literal('invalid_credentials'),
  data: z.looseObject({
    error_code: z.string().optional(),
    error_message: z.string().optional(),
    status: z.number().optional(),
  }),
});

export const tokenRequiredSchema = linkBase.extend({
  webhook_type: z.literal('LINK'),
  webhook_code: z.literal('token_required'),
  data: z.looseObject({
    error_code: z.string().optional(),
    error_message: z.string().optional(),
    status: z.number().optional(),
    session: z.string().trim().min(1).max(100),
    expiry: expirySecondsSchema.optional(),
    token_generation_data: tokenGenerationDataSchema.optional(),
  }),
});

export const accountsSchema = linkBase.extend({
  webhook_type: z.literal('ACCOUNTS'),
  webhook_code: z.enum(['historical_update', 'new_accounts_available']),
  data: z.looseObject({
    total_accounts: z.number().int().nonnegative().optional(),
    new_accounts: z.number().int().nonnegative().optional(),
  }),
});

export const CONSENT_CODES = [
  'openfinance_consent_about_to_expire',
  'openfinance_consent_expired',
  'openfinance_consent_with_unrecoverable_resources',
  'openfinance_consent_with_temporarily_unavailable_resources',
] as const;

export const consentSchema = linkBase.extend({
  webhook_type: z.literal('CONSENT'),
  webhook_code: z.enum(CONSENT_CODES),
  data: z.looseObject({
    consent_id: z.string().optional(),
    consent_due_date: z.iso.datetime({ offset: true }).optional(),
    action: z.string().optional(),
    institution: z.string().optional(),
    institution_display_name: z.string().optional(),
    institution_icon_logo: z.string().optional(),
    message: z.string().optional(),
  }),
});

export const PAYMENTS_TYPES = ['BANK_ACCOUNTS', 'PAYMENT_INTENTS', 'TRANSACTIONS'] as const;

export const paymentsSchema = coreSchema.extend({
  webhook_type: z.enum(PAYMENTS_TYPES),
  object_id: id,
});

export type InvalidCredentialsWebhook = z.infer<typeof invalidCredentialsSchema>;
export type TokenRequiredWebhook = z.infer<typeof tokenRequiredSchema>;
export type AccountsWebhook = z.infer<typeof accountsSchema>;
export type ConsentWebhook = z.infer<typeof consentSchema>;
export type PaymentsWebhook = z.infer<typeof paymentsSchema>;
export type CoreWebhook = z.infer<typeof coreSchema>;

export type Webhook =
  | { kind: 'invalid_credentials'; payload: InvalidCredentialsWebhook }
  | { kind: 'token_required'; payload: TokenRequiredWebhook }
  | { kind: 'accounts'; payload: AccountsWebhook }
  | { kind: 'consent'; payload: ConsentWebhook }
  | { kind: 'payments'; payload: PaymentsWebhook }
  | { kind: 'unknown'; payload: CoreWebhook };

export type ParseResult = { ok: true; webhook: Webhook } | { ok: false; field: string; message: string };

function failure(error: z.ZodError): ParseResult {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(body)';
  return { ok: false, field, message: issue?.message ?? 'invalid payload' };
}

/** The schema for a known type and code; undefined means "record it, act on nothing". */
function schemaFor(type: unknown, code: unknown) {
  if (type === 'LINK' && code === 'invalid_credentials')
    return { kind: 'invalid_credentials', schema: invalidCredentialsSchema } as const;
  if (type === 'LINK' && code === 'token_required') return { kind: 'token_required', schema: tokenRequiredSchema } as const;
  if (type === 'ACCOUNTS' && accountsSchema.shape.webhook_code.safeParse(code).success)
    return { kind: 'accounts', schema: accountsSchema } as const;
  if (type === 'CONSENT' && consentSchema.shape.webhook_code.safeParse(code).success)
    return { kind: 'consent', schema: consentSchema } as const;
  if ((PAYMENTS_TYPES as readonly unknown[]).includes(type)) return { kind: 'payments', schema: paymentsSchema } as const;
  return undefined;
}

/**
 * One validation pass per webhook (this is the intake's hot path): the type and code pick the
 * schema, and every specific schema extends the core one, so a missing core field is still named.
 */
export function parseWebhook(body: unknown): ParseResult {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const known = schemaFor(raw['webhook_type'], raw['webhook_code']);
  if (known) {
    const parsed = known.schema.safeParse(body);
    if (!parsed.success) return failure(parsed.error);
    return { ok: true, webhook: { kind: known.kind, payload: parsed.data } as Webhook };
  }
  const core = coreSchema.safeParse(body);
  if (!core.success) return failure(core.error);
  if (!core.data.link_id && !core.data.object_id) {
    return { ok: false, field: 'link_id', message: 'link_id (or object_id for payments webhooks) is required' };
  }
  return { ok: true, webhook: { kind: 'unknown', payload: core.data } };
}
