// Migration 202611300100_link-data: what link_accounts held moves to link_data (the last ACCOUNTS
// event) and account_lists (the list read from Belvo), and back again on the way down.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrationSource } from '../../server/db/migration-source.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const NAME = '202611300100_link-data.ts';
const LISTED = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const UNLISTED = '30cb4806-6e00-48a4-91c9-ca55968576c8';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

test('rows of link_accounts carry over to link_data and account_lists, and back', async () => {
  const { db } = database;
  await db.migrate.down({ migrationSource, name: NAME });
  await db('link_accounts').insert([
    {
      link_id: LISTED,
      last_webhook_id: 'w1',
      last_code: 'new_accounts_available',
      last_event_at: 1000,
      total_accounts: null,
      new_accounts: 1,
      accounts_count: 2,
      account_ids: JSON.stringify(['a1', 'a2']),
      accounts_fetched_at: 1500,
      updated_at: 1500,
    },
    { link_id: UNLISTED, last_webhook_id: 'w2', last_code: 'historical_update', last_event_at: 2000, total_accounts: 5, updated_at: 2000 },
  ]);

  await db.migrate.up({ migrationSource, name: NAME });
  const data = await db('link_data').orderBy('link_id').select('link_id', 'resource', 'last_code', 'summary');
  assert.deepEqual(
    data.map((r) => ({ ...r, summary: JSON.parse(r.summary) })),
    [
      { link_id: LISTED, resource: 'ACCOUNTS', last_code: 'new_accounts_available', summary: { new_accounts: 1 } },
      { link_id: UNLISTED, resource: 'ACCOUNTS', last_code: 'historical_update', summary: { total_accounts: 5 } },
    ],
  );
  const lists = await db('account_lists').select();
  assert.deepEqual(
    lists.map((r) => [r.link_id, r.accounts_count, JSON.parse(r.account_ids), Number(r.fetched_at)]),
    [[LISTED, 2, ['a1', 'a2'], 1500]],
  );
  assert.equal(await db.schema.hasTable('link_accounts'), false);

  await db.migrate.down({ migrationSource, name: NAME });
  const back = await db('link_accounts').orderBy('link_id').select('link_id', 'total_accounts', 'new_accounts', 'accounts_count', 'account_ids');
  assert.deepEqual(back, [
    { link_id: LISTED, total_accounts: null, new_accounts: 1, accounts_count: 2, account_ids: JSON.stringify(['a1', 'a2']) },
    { link_id: UNLISTED, total_accounts: 5, new_accounts: null, accounts_count: null, account_ids: null },
  ]);
  await db.migrate.up({ migrationSource, name: NAME });
});
