// Belvo's webhook payloads as Belvo documents them (REAL-API.md). Aggregation and payments webhooks
// share one URL and one core; the family is told by the id a webhook carries, never by its type
// (TRANSACTIONS is both an aggregation and a payments type): aggregation webhooks name a link
// (`link_id`), payments webhooks an object (`object_id`).
//
// Every schema keeps unknown fields (Belvo adds fields over time) and requires only what the portal
// acts on. Core fields are checked strictly: they become columns and keys. Informational fields in
// `data` are lenient: one of the wrong type or size is dropped, not refused, because an answer other
// than 2xx makes Belvo retry a webhook it considers well formed, forever.
import { z } from 'zod';
import { expirySecondsSchema, tokenGenerationDataSchema } from './token-generation-data.ts';

/** Control characters have no place in an id, and PostgreSQL refuses NUL in text columns. */
const NO_CONTROL = /^[^\p{Cc}]*$/u;
const printable = (max: number) =>
  z.string().trim().min(1).max(max).regex(NO_CONTROL, 'must not contain control characters');

/** Links and payment objects: the events and cases columns hold 64 characters (a UUID has 36). */
const objectId = printable(64);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `data` may be null (payments CHARGES OBJECT_CREATED) or absent; a `data` that is not an object is
 * a shape no page documents. Each reads as an empty object: the body is kept as received anyway, and
 * a webhook that needs something in `data` (token_required's session) still names what is missing.
 */
const dataOf = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.preprocess((value) => (isRecord(value) ? value : {}), z.looseObject(shape));

/** An informational field: the wrong type or an absurd size is dropped instead of refused. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = (max: number) => lenient(z.string().max(max));

export const coreSchema = z.looseObject({
  webhook_id: printable(100),
  webhook_type: printable(64),
  webhook_code: printable(100),
  link_id: objectId.nullish(),
  object_id: objectId.nullish(),
  external_id: z.string().max(200).regex(NO_CONTROL, 'must not contain control characters').nullish(),
  data: dataOf({}),
});

/** Aggregation: about a link. */
const linkEvent = coreSchema.extend({ link_id: objectId });
/** Payments: about a charge, payment intent, transaction, bank account, … */
const objectEvent = coreSchema.extend({ object_id: objectId });

const linkErrorFields = {
  error_code: text(100),
  error_message: text(2000),
  status: lenient(z.number()),
};

export const invalidCredentialsSchema = linkEvent.extend({
  webhook_type: z.literal('LINK'),
  webhook_code: z.literal('invalid_credentials'),
  data: dataOf(linkErrorFields),
});

export const tokenRequiredSchema = linkEvent.extend({
  webhook_type: z.literal('LINK'),
  webhook_code: z.literal('token_required'),
  data: dataOf({
    ...linkErrorFields,
    // Without its session the MFA step cannot be finished: that one is refused.
    session: printable(100),
    expiry: expirySecondsSchema.optional(),
    // May be null (REAL-API.md): the case still opens, and its page asks for the token.
    token_generation_data: lenient(tokenGenerationDataSchema.nullable()),
  }),
});

/** The consent codes that open a consent case (and that CONSENT_CODES_TO_NOTIFY may name). */
export const CONSENT_CODES = [
  'openfinance_consent_about_to_expire',
  'openfinance_consent_expired',
  'openfinance_consent_with_unrecoverable_resources',
  'openfinance_consent_with_temporarily_unavailable_resources',
] as const;
export type ConsentCode = (typeof CONSENT_CODES)[number];

/** Consent codes that message the user unless CONSENT_CODES_TO_NOTIFY says otherwise; the rest are recorded for the operator. */
export const DEFAULT_CONSENT_CODES_TO_NOTIFY: readonly ConsentCode[] = [
  'openfinance_consent_about_to_expire',
  'openfinance_consent_expired',
  'openfinance_consent_with_unrecoverable_resources',
];

export const CONSENT_EXPIRATION_CHANGED = 'openfinance_consent_expiration_changed';

/**
 * Other spellings of a consent code. One of Belvo's pages writes `consent_expired` where the consent
 * webhook page writes `openfinance_consent_expired`; which one is sent is unconfirmed, so both are
 * read as the second, here at the boundary, and nothing past it sees the first.
 */
const CONSENT_CODE_ALIASES: Readonly<Record<string, string>> = { consent_expired: 'openfinance_consent_expired' };

export function canonicalConsentCode(code: string): string {
  return CONSENT_CODE_ALIASES[code] ?? code;
}

/** An instant with its offset, or a bare date (due at the start of that day where the user lives). */
const dueDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

const consentFields = {
  consent_id: text(100),
  consent_due_date: lenient(dueDate),
};

export const consentSchema = linkEvent.extend({
  webhook_type: z.literal('CONSENT'),
  webhook_code: z.enum(CONSENT_CODES),
  data: dataOf({
    ...consentFields,
    action: text(50),
    institution: text(120),
    institution_display_name: text(200),
    institution_icon_logo: text(2048),
    message: text(2000),
  }),
});

export const consentExpirationChangedSchema = linkEvent.extend({
  webhook_type: z.literal('CONSENT'),
  webhook_code: z.literal(CONSENT_EXPIRATION_CHANGED),
  data: dataOf(consentFields),
});

/** ACCOUNTS, OWNERS, TRANSACTIONS, BILLS, INVESTMENTS, INVESTMENT_TRANSACTIONS and the rest: data about a link. */
export const linkDataSchema = linkEvent;
export const paymentsSchema = objectEvent;
/** A LINK or CONSENT code the portal does not act on: recorded only. */
export const unknownLinkEventSchema = linkEvent;

export type InvalidCredentialsWebhook = z.infer<typeof invalidCredentialsSchema>;
export type TokenRequiredWebhook = z.infer<typeof tokenRequiredSchema>;
export type ConsentWebhook = z.infer<typeof consentSchema>;
export type ConsentExpirationChangedWebhook = z.infer<typeof consentExpirationChangedSchema>;
export type LinkDataWebhook = z.infer<typeof linkDataSchema>;
export type PaymentsWebhook = z.infer<typeof paymentsSchema>;
export type UnknownLinkWebhook = z.infer<typeof unknownLinkEventSchema>;

export type Webhook =
  | { kind: 'invalid_credentials'; payload: InvalidCredentialsWebhook }
  | { kind: 'token_required'; payload: TokenRequiredWebhook }
  | { kind: 'consent'; payload: ConsentWebhook }
  | { kind: 'consent_expiration_changed'; payload: ConsentExpirationChangedWebhook }
  | { kind: 'link_data'; payload: LinkDataWebhook }
  | { kind: 'payments'; payload: PaymentsWebhook }
  | { kind: 'unknown'; payload: UnknownLinkWebhook };

export type WebhookKind = Webhook['kind'];

export type ParseResult = { ok: true; webhook: Webhook } | { ok: false; field: string; message: string };

function failure(error: z.ZodError): ParseResult {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(body)';
  return { ok: false, field, message: issue?.message ?? 'invalid payload' };
}

const given = (value: unknown) => value !== undefined && value !== null;

/** The schema for an aggregation webhook's type and code. */
function aggregationSchema(type: unknown, code: unknown) {
  if (type === 'LINK') {
    if (code === 'invalid_credentials') return { kind: 'invalid_credentials', schema: invalidCredentialsSchema } as const;
    if (code === 'token_required') return { kind: 'token_required', schema: tokenRequiredSchema } as const;
    return { kind: 'unknown', schema: unknownLinkEventSchema } as const;
  }
  if (type === 'CONSENT') {
    if ((CONSENT_CODES as readonly unknown[]).includes(code)) return { kind: 'consent', schema: consentSchema } as const;
    if (code === CONSENT_EXPIRATION_CHANGED) return { kind: 'consent_expiration_changed', schema: consentExpirationChangedSchema } as const;
    return { kind: 'unknown', schema: unknownLinkEventSchema } as const;
  }
  return { kind: 'link_data', schema: linkDataSchema } as const;
}

/** The body with its consent code spelled one way. */
function withCanonicalCode(body: Record<string, unknown>): Record<string, unknown> {
  const code = body['webhook_code'];
  if (body['webhook_type'] !== 'CONSENT' || typeof code !== 'string') return body;
  const canonical = canonicalConsentCode(code.trim());
  return canonical === code ? body : { ...body, webhook_code: canonical };
}

/**
 * One validation pass per webhook (this is the intake's hot path): the id present picks the family,
 * the type and code the schema, and every schema extends the core one, so a missing core field is
 * still named.
 */
export function parseWebhook(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, field: '(body)', message: 'must be a JSON object' };
  const input = withCanonicalCode(body);
  if (!given(input['link_id']) && given(input['object_id'])) {
    const parsed = paymentsSchema.safeParse(input);
    return parsed.success ? { ok: true, webhook: { kind: 'payments', payload: parsed.data } } : failure(parsed.error);
  }
  if (!given(input['link_id'])) {
    const core = coreSchema.safeParse(input);
    if (!core.success) return failure(core.error);
    return { ok: false, field: 'link_id', message: 'link_id (or object_id for payments webhooks) is required' };
  }
  const known = aggregationSchema(input['webhook_type'], input['webhook_code']);
  const parsed = known.schema.safeParse(input);
  if (!parsed.success) return failure(parsed.error);
  return { ok: true, webhook: { kind: known.kind, payload: parsed.data } as Webhook };
}
