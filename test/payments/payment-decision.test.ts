import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decidePayment, olderThanKept, type PaymentRecord, type PaymentStatus } from '../../server/payments/payment-decision.ts';
import { parseWebhook, type PaymentsWebhook } from '../../server/belvo/belvo-webhooks.ts';
import { T0 } from '../support/records.ts';

const OBJECT = 'd2e40773-19f6-48d1-93c3-3590ec0c74df';

function payment(type: string, code: string, data: Record<string, unknown> | null = {}): PaymentsWebhook {
  const parsed = parseWebhook({ webhook_id: `w-${Math.random()}`, webhook_type: type, webhook_code: code, object_id: OBJECT, data });
  assert.ok(parsed.ok && parsed.webhook.kind === 'payments');
  return parsed.webhook.payload;
}
const intent = (data: Record<string, unknown>) => payment('PAYMENT_INTENTS', 'STATUS_UPDATE', data);

function stored(overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    objectType: 'PAYMENT_INTENTS',
    objectId: OBJECT,
    lastCode: 'STATUS_UPDATE',
    lastWebhookId: 'w0',
    events: 1,
    status: 'PROCESSING',
    failureCode: null,
    failureMessage: null,
    statusEventId: 10,
    statusAt: null,
    firstSeenAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const status = (s: string, eventId: number, at: number | null = null): PaymentStatus => ({
  status: s,
  failureCode: null,
  failureMessage: null,
  eventId,
  at,
});

describe('decidePayment: what a payments webhook records', () => {
  test('the first status of a payment intent is kept, with its failure code and message', () => {
    const d = decidePayment(intent({ status: 'FAILED', failure_code: 'insufficient_funds', failure_message: 'Not enough money' }), 7, undefined);
    assert.equal(d.type, 'record_payment');
    assert.equal(d.objectType, 'PAYMENT_INTENTS');
    assert.equal(d.objectId, OBJECT);
    assert.deepEqual(d.status, { status: 'FAILED', failureCode: 'insufficient_funds', failureMessage: 'Not enough money', eventId: 7, at: null });
    assert.equal(d.ignored, undefined);
  });

  test('an OBJECT_CREATED of any type is recorded without a status, with data empty or null', () => {
    for (const type of ['BANK_ACCOUNTS', 'TRANSACTIONS', 'CHARGES']) {
      for (const data of [{}, null]) {
        const d = decidePayment(payment(type, 'OBJECT_CREATED', data), 3, undefined);
        assert.equal(d.objectType, type);
        assert.equal(d.code, 'OBJECT_CREATED');
        assert.equal(d.status, undefined);
      }
    }
  });

  test('a charge keeps its status: SCHEDULED, then SUCCEEDED, FAILED or CANCELED, never back', () => {
    const charge = (data: Record<string, unknown>) => payment('CHARGES', 'STATUS_UPDATE', data);
    const kept = (s: string, eventId: number) => stored({ objectType: 'CHARGES', status: s, statusEventId: eventId });
    assert.equal(decidePayment(charge({ status: 'SCHEDULED' }), 1, undefined).status?.status, 'SCHEDULED');
    for (const final of ['SUCCEEDED', 'FAILED', 'CANCELED']) {
      assert.equal(decidePayment(charge({ status: final }), 2, kept('SCHEDULED', 1)).status?.status, final);
      const late = decidePayment(charge({ status: 'SCHEDULED' }), 3, kept(final, 2));
      assert.equal(late.status, undefined, `SCHEDULED after ${final}`);
      assert.match(late.ignored ?? '', new RegExp(`SCHEDULED comes before ${final}`));
    }
    const failed = decidePayment(charge({ status: 'FAILED', failure_code: 'INSUFFICIENT_FUNDS', failure_message: 'The account has insufficient funds' }), 4, undefined);
    assert.deepEqual(failed.status, { status: 'FAILED', failureCode: 'INSUFFICIENT_FUNDS', failureMessage: 'The account has insufficient funds', eventId: 4, at: null });
  });

  test('a status, failure code or message too long or with control characters for its column is not stored as given', () => {
    const d = decidePayment(
      payment('CHARGES', 'STATUS_UPDATE', { status: 'S'.repeat(65), failure_code: 'bad\u0000code' }),
      5,
      undefined,
    );
    assert.equal(d.status, undefined, 'no status is better than a refused row');
    const m = decidePayment(payment('CHARGES', 'STATUS_UPDATE', { status: 'FAILED', failure_code: 'c\u0000', failure_message: `a\u0000b${'x'.repeat(3000)}` }), 6, undefined);
    assert.equal(m.status?.failureCode, null);
    assert.equal(m.status?.failureMessage?.startsWith('abx'), true);
    assert.equal(m.status?.failureMessage?.length, 2000);
  });

  test('a payment intent event without a status changes nothing about the status', () => {
    const d = decidePayment(intent({}), 11, stored());
    assert.equal(d.status, undefined);
    assert.equal(d.ignored, undefined);
  });

  test('a later stage replaces the status kept', () => {
    const d = decidePayment(intent({ status: 'SUCCEEDED' }), 11, stored({ status: 'PROCESSING', statusEventId: 10 }));
    assert.equal(d.status?.status, 'SUCCEEDED');
  });

  test('an earlier stage arriving after a later one is ignored, even though it was received last', () => {
    const d = decidePayment(intent({ status: 'PROCESSING' }), 12, stored({ status: 'SUCCEEDED', statusEventId: 11 }));
    assert.equal(d.status, undefined);
    assert.match(d.ignored ?? '', /PROCESSING comes before SUCCEEDED/);
  });

  test('a final status is never undone by an earlier stage', () => {
    for (const earlier of ['REQUIRES_ACTION', 'PROCESSING']) {
      assert.ok(decidePayment(intent({ status: earlier }), 99, stored({ status: 'FAILED' })).ignored);
    }
  });
});

describe('olderThanKept: which of two statuses is older', () => {
  test('lifecycle first: REQUIRES_ACTION < PROCESSING < SUCCEEDED = FAILED, whatever the receipt order', () => {
    assert.ok(olderThanKept(status('REQUIRES_ACTION', 9), status('PROCESSING', 1)));
    assert.equal(olderThanKept(status('PROCESSING', 1), status('REQUIRES_ACTION', 9)), undefined);
    assert.equal(olderThanKept(status('succeeded', 1), status('PROCESSING', 9)), undefined, 'case does not matter');
  });

  test('same stage with timestamps in data: the later timestamp wins over receipt order', () => {
    assert.ok(olderThanKept(status('FAILED', 20, T0), status('SUCCEEDED', 10, T0 + 1000)));
    assert.equal(olderThanKept(status('FAILED', 5, T0 + 1000), status('SUCCEEDED', 10, T0)), undefined);
  });

  test('same stage without timestamps: the order of receipt decides', () => {
    assert.ok(olderThanKept(status('SUCCEEDED', 4), status('FAILED', 5)));
    assert.equal(olderThanKept(status('SUCCEEDED', 6), status('FAILED', 5)), undefined);
  });

  test('an unknown status counts as in progress: it follows REQUIRES_ACTION and never undoes a final one', () => {
    assert.equal(olderThanKept(status('AUTHORIZING', 2), status('REQUIRES_ACTION', 1)), undefined);
    assert.ok(olderThanKept(status('AUTHORIZING', 3), status('SUCCEEDED', 2)));
  });

  test('a timestamp in data is read from updated_at, else created_at', () => {
    const d = decidePayment(intent({ status: 'PROCESSING', created_at: '2026-11-23T15:00:00Z' }), 1, undefined);
    assert.equal(d.status?.at, Date.parse('2026-11-23T15:00:00Z'));
    const e = decidePayment(intent({ status: 'PROCESSING', updated_at: '2026-11-23T16:00:00Z', created_at: '2026-11-23T15:00:00Z' }), 1, undefined);
    assert.equal(e.status?.at, Date.parse('2026-11-23T16:00:00Z'));
  });
});
