import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SEED_WEBHOOKS,
  SEED_WEBHOOK_NAMES,
  freshSeedWebhook,
  seedWebhookLabel,
} from '../../server/sandbox/seed-webhooks.ts';

describe('seed webhooks', () => {
  test('every documented webhook is available, aggregation and payments alike', () => {
    assert.equal(SEED_WEBHOOK_NAMES.length, 11);
    assert.equal(seedWebhookLabel('link-invalid-credentials'), 'LINK · invalid_credentials');
    assert.equal(SEED_WEBHOOKS['link-token-required'].data['session'], '2675b703b9d4451f8d4861a3eee54449');
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
    assert.equal(payload.data['session'], 'f'.repeat(32));
    assert.equal(payload.data['expiry'], 600);
    assert.equal(SEED_WEBHOOKS['link-token-required'].data['expiry'], 9600);
    assert.throws(() => {
      (SEED_WEBHOOKS['link-token-required'].data as Record<string, unknown>)['expiry'] = 1;
    }, TypeError);
  });
});
