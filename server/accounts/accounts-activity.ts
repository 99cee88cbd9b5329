// What an ACCOUNTS webhook says about its link, as the operator will see it: a pure function.
import type { AccountsWebhook } from '../webhooks/webhook-schemas.ts';

export interface AccountsActivity {
  linkId: string;
  webhookId: string;
  code: AccountsWebhook['webhook_code'];
  /** When the event was received; a later event's record replaces an earlier one's, never the reverse. */
  at: number;
  totalAccounts: number | null;
  newAccounts: number | null;
  /** Belvo names how many accounts are new, not which: asking for the list shows what changed. */
  fetchAccounts: boolean;
}

export function accountsActivity(payload: AccountsWebhook, receivedAt: number): AccountsActivity {
  return {
    linkId: payload.link_id,
    webhookId: payload.webhook_id,
    code: payload.webhook_code,
    at: receivedAt,
    totalAccounts: payload.data.total_accounts ?? null,
    newAccounts: payload.data.new_accounts ?? null,
    fetchAccounts: payload.webhook_code === 'new_accounts_available',
  };
}
