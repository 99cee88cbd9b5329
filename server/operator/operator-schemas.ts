// What the operator's backend may send. Errors name the field, so a bad request is fixed in one go.
import { z } from 'zod';
import { CASE_KINDS, CASE_STATUSES } from '../cases/case-types.ts';
import { CHANNEL_NAMES } from '../channels/channel.ts';
import { LOCALES } from '../i18n/locale.ts';
import { DOCUMENT_TYPES, documentDigits, isValidDocument } from '../users/identity-document.ts';
import { isTimeZone } from '../reminders/local-time.ts';

export const externalIdParam = z.string().trim().min(1).max(200);
export const linkIdParam = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Belvo link id (letters, digits and dashes, up to 64)');

/** CPF or CNPJ, punctuation allowed, stored as digits; the check digits must be right. */
const documentBody = z
  .strictObject({
    type: z.enum(DOCUMENT_TYPES, { message: 'must be "CPF" or "CNPJ"' }),
    number: z.string().max(32).transform(documentDigits),
  })
  .refine((doc) => isValidDocument(doc.type, doc.number), {
    message: 'is not a valid number: check its digits (a CPF has 11, a CNPJ 14, the last two are check digits)',
    path: ['number'],
  });

export const userBody = z.strictObject({
  email: z.email('must be a valid e-mail address').max(320).nullish(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +5215512345678')
    .nullish(),
  locale: z.enum(LOCALES, { message: `must be one of ${LOCALES.join(', ')}` }).nullish(),
  name: z.string().trim().min(1).max(200).nullish(),
  channels: z
    .array(z.enum(CHANNEL_NAMES, { message: 'must be "whatsapp", "email" or "sms"' }))
    .min(1)
    .max(CHANNEL_NAMES.length)
    .refine((list) => new Set(list).size === list.length, 'must not repeat a channel')
    .nullish(),
  time_zone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as America/Sao_Paulo')
    .nullish(),
  document: documentBody.nullish(),
});

export const linkBody = z.strictObject({
  external_id: externalIdParam,
  institution: z.string().trim().min(1).max(120).nullish(),
  institution_display_name: z.string().trim().min(1).max(200).nullish(),
});

/** "2026-11-01" (midnight UTC) or an ISO 8601 instant with its offset, as epoch milliseconds. */
const instant = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { message: 'must be a date (2026-11-01) or an ISO 8601 instant' })
  .transform((value) => Date.parse(value));

export const caseListQuery = z
  .object({
    link_id: linkIdParam.optional(),
    status: z.enum(CASE_STATUSES).optional(),
    kind: z.enum(CASE_KINDS).optional(),
    institution: z.string().trim().min(1).max(120).optional(),
    external_id: externalIdParam.optional(),
    /** Cases created at or after this instant. */
    created_from: instant.optional(),
    /** Cases created before this instant. */
    created_to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.number().int().positive().optional(),
  })
  .refine((q) => q.created_from === undefined || q.created_to === undefined || q.created_from < q.created_to, {
    message: 'must be after created_from',
    path: ['created_to'],
  });

/** The channels an operator may name for a resend. */
export const resendBody = z.strictObject({
  channel: z.enum(CHANNEL_NAMES, { message: 'must be "whatsapp", "email" or "sms"' }).optional(),
});

export const closeBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional(),
});

export const caseIdParam = z.coerce.number().int().positive();

export const objectIdParam = z.string().trim().min(1).max(100);
