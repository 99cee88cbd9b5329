// Aggregation data webhooks as Belvo's documentation shows them (webhook-accounts, -transactions,
// -owners, -bills, investments-webhooks): Belvo has (new) data of a resource for a link, so each
// carries `link_id`. test/fixtures/belvo-webhooks/ holds the same payloads as JSON.
import type { SeedWebhookPayload } from './seed-webhook-types.ts';

/**
 * Data webhooks: Belvo has (new) data of a resource for the link. TRANSACTIONS updated and deleted,
 * INVESTMENT_TRANSACTIONS: the pages name the codes without a readable payload, so `data` is empty
 * here (the intake accepts any `data`). The investments page shows new_investments_available under
 * the ACCOUNTS type; it is kept as shown.
 */
export const DATA_SEEDS = {
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
  'transactions-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac995',
    webhook_type: 'TRANSACTIONS',
    process_type: 'historical_update',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      total_transactions: 19,
      total_inflow_transactions: 10,
      total_outflow_transactions: 9,
      first_transaction_date: '2023-01-03',
      last_transaction_date: '2024-01-03',
    },
  },
  'transactions-new-transactions-available': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac994',
    webhook_type: 'TRANSACTIONS',
    process_type: 'recurrent_update',
    webhook_code: 'new_transactions_available',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      new_transactions: 5,
    },
  },
  'transactions-updated': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac993',
    webhook_type: 'TRANSACTIONS',
    process_type: 'recurrent_update',
    webhook_code: 'transactions_updated',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {},
  },
  'transactions-deleted': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac992',
    webhook_type: 'TRANSACTIONS',
    process_type: 'recurrent_update',
    webhook_code: 'transactions_deleted',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {},
  },
  'owners-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac991',
    webhook_type: 'OWNERS',
    process_type: 'historical_update',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      total_owners: 2,
    },
  },
  'owners-new-owners-available': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac990',
    webhook_type: 'OWNERS',
    process_type: 'recurrent_update',
    webhook_code: 'new_owners_available',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      new_owners: 1,
    },
  },
  'bills-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac98f',
    webhook_type: 'BILLS',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      total_bills: 2,
    },
  },
  'bills-new-bills-available': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac98e',
    webhook_type: 'BILLS',
    webhook_code: 'new_bills_available',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      new_bills: 1,
    },
  },
  'investments-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac98d',
    webhook_type: 'INVESTMENTS',
    process_type: 'historical_update',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      total_investments: 5,
    },
  },
  'investments-new-investments-available': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac98c',
    webhook_type: 'ACCOUNTS',
    process_type: 'recurrent_update',
    webhook_code: 'new_investments_available',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {
      new_investments: 1,
    },
  },
  'investment-transactions-historical-update': {
    webhook_id: 'aadf41a1fc8e4f79a49f7f04027ac98b',
    webhook_type: 'INVESTMENT_TRANSACTIONS',
    process_type: 'historical_update',
    webhook_code: 'historical_update',
    link_id: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    request_id: '4363b08b-51eb-4350-9c74-5df5ac92a7f6',
    external_id: 'your_external_id',
    data: {},
  },
} satisfies Record<string, SeedWebhookPayload>;
