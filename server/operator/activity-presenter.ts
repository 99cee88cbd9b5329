// The operator's view of what Belvo's ACCOUNTS and payments webhooks said: a link with its accounts,
// and a payment object with its latest status.
import type { AccountFetchRecord, LinkAccountsRecord } from '../accounts/link-accounts-repository.ts';
import type { PaymentRecord } from '../payments/payment-decision.ts';
import type { LinkRecord } from '../users/user-repository.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function presentFetch(fetch: AccountFetchRecord) {
  return {
    state: fetch.state,
    attempts: fetch.attempts,
    last_error: fetch.lastError,
    requested_at: iso(fetch.createdAt),
    // While it waits, when it will be tried (again).
    next_try_at: fetch.state === 'pending' ? iso(fetch.availableAt) : null,
    finished_at: iso(fetch.finishedAt),
  };
}

export function presentLink(
  linkId: string,
  link: LinkRecord | undefined,
  accounts: LinkAccountsRecord | undefined,
  fetch: AccountFetchRecord | undefined,
) {
  return {
    link_id: linkId,
    external_id: link?.externalId ?? null,
    institution: link?.institution ?? null,
    institution_display_name: link?.institutionDisplayName ?? null,
    accounts: accounts
      ? {
          last_event: {
            webhook_code: accounts.lastCode,
            webhook_id: accounts.lastWebhookId,
            received_at: iso(accounts.lastEventAt),
            total_accounts: accounts.totalAccounts,
            new_accounts: accounts.newAccounts,
          },
          count: accounts.accountsCount,
          account_ids: accounts.accountIds,
          fetched_at: iso(accounts.accountsFetchedAt),
          fetch: fetch ? presentFetch(fetch) : null,
        }
      : null,
  };
}

export function presentPayment(p: PaymentRecord) {
  return {
    object_type: p.objectType,
    object_id: p.objectId,
    last_webhook_code: p.lastCode,
    last_webhook_id: p.lastWebhookId,
    events: p.events,
    status: p.status,
    failure_code: p.failureCode,
    failure_message: p.failureMessage,
    first_seen_at: iso(p.firstSeenAt),
    updated_at: iso(p.updatedAt),
  };
}
