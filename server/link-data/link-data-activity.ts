// What an aggregation data webhook (ACCOUNTS, OWNERS, TRANSACTIONS, BILLS, INVESTMENTS,
// INVESTMENT_TRANSACTIONS and the rest) says about its link, as the operator will see it: a pure
// function. Belvo's data payloads hold counts and dates (`total_transactions`, `new_owners`,
// `first_transaction_date`, …), different for each resource, so what is kept is their short scalar
// fields, whatever they are called.
import { z } from 'zod';
import { isBelvoId } from '../belvo/belvo-id.ts';
import type { LinkDataWebhook } from '../belvo/belvo-webhooks.ts';

/** Also the schema of a summary read back from the database. */
export const dataSummarySchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type DataSummary = z.infer<typeof dataSummarySchema>;

export interface LinkDataActivity {
  linkId: string;
  /** The webhook_type: ACCOUNTS, OWNERS, TRANSACTIONS, … */
  resource: string;
  webhookId: string;
  code: string;
  /** When the event was received; a later event's record replaces an earlier one's, never the reverse. */
  at: number;
  summary: DataSummary;
  /** Belvo names how many accounts are new, not which: asking for the list shows what changed. */
  fetchAccounts: boolean;
}

const MAX_FIELDS = 20;
const MAX_KEY = 64;
const MAX_TEXT = 100;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

function keepable(key: string, value: unknown): value is string | number | boolean {
  if (key.length > MAX_KEY || !NO_CONTROL.test(key)) return false;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string') return value.length <= MAX_TEXT && NO_CONTROL.test(value);
  return typeof value === 'boolean';
}

export function summaryOf(data: Record<string, unknown>): DataSummary {
  const summary: DataSummary = {};
  for (const [key, value] of Object.entries(data)) {
    if (Object.keys(summary).length === MAX_FIELDS) break;
    if (keepable(key, value)) summary[key] = value;
  }
  return summary;
}

/**
 * Whether the event shows that Belvo just read the institution with the link's credentials: the
 * first full load (`historical_update`) and a refresh that found something new (`new_*_available`)
 * both need a working login; `transactions_updated` and `transactions_deleted` are Belvo's own
 * bookkeeping and prove nothing.
 */
export function provesLinkWorks(code: string): boolean {
  return code === 'historical_update' || /^new_[a-z_]+_available$/.test(code);
}

export function linkDataActivity(payload: LinkDataWebhook, receivedAt: number): LinkDataActivity {
  return {
    linkId: payload.link_id,
    resource: payload.webhook_type,
    webhookId: payload.webhook_id,
    code: payload.webhook_code,
    at: receivedAt,
    summary: summaryOf(payload.data),
    // An id that is not Belvo's is recorded, never sent back to Belvo.
    fetchAccounts:
      payload.webhook_type === 'ACCOUNTS' && payload.webhook_code === 'new_accounts_available' && isBelvoId(payload.link_id),
  };
}
