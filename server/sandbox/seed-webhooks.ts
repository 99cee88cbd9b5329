// Every webhook payload shown in Belvo's documentation, copied in (the product never reads the
// shared reference folder at run time). The /dev console fires them; tests build events from them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { MfaSession } from './belvo-simulator.ts';

export interface SeedWebhookPayload {
  webhook_id: string;
  webhook_type: string;
  webhook_code: string;
  process_type?: string;
  link_id?: string;
  /** Payments webhooks name their object here instead of a link. */
  object_id?: string;
  request_id?: string;
  external_id?: string | null;
  data: Record<string, unknown>;
}

const SEEDS = {
  'link-invalid-credentials': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac999',
    webhook_type: 'LINK',
    process_type: 'recurrent_update',
    webhook_code: 'invalid_credentials',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      error_code: 'login_error',
      error_message: 'Invalid credentials provided to login to the institution',
      status: 400,
    },
  },
  'link-token-required': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac998',
    webhook_type: 'LINK',
    process_type: 'recurrent_update',
    webhook_code: 'token_required',
    link_id: '30cb4806-6e00-48a4-91c9-ca55968576c8',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      error_code: 'token_required',
      error_message: 'MFA token was required by the institution',
      status: 428,
      session: '2675b703b9d4451f8d4861a3eee54449',
      expiry: 9600,
      token_generation_data: {
        instructions: 'Use this code to generate the token',
        type: 'numeric',
        value: '12345',
      },
    },
  },
  'consent-about-to-expire': {
    webhook_id: '37a084ee0741437fa7a95393b5636f7b',
    webhook_type: 'CONSENT',
    process_type: 'recurrent_update',
    webhook_code: 'openfinance_consent_about_to_expire',
    link_id: 'da9822bb-5bd6-4a0a-b64d-0aefcc9e86b0',
    external_id: null,
    data: {
      consent_id: '9e763d19-15a4-410c-a106-18c0f60ca5eb',
      consent_due_date: '2024-12-26T10:45:58.000Z',
      action: 'renew',
      institution: 'ofmockbank_br_retail',
      institution_display_name: 'OF Mockbank',
      institution_icon_logo: 'https://logo.com',
    },
  },
  'consent-expired': {
    webhook_id: 'e6f08793f967445fb74ce16beae665bc',
    webhook_type: 'CONSENT',
    process_type: 'recurrent_update',
    webhook_code: 'openfinance_consent_expired',
    link_id: '3d3364b7-0175-483d-a58b-b471f251e533',
    external_id: null,
    data: {
      consent_id: '29a54e55-21f0-4d02-8e34-797ab7d43940',
      action: 'renew',
      institution: 'ofmockbank_br_retail',
      institution_display_name: 'OF Mockbank',
      institution_icon_logo: 'https://logo.com',
    },
  },
  'consent-temporarily-unavailable': {
    webhook_id: '745156bbbd0d47b0a33ff995d7b4e5d8',
    webhook_type: 'CONSENT',
    process_type: 'recurrent_update',
    webhook_code: 'openfinance_consent_with_temporarily_unavailable_resources',
    link_id: 'da9822bb-5bd6-4a0a-b64d-0aefcc9e86b0',
    external_id: null,
    data: {
      consent_id: '29a54e55-21f0-4d02-8e34-797ab7d43940',
      institution: 'ofmockbank_br_retail',
      message: 'The consent is temporarily unusable',
    },
  },
  'consent-unrecoverable-resources': {
    webhook_id: 'e6f08793f967445fb74ce16beae665bd',
    webhook_type: 'CONSENT',
    process_type: 'recurrent_update',
    webhook_code: 'openfinance_consent_with_unrecoverable_resources',
    link_id: 'da9822bb-5bd6-4a0a-b64d-0aefcc9e86b0',
    external_id: null,
    data: {
      consent_id: '29a54e55-21f0-4d02-8e34-797ab7d43940',
      institution: 'ofmockbank_br_retail',
      message: 'The consent was revoked because it was unrecoverable',
    },
  },
  'accounts-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac997',
    webhook_type: 'ACCOUNTS',
    process_type: 'historical_update',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      total_accounts: 5,
    },
  },
  'accounts-new-accounts-available': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac996',
    webhook_type: 'ACCOUNTS',
    process_type: 'recurrent_update',
    webhook_code: 'new_accounts_available',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      new_accounts: 1,
    },
  },
  'payments-bank-account-created': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd4905c',
    webhook_type: 'BANK_ACCOUNTS',
    webhook_code: 'OBJECT_CREATED',
    object_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df',
    data: {},
  },
  'payments-payment-intent-status': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd4905d',
    webhook_type: 'PAYMENT_INTENTS',
    webhook_code: 'STATUS_UPDATE',
    object_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df',
    data: {
      status: 'SUCCEEDED',
    },
  },
  'payments-transaction-created': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd4905e',
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'OBJECT_CREATED',
    object_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    data: {},
  },
} satisfies Record<string, SeedWebhookPayload>;

export type SeedWebhookName = keyof typeof SEEDS;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export const SEED_WEBHOOKS: Readonly<Record<SeedWebhookName, SeedWebhookPayload>> = deepFreeze(SEEDS);

export const SEED_WEBHOOK_NAMES = Object.keys(SEEDS) as SeedWebhookName[];

export function isSeedWebhookName(name: string): name is SeedWebhookName {
  return Object.hasOwn(SEEDS, name);
}

/** e.g. "LINK · invalid_credentials" */
export function seedWebhookLabel(name: SeedWebhookName): string {
  return `${SEEDS[name].webhook_type} · ${SEEDS[name].webhook_code}`;
}

export interface FreshSeedOptions {
  /** Only for payloads about a link (payments webhooks carry an object_id instead). */
  linkId?: string;
  /** Only for payloads that carry an external_id (null in the consent ones). */
  externalId?: string;
  /** Only for token_required: a session the sandbox simulator knows, so the MFA step can finish. */
  mfaSession?: MfaSession;
}

/** A copy with a new webhook_id (in the seed's own format), safe to change and to send. */
export function freshSeedWebhook(name: SeedWebhookName, options: FreshSeedOptions = {}): SeedWebhookPayload {
  const payload = structuredClone(SEEDS[name]) as SeedWebhookPayload;
  payload.webhook_id = payload.webhook_id.includes('-') ? randomUUID() : randomBytes(16).toString('hex');
  if (options.linkId !== undefined && 'link_id' in payload) payload.link_id = options.linkId;
  if (options.externalId !== undefined && 'external_id' in payload) payload.external_id = options.externalId;
  if (options.mfaSession && 'session' in payload.data) Object.assign(payload.data, options.mfaSession);
  return payload;
}
