import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountsActivity } from '../../server/accounts/accounts-activity.ts';
import { accountsSchema } from '../../server/webhooks/webhook-schemas.ts';
import { T0 } from '../support/records.ts';

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const payload = (code: string, data: Record<string, unknown>) =>
  accountsSchema.parse({ webhook_id: 'w1', webhook_type: 'ACCOUNTS', webhook_code: code, link_id: LINK, data });

test('historical_update is recorded with its total and asks for no account list', () => {
  assert.deepEqual(accountsActivity(payload('historical_update', { total_accounts: 5 }), T0), {
    linkId: LINK,
    webhookId: 'w1',
    code: 'historical_update',
    at: T0,
    totalAccounts: 5,
    newAccounts: null,
    fetchAccounts: false,
  });
});

test('new_accounts_available is recorded with how many are new and asks for the account list', () => {
  const a = accountsActivity(payload('new_accounts_available', { new_accounts: 1 }), T0);
  assert.equal(a.newAccounts, 1);
  assert.equal(a.totalAccounts, null);
  assert.equal(a.fetchAccounts, true);
});
