// Every aggregation data webhook (ACCOUNTS, OWNERS, TRANSACTIONS, BILLS, INVESTMENTS, …) is recorded on
// its link, one row per link and resource, where only ACCOUNTS was before. `link_accounts` mixed two
// things: the last ACCOUNTS event (now a `link_data` row like any other resource's) and the account
// list read from Belvo (now `account_lists`). Rows carry over; `link_accounts` goes.
import type { Knex } from 'knex';

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

const CHUNK = 200;

async function insertInChunks(db: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await db(table).insert(rows.slice(i, i + CHUNK));
}

function accountsSummary(row: LinkAccountsRow): string {
  return JSON.stringify({
    ...(row.total_accounts === null ? {} : { total_accounts: row.total_accounts }),
    ...(row.new_accounts === null ? {} : { new_accounts: row.new_accounts }),
  });
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('link_data', (t) => {
    t.string('link_id', 64).notNullable();
    // The webhook_type: ACCOUNTS, OWNERS, TRANSACTIONS, …
    t.string('resource', 64).notNullable();
    t.string('last_webhook_id', 100).notNullable();
    t.string('last_code', 100).notNullable();
    t.bigInteger('last_event_at').notNullable();
    // The counts and dates the last event's `data` held, as JSON.
    t.text('summary').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['link_id', 'resource']);
  });
  await db.schema.createTable('account_lists', (t) => {
    t.string('link_id', 64).primary();
    t.integer('accounts_count').notNullable();
    t.text('account_ids').notNullable();
    t.bigInteger('fetched_at').notNullable();
  });

  const old = (await db('link_accounts').select()) as LinkAccountsRow[];
  await insertInChunks(
    db,
    'link_data',
    old.map((row) => ({
      link_id: row.link_id,
      resource: 'ACCOUNTS',
      last_webhook_id: row.last_webhook_id,
      last_code: row.last_code,
      last_event_at: row.last_event_at,
      summary: accountsSummary(row),
      updated_at: row.updated_at,
    })),
  );
  await insertInChunks(
    db,
    'account_lists',
    old
      .filter((row) => row.accounts_fetched_at !== null && row.account_ids !== null)
      .map((row) => ({
        link_id: row.link_id,
        accounts_count: row.accounts_count ?? 0,
        account_ids: row.account_ids,
        fetched_at: row.accounts_fetched_at,
      })),
  );
  await db.schema.dropTable('link_accounts');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.createTable('link_accounts', (t) => {
    t.string('link_id', 64).primary();
    t.string('last_webhook_id', 100).notNullable();
    t.string('last_code', 100).notNullable();
    t.bigInteger('last_event_at').notNullable();
    t.integer('total_accounts').nullable();
    t.integer('new_accounts').nullable();
    t.integer('accounts_count').nullable();
    t.text('account_ids').nullable();
    t.bigInteger('accounts_fetched_at').nullable();
    t.bigInteger('updated_at').notNullable();
  });
  const events = (await db('link_data').where({ resource: 'ACCOUNTS' }).select()) as Array<{
    link_id: string;
    last_webhook_id: string;
    last_code: string;
    last_event_at: number | string;
    summary: string;
    updated_at: number | string;
  }>;
  const lists = new Map(
    ((await db('account_lists').select()) as Array<{ link_id: string; accounts_count: number; account_ids: string; fetched_at: number | string }>).map(
      (row) => [row.link_id, row],
    ),
  );
  await insertInChunks(
    db,
    'link_accounts',
    events.map((row) => {
      const summary = JSON.parse(row.summary) as Record<string, unknown>;
      const list = lists.get(row.link_id);
      return {
        link_id: row.link_id,
        last_webhook_id: row.last_webhook_id,
        last_code: row.last_code,
        last_event_at: row.last_event_at,
        total_accounts: typeof summary['total_accounts'] === 'number' ? summary['total_accounts'] : null,
        new_accounts: typeof summary['new_accounts'] === 'number' ? summary['new_accounts'] : null,
        accounts_count: list?.accounts_count ?? null,
        account_ids: list?.account_ids ?? null,
        accounts_fetched_at: list?.fetched_at ?? null,
        updated_at: row.updated_at,
      };
    }),
  );
  await db.schema.dropTable('account_lists');
  await db.schema.dropTable('link_data');
}
