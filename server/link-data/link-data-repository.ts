// What Belvo's aggregation data webhooks said about a link (one row per link and resource), the
// account list read from Belvo after new_accounts_available, and the queue of those reads (a work
// table, claimed through server/db/claim.ts).
import type { Knex } from 'knex';
import type { AgedRows } from '../db/oldest-rows.ts';
import type { DataSummary, LinkDataActivity } from './link-data-activity.ts';

type Db = Knex | Knex.Transaction;

export interface LinkDataRecord {
  linkId: string;
  resource: string;
  lastWebhookId: string;
  lastCode: string;
  lastEventAt: number;
  summary: DataSummary;
  updatedAt: number;
}

export interface AccountListRecord {
  linkId: string;
  accountsCount: number;
  accountIds: string[];
  fetchedAt: number;
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

interface LinkDataRow {
  link_id: string;
  resource: string;
  last_webhook_id: string;
  last_code: string;
  last_event_at: number | string;
  summary: string;
  updated_at: number | string;
}

interface AccountListRow {
  link_id: string;
  accounts_count: number;
  account_ids: string;
  fetched_at: number | string;
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

// PostgreSQL's bigint arrives as a string.
const num = (v: number | string) => Number(v);
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

/** Records the event on its link (unless a later one of the same resource is already there) and queues an account fetch if asked. */
export async function recordLinkData(trx: Knex.Transaction, activity: LinkDataActivity, now: number): Promise<void> {
  const eventColumns = {
    last_webhook_id: activity.webhookId,
    last_code: activity.code,
    last_event_at: activity.at,
    summary: JSON.stringify(activity.summary),
    updated_at: now,
  };
  const key = { link_id: activity.linkId, resource: activity.resource };
  const updated = await trx('link_data').where(key).andWhere('last_event_at', '<=', activity.at).update(eventColumns);
  if (updated === 0) {
    await trx('link_data')
      .insert({ ...key, ...eventColumns })
      .onConflict(['link_id', 'resource'])
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
  const columns = { accounts_count: accountIds.length, account_ids: JSON.stringify(accountIds), fetched_at: now };
  await trx('account_lists')
    .insert({ link_id: linkId, ...columns })
    .onConflict('link_id')
    .merge(columns);
}

/** Every resource Belvo wrote about for the link, in name order. */
export async function findLinkData(db: Db, linkId: string): Promise<LinkDataRecord[]> {
  const rows = (await db('link_data').where({ link_id: linkId }).orderBy('resource')) as LinkDataRow[];
  return rows.map((row) => ({
    linkId: row.link_id,
    resource: row.resource,
    lastWebhookId: row.last_webhook_id,
    lastCode: row.last_code,
    lastEventAt: num(row.last_event_at),
    summary: JSON.parse(row.summary) as DataSummary,
    updatedAt: num(row.updated_at),
  }));
}

export async function findAccountList(db: Db, linkId: string): Promise<AccountListRecord | undefined> {
  const row = (await db('account_lists').where({ link_id: linkId }).first()) as AccountListRow | undefined;
  return (
    row && {
      linkId: row.link_id,
      accountsCount: row.accounts_count,
      accountIds: JSON.parse(row.account_ids) as string[],
      fetchedAt: num(row.fetched_at),
    }
  );
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

/** Account fetches that finished, by when (retention). */
export const FINISHED_ACCOUNT_FETCHES: AgedRows = { table: 'account_fetches', column: 'finished_at' };
