// Payments webhooks as Belvo's documentation shows them (payments-webhooks, ofpi-webhooks,
// pse-webhooks): about a charge, payment intent, transaction or bank account, so each carries
// `object_id` and never `link_id`. test/fixtures/belvo-webhooks/ holds the same payloads as JSON.
import type { SeedWebhookPayload } from './seed-webhook-types.ts';

export const PAYMENTS_SEEDS = {
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

  'payments-payment-intent-failed': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd4905f',
    webhook_type: 'PAYMENT_INTENTS',
    webhook_code: 'STATUS_UPDATE',
    object_id: 'd2e40773-19f6-48d1-93c3-3590ec0c74df',
    external_id: 'c3c51aaf-aaa3-400c-926d-87ab62e195fd',
    data: {
      status: 'FAILED',
      metadata: { internal_reference_id: 'GGq12345w2' },
      failure_code: 'consent_expired',
      failure_message: 'The payment consent was not accepted in time.',
      end_to_end_id: 'E432158152024081610416f2b595b056',
    },
  },
  'payments-payment-intent-succeeded-pse': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd49060',
    webhook_type: 'PAYMENT_INTENTS',
    webhook_code: 'STATUS_UPDATE',
    object_id: 'e3f51884-2a07-49e2-a4ad-46a1fd1d85e0',
    data: {
      status: 'succeeded',
    },
  },
  'payments-charge-created': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd49061',
    webhook_type: 'CHARGES',
    webhook_code: 'OBJECT_CREATED',
    object_id: 'a1b2c3d4-19f6-48d1-93c3-3590ec0c74df',
    external_id: null,
    data: null,
  },
  'payments-charge-succeeded': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd49062',
    webhook_type: 'CHARGES',
    webhook_code: 'STATUS_UPDATE',
    object_id: 'a1b2c3d4-19f6-48d1-93c3-3590ec0c74df',
    data: {
      status: 'SUCCEEDED',
      metadata: { internal_reference_id: 'GGq12345w2' },
      failure_code: null,
      failure_message: null,
      end_to_end_id: 'E432158152024081610416f2b595b056',
    },
  },
  'payments-charge-failed': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd49063',
    webhook_type: 'CHARGES',
    webhook_code: 'STATUS_UPDATE',
    object_id: 'b2c3d4e5-19f6-48d1-93c3-3590ec0c74df',
    data: {
      status: 'FAILED',
      metadata: { internal_reference_id: 'GGq12345w2' },
      failure_code: 'consent_expired',
      failure_message: 'The payment consent was not accepted in time.',
      end_to_end_id: 'E432158152024081610416f2b595b056',
    },
  },
  'payments-transaction-failed': {
    webhook_id: '3b9a69f7-0f0a-455b-832d-49ad6fd49064',
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'STATUS_UPDATE',
    object_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    data: {
      status: 'FAILED',
      failure_code: 'consent_expired',
      failure_message: 'The payment consent was not accepted in time.',
      end_to_end_id: 'E432158152024081610416f2b595b056',
      metadata: { internal_reference_id: 'GGq12345w2' },
    },
  },
} satisfies Record<string, SeedWebhookPayload>;
