// A link's accounts as Belvo's ACCOUNTS webhooks and GET /api/accounts/ describe them, and the queue
// of account-list fetches (a work table, claimed through server/db/claim.ts).
import type { Knex } from 'knex';
import type { AccountsActivity } from './accounts-activity.ts';

type Db = Knex | Knex.Transaction;

export interface LinkAccountsRecord {
  linkId: string;
  lastWebhookId: string;
  lastCode: string;
  lastEventAt: number;
  totalAccounts: number | null;
  newAccounts: number | null;
  accountsCount: number | null;
  accountIds: string[] | null;
  accountsFetchedAt: number | null;
  updatedAt: number;
}

export interface AccountFetchRecord {
  id: number;
  linkId: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  availableAt: number;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}

interface LinkAccountsRow {
  link_id: string;
  last_webhook_id: string;
  last_code: string;
  last_event_at: number | string;
  total_accounts: number | null;
  new_accounts: number | null;
  accounts_count: number | null;
  account_ids: string | null;
  accounts_fetched_at: number | string | null;
  updated_at: number | string;
}

interface AccountFetchRow {
  id: number;
  link_id: string;
  state: AccountFetchRecord['state'];
  attempts: number;
  available_at: number | string;
  last_error: string | null;
  created_at: number | string;
  finished_at: number | string | null;
}

const num = (v: number | string) => Number(v);
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/** Records the event on its link (unless a later one is already there) and queues a fetch if asked. */
export async function recordAccountsActivity(trx: Knex.Transaction, activity: AccountsActivity, now: number): Promise<void> {
  const eventColumns = {
    last_webhook_id: activity.webhookId,
    last_code: activity.code,
    last_event_at: activity.at,
    total_accounts: activity.totalAccounts,
    new_accounts: activity.newAccounts,
    updated_at: now,
  };
  const updated = await trx('link_accounts')
    .where('link_id', activity.linkId)
    .andWhere('last_event_at', '<=', activity.at)
    .update(eventColumns);
  if (updated === 0) {
    await trx('link_accounts')
      .insert({ link_id: activity.linkId, ...eventColumns })
      .onConflict('link_id')
      .ignore();
  }
  if (activity.fetchAccounts) await queueAccountFetch(trx, activity.linkId, now);
}

/** One waiting fetch per link is enough: it reads the whole list when it runs. */
async function queueAccountFetch(trx: Knex.Transaction, linkId: string, now: number): Promise<void> {
  const waiting = await trx('account_fetches').where({ link_id: linkId, state: 'pending' }).first('id');
  if (waiting) return;
  await trx('account_fetches').insert({ link_id: linkId, created_at: now, available_at: now });
}

export async function linkIdOfFetch(db: Db, fetchId: number): Promise<string | undefined> {
  const row = (await db('account_fetches').where({ id: fetchId }).first('link_id')) as { link_id: string } | undefined;
  return row?.link_id;
}

export async function saveAccountList(trx: Knex.Transaction, linkId: string, accountIds: string[], now: number): Promise<void> {
  await trx('link_accounts').where({ link_id: linkId }).update({
    accounts_count: accountIds.length,
    account_ids: JSON.stringify(accountIds),
    accounts_fetched_at: now,
    updated_at: now,
  });
}

export async function findLinkAccounts(db: Db, linkId: string): Promise<LinkAccountsRecord | undefined> {
  const row = (await db('link_accounts').where({ link_id: linkId }).first()) as LinkAccountsRow | undefined;
  if (!row) return undefined;
  return {
    linkId: row.link_id,
    lastWebhookId: row.last_webhook_id,
    lastCode: row.last_code,
    lastEventAt: num(row.last_event_at),
    totalAccounts: row.total_accounts,
    newAccounts: row.new_accounts,
    accountsCount: row.accounts_count,
    accountIds: row.account_ids === null ? null : (JSON.parse(row.account_ids) as string[]),
    accountsFetchedAt: numOrNull(row.accounts_fetched_at),
    updatedAt: num(row.updated_at),
  };
}

export async function latestAccountFetch(db: Db, linkId: string): Promise<AccountFetchRecord | undefined> {
  const row = (await db('account_fetches').where({ link_id: linkId }).orderBy('id', 'desc').first()) as AccountFetchRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    linkId: row.link_id,
    state: row.state,
    attempts: row.attempts,
    availableAt: num(row.available_at),
    lastError: row.last_error,
    createdAt: num(row.created_at),
    finishedAt: numOrNull(row.finished_at),
  };
}
