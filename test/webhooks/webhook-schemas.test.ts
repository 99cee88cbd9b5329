import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseWebhook } from '../../server/webhooks/webhook-schemas.ts';

const SEEDS = fileURLToPath(new URL('../fixtures/belvo-webhooks/', import.meta.url));
const seed = (name: string) => JSON.parse(readFileSync(join(SEEDS, name), 'utf8')) as Record<string, unknown>;

const EXPECTED_KIND: Record<string, string> = {
  'link-invalid-credentials.json': 'invalid_credentials',
  'link-token-required.json': 'token_required',
  'accounts-historical-update.json': 'accounts',
  'accounts-new-accounts-available.json': 'accounts',
  'consent-about-to-expire.json': 'consent',
  'consent-expired.json': 'consent',
  'consent-temporarily-unavailable.json': 'consent',
  'consent-unrecoverable-resources.json': 'consent',
  'payments-bank-account-created.json': 'payments',
  'payments-payment-intent-status.json': 'payments',
  'payments-transaction-created.json': 'payments',
};

describe('every seed webhook parses', () => {
  test('the seed folder holds exactly the payloads this test knows', () => {
    assert.deepEqual(readdirSync(SEEDS).sort(), Object.keys(EXPECTED_KIND).sort());
  });

  for (const [file, kind] of Object.entries(EXPECTED_KIND)) {
    test(`${file} is read as ${kind}`, () => {
      const parsed = parseWebhook(seed(file));
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.equal(parsed.webhook.kind, kind);
    });
  }
});

describe('payload rules', () => {
  test('fields Belvo adds later are kept, at the top and inside data', () => {
    const body: Record<string, unknown> = { ...seed('link-token-required.json'), new_top: 1 };
    (body['data'] as Record<string, unknown>)['new_inner'] = 'x';
    const parsed = parseWebhook(body);
    assert.ok(parsed.ok);
    assert.equal((parsed.webhook.payload as Record<string, unknown>)['new_top'], 1);
    assert.equal((parsed.webhook.payload.data as Record<string, unknown>)['new_inner'], 'x');
  });

  test('a consent webhook with a null external_id is accepted', () => {
    const parsed = parseWebhook(seed('consent-expired.json'));
    assert.ok(parsed.ok);
    assert.equal(parsed.webhook.payload.external_id, null);
  });

  for (const field of ['webhook_id', 'webhook_type', 'webhook_code']) {
    test(`a payload without ${field} is refused naming it`, () => {
      const body = seed('link-invalid-credentials.json');
      delete body[field];
      assert.deepEqual(parseWebhook(body), { ok: false, field, message: 'Invalid input: expected string, received undefined' });
    });
  }

  test('a payload with neither link_id nor object_id is refused naming link_id', () => {
    const body = seed('link-invalid-credentials.json');
    delete body['link_id'];
    const parsed = parseWebhook(body);
    assert.ok(!parsed.ok);
    assert.equal(parsed.field, 'link_id');
  });

  test('token_required without its session is refused naming data.session', () => {
    const body = seed('link-token-required.json');
    delete (body['data'] as Record<string, unknown>)['session'];
    const parsed = parseWebhook(body);
    assert.ok(!parsed.ok);
    assert.equal(parsed.field, 'data.session');
  });

  test('an unknown type or code is accepted as unknown', () => {
    const parsed = parseWebhook({ webhook_id: 'x', webhook_type: 'NEW_THING', webhook_code: 'HAPPENED', link_id: 'l' });
    assert.ok(parsed.ok);
    assert.equal(parsed.webhook.kind, 'unknown');
  });

  test('a body that is not an object is refused', () => {
    const parsed = parseWebhook('hello');
    assert.ok(!parsed.ok);
    assert.equal(parsed.field, '(body)');
  });
});

describe('the MFA challenge in either of the spellings Belvo documents', () => {
  test('a numeric-string expiry and expect_user_input are read as a number and expects_user_input', () => {
    const body = seed('link-token-required.json');
    const data = body['data'] as Record<string, unknown>;
    data['expiry'] = '720';
    data['token_generation_data'] = { instructions: 'Approve it in the app', type: 'push', expect_user_input: false };
    const parsed = parseWebhook(body);
    assert.ok(parsed.ok && parsed.webhook.kind === 'token_required');
    assert.equal(parsed.webhook.payload.data.expiry, 720);
    assert.deepEqual(parsed.webhook.payload.data.token_generation_data, {
      instructions: 'Approve it in the app',
      type: 'push',
      expects_user_input: false,
    });
  });

  test('an expiry that is not a number of seconds is refused naming data.expiry', () => {
    const body = seed('link-token-required.json');
    (body['data'] as Record<string, unknown>)['expiry'] = 'soon';
    const parsed = parseWebhook(body);
    assert.ok(!parsed.ok);
    assert.equal(parsed.field, 'data.expiry');
  });
});
