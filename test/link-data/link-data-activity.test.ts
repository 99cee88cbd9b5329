import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkDataActivity, provesLinkWorks, summaryOf } from '../../server/link-data/link-data-activity.ts';
import { linkDataSchema } from '../../server/belvo/belvo-webhooks.ts';
import { T0 } from '../support/records.ts';

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const payload = (type: string, code: string, data: unknown, linkId = LINK) =>
  linkDataSchema.parse({ webhook_id: 'w1', webhook_type: type, webhook_code: code, link_id: linkId, data });

describe('what a data webhook says about its link', () => {
  test('ACCOUNTS historical_update is recorded with its total and asks for no account list', () => {
    assert.deepEqual(linkDataActivity(payload('ACCOUNTS', 'historical_update', { total_accounts: 5 }), T0), {
      linkId: LINK,
      resource: 'ACCOUNTS',
      webhookId: 'w1',
      code: 'historical_update',
      at: T0,
      summary: { total_accounts: 5 },
      fetchAccounts: false,
    });
  });

  test('ACCOUNTS new_accounts_available asks for the account list', () => {
    const a = linkDataActivity(payload('ACCOUNTS', 'new_accounts_available', { new_accounts: 1 }), T0);
    assert.deepEqual(a.summary, { new_accounts: 1 });
    assert.equal(a.fetchAccounts, true);
  });

  test('but never for a link id that is not a Belvo id', () => {
    assert.equal(linkDataActivity(payload('ACCOUNTS', 'new_accounts_available', { new_accounts: 1 }, '${7*7}'), T0).fetchAccounts, false);
  });

  test('TRANSACTIONS historical_update keeps its counts and dates, under the resource TRANSACTIONS', () => {
    const data = {
      total_transactions: 19,
      total_inflow_transactions: 10,
      total_outflow_transactions: 9,
      first_transaction_date: '2023-01-03',
      last_transaction_date: '2024-01-03',
    };
    const a = linkDataActivity(payload('TRANSACTIONS', 'historical_update', data), T0);
    assert.equal(a.resource, 'TRANSACTIONS');
    assert.deepEqual(a.summary, data);
    assert.equal(a.fetchAccounts, false);
  });

  test('data: null is an empty summary', () => {
    assert.deepEqual(linkDataActivity(payload('OWNERS', 'historical_update', null), T0).summary, {});
  });
});

describe('the summary keeps short scalars only', () => {
  test('objects, arrays, long text, control characters and non-finite numbers are left out; at most 20 fields', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`n${i}`, i]));
    assert.equal(Object.keys(summaryOf(many)).length, 20);
    assert.deepEqual(
      summaryOf({ ids: ['a'], nested: { x: 1 }, long: 'x'.repeat(101), nul: 'a\u0000b', ok: 'yes', flag: true, zero: 0 }),
      { ok: 'yes', flag: true, zero: 0 },
    );
  });
});

describe('which events show the link works', () => {
  for (const code of ['historical_update', 'new_accounts_available', 'new_transactions_available', 'new_owners_available', 'new_bills_available']) {
    test(`${code} does`, () => assert.equal(provesLinkWorks(code), true));
  }
  for (const code of ['transactions_updated', 'transactions_deleted', 'something_else']) {
    test(`${code} does not`, () => assert.equal(provesLinkWorks(code), false));
  }
});
