import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseWebhook } from '../../server/belvo/belvo-webhooks.ts';

const SEEDS = fileURLToPath(new URL('../fixtures/belvo-webhooks/', import.meta.url));
const seed = (name: string) => JSON.parse(readFileSync(join(SEEDS, name), 'utf8')) as Record<string, unknown>;

const EXPECTED_KIND: Record<string, string> = {
  'link-invalid-credentials.json': 'invalid_credentials',
  'link-token-required.json': 'token_required',
  'link-token-required-null-generation-data.json': 'token_required',
  'link-token-required-null-value.json': 'token_required',
  'accounts-historical-update.json': 'link_data',
  'accounts-new-accounts-available.json': 'link_data',
  'transactions-historical-update.json': 'link_data',
  'transactions-new-transactions-available.json': 'link_data',
  'transactions-updated.json': 'link_data',
  'transactions-deleted.json': 'link_data',
  'owners-historical-update.json': 'link_data',
  'owners-new-owners-available.json': 'link_data',
  'bills-historical-update.json': 'link_data',
  'bills-new-bills-available.json': 'link_data',
  'investments-historical-update.json': 'link_data',
  'investments-new-investments-available.json': 'link_data',
  'investment-transactions-historical-update.json': 'link_data',
  'consent-about-to-expire.json': 'consent',
  'consent-expired.json': 'consent',
  'consent-expired-short-code.json': 'consent',
  'consent-temporarily-unavailable.json': 'consent',
  'consent-unrecoverable-resources.json': 'consent',
  'consent-expiration-changed.json': 'consent_expiration_changed',
  'payments-bank-account-created.json': 'payments',
  'payments-payment-intent-status.json': 'payments',
  'payments-payment-intent-failed.json': 'payments',
  'payments-payment-intent-succeeded-pse.json': 'payments',
  'payments-transaction-created.json': 'payments',
  'payments-transaction-failed.json': 'payments',
  'payments-charge-created.json': 'payments',
  'payments-charge-succeeded.json': 'payments',
  'payments-charge-failed.json': 'payments',
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

  test('an unknown LINK or CONSENT code is accepted as unknown', () => {
    for (const type of ['LINK', 'CONSENT']) {
      const parsed = parseWebhook({ webhook_id: 'x', webhook_type: type, webhook_code: 'HAPPENED', link_id: 'l' });
      assert.ok(parsed.ok);
      assert.equal(parsed.webhook.kind, 'unknown');
    }
  });

  test('an unknown type about a link is a data event, recorded on the link', () => {
    const parsed = parseWebhook({ webhook_id: 'x', webhook_type: 'NEW_THING', webhook_code: 'HAPPENED', link_id: 'l' });
    assert.ok(parsed.ok);
    assert.equal(parsed.webhook.kind, 'link_data');
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

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const core = (extra: Record<string, unknown>) => ({ webhook_id: 'w1', webhook_type: 'TRANSACTIONS', webhook_code: 'historical_update', ...extra });

describe('the family is told by link_id versus object_id, never by webhook_type', () => {
  test('TRANSACTIONS with a link_id is aggregation, with an object_id payments', () => {
    const aggregation = parseWebhook(core({ link_id: LINK, data: { total_transactions: 19 } }));
    const payments = parseWebhook(core({ webhook_code: 'OBJECT_CREATED', object_id: LINK, data: {} }));
    assert.ok(aggregation.ok && payments.ok);
    assert.equal(aggregation.webhook.kind, 'link_data');
    assert.equal(payments.webhook.kind, 'payments');
  });

  test('a null link_id beside an object_id is payments; both ids given is aggregation', () => {
    const nullLink = parseWebhook(core({ link_id: null, object_id: LINK }));
    assert.ok(nullLink.ok && nullLink.webhook.kind === 'payments');
    const both = parseWebhook(core({ link_id: LINK, object_id: LINK }));
    assert.ok(both.ok && both.webhook.kind === 'link_data');
  });

  test('any type with an object_id is payments: CHARGES, and types Belvo adds later', () => {
    for (const type of ['CHARGES', 'CUSTOMERS', 'PAYMENT_AUTHORIZATIONS']) {
      const parsed = parseWebhook({ webhook_id: 'p', webhook_type: type, webhook_code: 'STATUS_UPDATE', object_id: LINK, data: { status: 'x' } });
      assert.ok(parsed.ok && parsed.webhook.kind === 'payments', type);
    }
  });
});

describe('data', () => {
  test('null or absent reads as an empty object, in both families', () => {
    for (const extra of [{ link_id: LINK, data: null }, { link_id: LINK }, { object_id: LINK, data: null }]) {
      const parsed = parseWebhook(core(extra));
      assert.ok(parsed.ok, JSON.stringify(extra));
      assert.deepEqual(parsed.webhook.payload.data, {});
    }
  });

  test('a data that is not an object does not make a data event refused', () => {
    for (const data of [['a', 'b'], 'text', 3]) {
      const parsed = parseWebhook(core({ link_id: LINK, webhook_code: 'transactions_deleted', data }));
      assert.ok(parsed.ok, JSON.stringify(data));
      assert.deepEqual(parsed.webhook.payload.data, {});
    }
  });

  test('informational fields of the wrong type or size are dropped, not refused', () => {
    const credentials = parseWebhook({ ...seed('link-invalid-credentials.json'), data: { error_code: 42, error_message: 'x'.repeat(5000), status: '400' } });
    assert.ok(credentials.ok && credentials.webhook.kind === 'invalid_credentials');
    const { error_code: code, error_message: message, status } = credentials.webhook.payload.data;
    assert.deepEqual([code, message, status], [undefined, undefined, undefined]);
    const consent = seed('consent-about-to-expire.json');
    Object.assign(consent['data'] as object, { institution: 'i'.repeat(500), consent_due_date: 'next tuesday', institution_display_name: 7 });
    const parsed = parseWebhook(consent);
    assert.ok(parsed.ok && parsed.webhook.kind === 'consent');
    assert.equal(parsed.webhook.payload.data.institution, undefined);
    assert.equal(parsed.webhook.payload.data.consent_due_date, undefined);
    assert.equal(parsed.webhook.payload.data.consent_id, '9e763d19-15a4-410c-a106-18c0f60ca5eb');
  });

  test('a consent due date may be an instant with its offset or a bare date', () => {
    for (const due of ['2024-12-26T10:45:58.000Z', '2024-12-26T10:45:58-03:00', '2024-12-26']) {
      const body = seed('consent-about-to-expire.json');
      (body['data'] as Record<string, unknown>)['consent_due_date'] = due;
      const parsed = parseWebhook(body);
      assert.ok(parsed.ok && parsed.webhook.kind === 'consent');
      assert.equal(parsed.webhook.payload.data.consent_due_date, due);
    }
  });
});

describe('core fields are strict: they become columns and keys', () => {
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['a link_id that is a number', { link_id: 49 }, 'link_id'],
    ['a link_id longer than the 64 characters stored', { link_id: 'a'.repeat(65) }, 'link_id'],
    ['a link_id with a NUL', { link_id: 'abc\u0000' }, 'link_id'],
    ['a webhook_id with a line break', { webhook_id: 'w\n1' }, 'webhook_id'],
    ['a webhook_code that is an object', { webhook_code: { a: 1 } }, 'webhook_code'],
    ['an external_id that is a number', { external_id: 7 }, 'external_id'],
    ['an object_id that is an array', { link_id: undefined, object_id: ['x'] }, 'object_id'],
  ];
  for (const [what, extra, field] of refused) {
    test(`${what} is refused naming ${field}`, () => {
      const parsed = parseWebhook({ ...seed('link-invalid-credentials.json'), ...extra });
      assert.ok(!parsed.ok);
      assert.equal(parsed.field, field);
    });
  }

  test('an odd link id of the right size is accepted: it is recorded, and never sent to Belvo', () => {
    for (const linkId of ['${7*7}', '%00', '../../api/token', 'l-1']) {
      const parsed = parseWebhook({ ...seed('link-invalid-credentials.json'), link_id: linkId });
      assert.ok(parsed.ok, linkId);
      assert.equal(parsed.webhook.payload.link_id, linkId);
    }
  });

  test('a body that is an array, a string or null is refused', () => {
    for (const body of [[seed('link-invalid-credentials.json')], 'x', null]) {
      const parsed = parseWebhook(body);
      assert.ok(!parsed.ok);
      assert.equal(parsed.field, '(body)');
    }
  });
});

describe('MFA and consent variants REAL-API.md marks unconfirmed', () => {
  test('token_generation_data: null opens an MFA challenge without a hint', () => {
    const parsed = parseWebhook(seed('link-token-required-null-generation-data.json'));
    assert.ok(parsed.ok && parsed.webhook.kind === 'token_required');
    assert.equal(parsed.webhook.payload.data.token_generation_data, null);
    assert.equal(parsed.webhook.payload.data.expiry, 9600);
  });

  test('a null value leaves the value out and keeps the rest of the challenge', () => {
    const parsed = parseWebhook(seed('link-token-required-null-value.json'));
    assert.ok(parsed.ok && parsed.webhook.kind === 'token_required');
    assert.deepEqual(parsed.webhook.payload.data.token_generation_data, {
      instructions: 'Type the code the bank sent to your phone',
      type: 'numeric',
      expects_user_input: true,
    });
  });

  test('a token_generation_data that is not an object is dropped, and the challenge still opens', () => {
    const body = seed('link-token-required.json');
    (body['data'] as Record<string, unknown>)['token_generation_data'] = 'numeric';
    const parsed = parseWebhook(body);
    assert.ok(parsed.ok && parsed.webhook.kind === 'token_required');
    assert.equal(parsed.webhook.payload.data.token_generation_data, undefined);
  });

  test('consent_expired is read as openfinance_consent_expired', () => {
    const parsed = parseWebhook(seed('consent-expired-short-code.json'));
    assert.ok(parsed.ok && parsed.webhook.kind === 'consent');
    assert.equal(parsed.webhook.payload.webhook_code, 'openfinance_consent_expired');
  });

  test('consent_expired under another type is not a consent code', () => {
    const parsed = parseWebhook({ ...seed('consent-expired-short-code.json'), webhook_type: 'LINK' });
    assert.ok(parsed.ok);
    assert.equal(parsed.webhook.kind, 'unknown');
    assert.equal(parsed.webhook.payload.webhook_code, 'consent_expired');
  });

  test('openfinance_consent_expiration_changed is read with its due date, or without one', () => {
    const parsed = parseWebhook(seed('consent-expiration-changed.json'));
    assert.ok(parsed.ok && parsed.webhook.kind === 'consent_expiration_changed');
    assert.equal(parsed.webhook.payload.data.consent_due_date, '2025-06-26T10:45:58.000Z');
    const bare = parseWebhook({ ...seed('consent-expiration-changed.json'), data: { new_expiration: 'soon' } });
    assert.ok(bare.ok && bare.webhook.kind === 'consent_expiration_changed');
    assert.equal(bare.webhook.payload.data.consent_due_date, undefined);
  });
});
