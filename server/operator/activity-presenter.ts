// The operator's view of what Belvo's data and payments webhooks said: a link with what each
// resource's last event held and its accounts, and a payment object with its latest status.
import { isoTime as iso } from '../clock.ts';
import type { AccountFetchRecord, AccountListRecord, LinkDataRecord } from '../link-data/link-data-repository.ts';
import type { PaymentRecord } from '../payments/payment-decision.ts';
import type { LinkRecord } from '../users/user-repository.ts';

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

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);

function presentAccounts(event: LinkDataRecord, list: AccountListRecord | undefined, fetch: AccountFetchRecord | undefined) {
  return {
    last_event: {
      webhook_code: event.lastCode,
      webhook_id: event.lastWebhookId,
      received_at: iso(event.lastEventAt),
      total_accounts: numberOrNull(event.summary['total_accounts']),
      new_accounts: numberOrNull(event.summary['new_accounts']),
    },
    count: list?.accountsCount ?? null,
    account_ids: list?.accountIds ?? null,
    fetched_at: iso(list?.fetchedAt ?? null),
    fetch: fetch ? presentFetch(fetch) : null,
  };
}

export function presentLink(
  linkId: string,
  link: LinkRecord | undefined,
  activity: { data: LinkDataRecord[]; accountList: AccountListRecord | undefined; fetch: AccountFetchRecord | undefined },
) {
  const accounts = activity.data.find((d) => d.resource === 'ACCOUNTS');
  return {
    link_id: linkId,
    external_id: link?.externalId ?? null,
    institution: link?.institution ?? null,
    institution_display_name: link?.institutionDisplayName ?? null,
    accounts: accounts ? presentAccounts(accounts, activity.accountList, activity.fetch) : null,
    // Every resource Belvo wrote about (ACCOUNTS included): its last event and what that event's data held.
    data_events: activity.data.map((d) => ({
      webhook_type: d.resource,
      webhook_code: d.lastCode,
      webhook_id: d.lastWebhookId,
      received_at: iso(d.lastEventAt),
      data: d.summary,
    })),
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
