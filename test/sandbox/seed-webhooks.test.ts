import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SEED_WEBHOOKS,
  SEED_WEBHOOK_NAMES,
  freshSeedWebhook,
  seedWebhookFamily,
  seedWebhookLabel,
} from '../../server/sandbox/seed-webhooks.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/belvo-webhooks/', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as unknown;

describe('seed webhooks', () => {
  test('every documented webhook is available, aggregation and payments alike, each exactly as its fixture', () => {
    assert.deepEqual([...SEED_WEBHOOK_NAMES].sort(), readdirSync(FIXTURES).map((f) => f.replace(/\.json$/, '')).sort());
    for (const name of SEED_WEBHOOK_NAMES) assert.deepEqual(SEED_WEBHOOKS[name], fixture(name), name);
    assert.equal(seedWebhookLabel('link-invalid-credentials'), 'LINK · invalid_credentials');
    assert.equal(SEED_WEBHOOKS['link-token-required'].data!['session'], '2675b703b9d4451f8d4861a3eee54449');
  });

  test('families are told by link_id versus object_id, not by type', () => {
    assert.equal(seedWebhookFamily('transactions-historical-update'), 'data');
    assert.equal(seedWebhookFamily('payments-transaction-created'), 'payments');
    assert.equal(seedWebhookFamily('consent-expiration-changed'), 'consent');
    assert.equal(seedWebhookFamily('link-token-required-null-generation-data'), 'link');
  });

  test('a fresh copy has a new webhook_id in the seed format and the given link and user', () => {
    const a = freshSeedWebhook('link-invalid-credentials', { linkId: 'L-1', externalId: 'user-7' });
    const b = freshSeedWebhook('link-invalid-credentials');
    assert.match(a.webhook_id, /^[0-9a-f]{32}$/);
    assert.notEqual(a.webhook_id, b.webhook_id);
    assert.notEqual(a.webhook_id, SEED_WEBHOOKS['link-invalid-credentials'].webhook_id);
    assert.equal(a.link_id, 'L-1');
    assert.equal(a.external_id, 'user-7');
    assert.equal(b.link_id, SEED_WEBHOOKS['link-invalid-credentials'].link_id);
  });

  test('consent webhooks take an external_id in place of their null one', () => {
    assert.equal(freshSeedWebhook('consent-expired', { externalId: 'user-9' }).external_id, 'user-9');
  });

  test('payments webhooks keep their UUID ids and gain no link_id or external_id', () => {
    const payload = freshSeedWebhook('payments-payment-intent-status', { linkId: 'L-2', externalId: 'user-8' });
    assert.match(payload.webhook_id, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.equal('link_id' in payload, false);
    assert.equal('external_id' in payload, false);
  });

  test('a token_required copy carries the given MFA session; the constants never change', () => {
    const payload = freshSeedWebhook('link-token-required', {
      mfaSession: { session: 'f'.repeat(32), expiry: 600, token_generation_data: { type: 'numeric', value: '1' } },
    });
    assert.equal(payload.data!['session'], 'f'.repeat(32));
    assert.equal(payload.data!['expiry'], 600);
    assert.equal(SEED_WEBHOOKS['link-token-required'].data!['expiry'], 9600);
    assert.throws(() => {
      (SEED_WEBHOOKS['link-token-required'].data as Record<string, unknown>)['expiry'] = 1;
    }, TypeError);
  });

  test('a variant without a hint keeps it when given a session: the simulator session, Belvo\'s null challenge', () => {
    const session = { session: 'e'.repeat(32), expiry: 600, token_generation_data: { type: 'numeric', value: '1' } };
    const nullData = freshSeedWebhook('link-token-required-null-generation-data', { mfaSession: session });
    assert.equal(nullData.data!['session'], 'e'.repeat(32));
    assert.equal(nullData.data!['token_generation_data'], null);
    const nullValue = freshSeedWebhook('link-token-required-null-value', { mfaSession: session });
    assert.equal((nullValue.data!['token_generation_data'] as Record<string, unknown>)['value'], null);
  });
});
