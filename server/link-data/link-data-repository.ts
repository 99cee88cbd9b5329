// What Belvo's aggregation data webhooks said about a link (one row per link and resource), the
// account list read from Belvo after new_accounts_available, and the queue of those reads (a work
// table, claimed through server/db/claim.ts).
import type { Knex } from 'knex';
import { z } from 'zod';
import type { AgedRows } from '../db/oldest-rows.ts';
import { dataSummarySchema, type DataSummary, type LinkDataActivity } from './link-data-activity.ts';

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
  state: z.infer<typeof FETCH_STATE>;
  attempts: number;
  availableAt: number;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}




const ACCOUNT_IDS = z.array(z.string());
const FETCH_STATE = z.enum(['pending', 'running', 'done', 'failed']);

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
  const row = await db('account_fetches').where({ id: fetchId }).first('link_id');
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
  const rows = await db('link_data').where({ link_id: linkId }).orderBy('resource');
  return rows.map((row) => ({
    linkId: row.link_id,
    resource: row.resource,
    lastWebhookId: row.last_webhook_id,
    lastCode: row.last_code,
    lastEventAt: row.last_event_at,
    summary: dataSummarySchema.parse(JSON.parse(row.summary)),
    updatedAt: row.updated_at,
  }));
}

export async function findAccountList(db: Db, linkId: string): Promise<AccountListRecord | undefined> {
  const row = await db('account_lists').where({ link_id: linkId }).first();
  return (
    row && {
      linkId: row.link_id,
      accountsCount: row.accounts_count,
      accountIds: ACCOUNT_IDS.parse(JSON.parse(row.account_ids)),
      fetchedAt: row.fetched_at,
    }
  );
}

export async function latestAccountFetch(db: Db, linkId: string): Promise<AccountFetchRecord | undefined> {
  const row = await db('account_fetches').where({ link_id: linkId }).orderBy('id', 'desc').first();
  if (!row) return undefined;
  return {
    id: row.id,
    linkId: row.link_id,
    state: FETCH_STATE.parse(row.state),
    attempts: row.attempts,
    availableAt: row.available_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Account fetches that finished, by when (retention). */
export const FINISHED_ACCOUNT_FETCHES: AgedRows = { table: 'account_fetches', column: 'finished_at' };
