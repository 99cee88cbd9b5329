import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type DecideContext } from '../../server/webhooks/decide.ts';
import { parseWebhook, type Webhook } from '../../server/belvo/belvo-webhooks.ts';
import { aCase, aLink, aUser, T0 } from '../support/records.ts';

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const HOUR = 3_600_000;

function webhook(body: Record<string, unknown>): Webhook {
  const parsed = parseWebhook({ webhook_id: 'w1', link_id: LINK, external_id: 'user-1', data: {}, ...body });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.webhook;
}

const invalidCredentials = () =>
  webhook({ webhook_type: 'LINK', webhook_code: 'invalid_credentials', data: { error_code: 'login_error', status: 400 } });
const tokenRequired = (session = '2675b703b9d4451f8d4861a3eee54449') =>
  webhook({
    webhook_type: 'LINK',
    webhook_code: 'token_required',
    data: { session, expiry: 9600, token_generation_data: { instructions: 'Use this code', type: 'numeric', value: '12345' } },
  });
const consent = (code: string) =>
  webhook({
    webhook_type: 'CONSENT',
    webhook_code: code,
    external_id: null,
    data: { consent_id: 'c1', consent_due_date: '2024-12-26T10:45:58.000Z', institution: 'ofmockbank_br_retail', institution_display_name: 'OF Mockbank' },
  });
const accounts = (code = 'historical_update') =>
  webhook({ webhook_type: 'ACCOUNTS', webhook_code: code, data: { total_accounts: 5 } });

function ctx(overrides: Partial<DecideContext> = {}): DecideContext {
  return {
    receivedAt: T0,
    now: T0,
    cooldownMs: HOUR,
    channelPolicy: { order: ['email', 'sms'], available: ['email', 'sms'] },
    user: aUser(),
    link: aLink(),
    institution: 'erebor_mx_retail',
    activeCase: undefined,
    linkCases: [],
    ...overrides,
  };
}

describe('decide: a new problem for a known user', () => {
  test('invalid_credentials opens a credentials case and e-mails the user first', () => {
    const d = decide(invalidCredentials(), ctx());
    assert.equal(d.type, 'open');
    assert.ok(d.type === 'open');
    assert.equal(d.kind, 'credentials');
    assert.equal(d.status, 'open');
    assert.equal(d.notify, 'email');
    assert.equal(d.institution, 'erebor_mx_retail');
    assert.equal(d.details.errorCode, 'login_error');
  });

  test('token_required opens an mfa case whose session expiry counts from when Belvo sent it', () => {
    const d = decide(tokenRequired(), ctx({ receivedAt: T0, now: T0 + 60_000 }));
    assert.ok(d.type === 'open');
    assert.equal(d.kind, 'mfa');
    assert.deepEqual(d.details.mfa, {
      session: '2675b703b9d4451f8d4861a3eee54449',
      expiresAt: T0 + 9600 * 1000,
      tokenGenerationData: { instructions: 'Use this code', type: 'numeric', value: '12345' },
    });
  });

  test('a user who prefers SMS is texted', () => {
    const d = decide(invalidCredentials(), ctx({ user: aUser({ channels: ['sms'] }) }));
    assert.ok(d.type === 'open');
    assert.equal(d.notify, 'sms');
  });

  test('CHANNEL_ORDER decides for a user who names no channel, WhatsApp included when it is set up', () => {
    const whatsappFirst = { order: ['whatsapp', 'email'], available: ['whatsapp', 'email', 'sms'] } as const;
    const d = decide(invalidCredentials(), ctx({ user: aUser({ phone: '+5511999999999' }), channelPolicy: whatsappFirst }));
    assert.ok(d.type === 'open');
    assert.equal(d.notify, 'whatsapp');
  });

  test('a user with only a phone is texted even without a stated preference', () => {
    const d = decide(invalidCredentials(), ctx({ user: aUser({ email: null }) }));
    assert.ok(d.type === 'open');
    assert.equal(d.notify, 'sms');
  });

  for (const code of [
    'openfinance_consent_about_to_expire',
    'openfinance_consent_expired',
    'openfinance_consent_with_unrecoverable_resources',
  ]) {
    test(`${code} opens a consent case with the consent's details and messages the user`, () => {
      const d = decide(consent(code), ctx());
      assert.ok(d.type === 'open');
      assert.equal(d.kind, 'consent');
      assert.equal(d.notify, 'email');
      assert.equal(d.institution, 'ofmockbank_br_retail');
      assert.equal(d.details.consent?.webhookCode, code);
      assert.equal(d.details.consent?.institutionDisplayName, 'OF Mockbank');
    });
  }

  test('temporarily unavailable consent resources are recorded for the operator without a message', () => {
    const d = decide(consent('openfinance_consent_with_temporarily_unavailable_resources'), ctx());
    assert.ok(d.type === 'open');
    assert.equal(d.notify, undefined);
  });

  test('the operator\'s list of consent codes decides which ones message the user', () => {
    const only = { consentCodesToNotify: ['openfinance_consent_with_temporarily_unavailable_resources'] };
    const temporary = decide(consent('openfinance_consent_with_temporarily_unavailable_resources'), ctx(only));
    const expiring = decide(consent('openfinance_consent_about_to_expire'), ctx(only));
    assert.ok(temporary.type === 'open' && expiring.type === 'open');
    assert.equal(temporary.notify, 'email');
    assert.equal(expiring.notify, undefined, 'left out of the list: recorded, not messaged');
    const none = decide(consent('openfinance_consent_expired'), ctx({ consentCodesToNotify: [] }));
    assert.ok(none.type === 'open' && none.notify === undefined);
  });
});

describe('decide: nobody to reach', () => {
  test('an unknown user makes an unreachable case and no message', () => {
    const d = decide(invalidCredentials(), ctx({ user: undefined }));
    assert.ok(d.type === 'open');
    assert.equal(d.status, 'unreachable');
    assert.equal(d.notify, undefined);
  });

  test('a user with neither e-mail nor phone makes an unreachable case', () => {
    const d = decide(invalidCredentials(), ctx({ user: aUser({ email: null, phone: null }) }));
    assert.ok(d.type === 'open');
    assert.equal(d.status, 'unreachable');
  });

  test('an unreachable case is reopened and messaged once the user is known', () => {
    const existing = aCase({ status: 'unreachable', userId: null, lastNotifiedAt: null });
    const d = decide(invalidCredentials(), ctx({ activeCase: existing }));
    assert.ok(d.type === 'update');
    assert.equal(d.reopen, true);
    assert.equal(d.notify, 'email');
  });
});

describe('decide: a repeated problem for an open case', () => {
  test('within the cool-down it updates the case without messaging again', () => {
    const d = decide(invalidCredentials(), ctx({ now: T0 + HOUR - 1, activeCase: aCase() }));
    assert.ok(d.type === 'update');
    assert.equal(d.caseId, 7);
    assert.equal(d.notify, undefined);
  });

  test('after the cool-down it messages again', () => {
    const d = decide(invalidCredentials(), ctx({ now: T0 + HOUR, activeCase: aCase() }));
    assert.ok(d.type === 'update');
    assert.equal(d.notify, 'email');
  });

  test('a new MFA session replaces the old one', () => {
    const old = aCase({
      kind: 'mfa',
      details: { mfa: { session: 'old', expiresAt: T0, tokenGenerationData: null } },
    });
    const d = decide(tokenRequired('a'.repeat(32)), ctx({ now: T0 + 1000, receivedAt: T0 + 1000, activeCase: old }));
    assert.ok(d.type === 'update');
    assert.equal(d.details.mfa?.session, 'a'.repeat(32));
    assert.equal(d.details.mfa?.expiresAt, T0 + 1000 + 9600 * 1000);
  });
});

describe('decide: events that fix or concern nothing', () => {
  test('historical_update resolves the link\'s open credentials and MFA cases as fixed elsewhere', () => {
    const cases = [aCase({ id: 1 }), aCase({ id: 2, kind: 'mfa' })];
    assert.deepEqual(decide(accounts(), ctx({ linkCases: cases })), {
      type: 'resolve',
      caseIds: [1, 2],
      reason: 'fixed_elsewhere',
    });
  });

  test('new_accounts_available also shows the link works again', () => {
    const d = decide(accounts('new_accounts_available'), ctx({ linkCases: [aCase()] }));
    assert.equal(d.type, 'resolve');
  });

  test('an ACCOUNTS event for a link with no open case is only recorded', () => {
    assert.equal(decide(accounts(), ctx()).type, 'record_only');
  });

  test('a payments event records its object and touches no case', () => {
    const payments = parseWebhook({ webhook_id: 'p', webhook_type: 'PAYMENT_INTENTS', webhook_code: 'STATUS_UPDATE', object_id: 'o', data: { status: 'SUCCEEDED' } });
    assert.ok(payments.ok);
    const d = decide(payments.webhook, ctx({ eventId: 4, linkCases: [aCase()] }));
    assert.ok(d.type === 'record_payment');
    assert.equal(d.objectId, 'o');
    assert.deepEqual(d.status, { status: 'SUCCEEDED', failureCode: null, failureMessage: null, eventId: 4, at: null });
  });

  test('a payment intent status older than the one kept is ignored', () => {
    const payments = parseWebhook({ webhook_id: 'p', webhook_type: 'PAYMENT_INTENTS', webhook_code: 'STATUS_UPDATE', object_id: 'o', data: { status: 'PROCESSING' } });
    assert.ok(payments.ok);
    const kept = {
      objectType: 'PAYMENT_INTENTS', objectId: 'o', lastCode: 'STATUS_UPDATE', lastWebhookId: 'q', events: 1, status: 'SUCCEEDED',
      failureCode: null, failureMessage: null, statusEventId: 3, statusAt: null, firstSeenAt: T0, updatedAt: T0,
    };
    const d = decide(payments.webhook, ctx({ eventId: 4, payment: kept }));
    assert.ok(d.type === 'record_payment');
    assert.equal(d.status, undefined);
    assert.ok(d.ignored);
  });

  test('unknown events are only recorded', () => {
    const unknown = webhook({ webhook_type: 'LINK', webhook_code: 'something_new' });
    assert.equal(unknown.kind, 'unknown');
    assert.equal(decide(unknown, ctx()).type, 'record_only');
  });
});

const data = (type: string, code: string, body: Record<string, unknown> = {}) => webhook({ webhook_type: type, webhook_code: code, data: body });
const consentCase = (code: string, overrides: Parameters<typeof aCase>[0] = {}) =>
  aCase({
    id: 9,
    kind: 'consent',
    details: {
      errorCode: code,
      consent: { consentId: 'c1', webhookCode: code, dueDate: '2026-12-03T18:00:00.000Z', institutionDisplayName: 'OF Mockbank', institutionLogo: null, message: null },
    },
    ...overrides,
  });

describe('decide: data webhooks of every resource', () => {
  for (const type of ['ACCOUNTS', 'TRANSACTIONS', 'OWNERS', 'BILLS', 'INVESTMENTS', 'INVESTMENT_TRANSACTIONS']) {
    test(`${type} historical_update resolves the link's credentials and MFA cases`, () => {
      const cases = [aCase({ id: 1 }), aCase({ id: 2, kind: 'mfa' })];
      assert.deepEqual(decide(data(type, 'historical_update'), ctx({ linkCases: cases })), { type: 'resolve', caseIds: [1, 2], reason: 'fixed_elsewhere' });
    });
  }

  test('new_transactions_available shows the link works too', () => {
    assert.equal(decide(data('TRANSACTIONS', 'new_transactions_available', { new_transactions: 5 }), ctx({ linkCases: [aCase()] })).type, 'resolve');
  });

  for (const code of ['transactions_updated', 'transactions_deleted']) {
    test(`${code} is Belvo's bookkeeping: recorded, and the case stays open`, () => {
      assert.equal(decide(data('TRANSACTIONS', code), ctx({ linkCases: [aCase()] })).type, 'record_only');
    });
  }

  test('a consent about to expire stays open: the consent works until its date', () => {
    const about = consentCase('openfinance_consent_about_to_expire');
    assert.deepEqual(decide(data('TRANSACTIONS', 'historical_update'), ctx({ linkCases: [about, aCase({ id: 1 })] })), {
      type: 'resolve',
      caseIds: [1],
      reason: 'fixed_elsewhere',
    });
    assert.equal(decide(data('OWNERS', 'historical_update'), ctx({ linkCases: [about] })).type, 'record_only');
  });

  test('an expired consent whose data flows again is resolved', () => {
    const d = decide(data('ACCOUNTS', 'historical_update'), ctx({ linkCases: [consentCase('openfinance_consent_expired')] }));
    assert.deepEqual(d, { type: 'resolve', caseIds: [9], reason: 'fixed_elsewhere' });
  });
});

describe('decide: a link id that is not a Belvo id', () => {
  for (const linkId of ['${7*7}', '%00', 'l-1', '16f68516-bcbc-4cf7-b815-c500d4204e28/../x']) {
    test(`${JSON.stringify(linkId)}: the case is recorded failed, nobody is messaged`, () => {
      const parsed = parseWebhook({ webhook_id: 'w1', webhook_type: 'LINK', webhook_code: 'invalid_credentials', link_id: linkId, external_id: 'user-1', data: {} });
      assert.ok(parsed.ok);
      const d = decide(parsed.webhook, ctx({ activeCase: aCase() }));
      assert.equal(d.type, 'refuse');
      assert.ok(d.type === 'refuse');
      assert.equal(d.linkId, linkId);
      assert.equal(d.kind, 'credentials');
      assert.equal(d.reason, 'invalid_link_id');
    });
  }

  test('token_required and consent codes are refused the same way', () => {
    for (const body of [
      { webhook_type: 'LINK', webhook_code: 'token_required', data: { session: 's' } },
      { webhook_type: 'CONSENT', webhook_code: 'openfinance_consent_expired', data: {} },
    ]) {
      const parsed = parseWebhook({ webhook_id: 'w1', link_id: 'not-a-uuid', ...body });
      assert.ok(parsed.ok);
      assert.equal(decide(parsed.webhook, ctx()).type, 'refuse');
    }
  });
});

describe('decide: MFA and consent variants', () => {
  test('token_required with token_generation_data null opens an MFA case and messages the user', () => {
    const d = decide(webhook({ webhook_type: 'LINK', webhook_code: 'token_required', data: { session: 's1', token_generation_data: null } }), ctx());
    assert.ok(d.type === 'open');
    assert.equal(d.kind, 'mfa');
    assert.equal(d.notify, 'email');
    assert.deepEqual(d.details.mfa, { session: 's1', expiresAt: null, tokenGenerationData: null });
  });

  test('consent_expired opens the same case as openfinance_consent_expired, messaged by default', () => {
    const d = decide(consent('consent_expired'), ctx());
    assert.ok(d.type === 'open');
    assert.equal(d.details.consent?.webhookCode, 'openfinance_consent_expired');
    assert.equal(d.notify, 'email');
  });
});

describe('decide: openfinance_consent_expiration_changed', () => {
  const changed = (body: Record<string, unknown>) =>
    webhook({ webhook_type: 'CONSENT', webhook_code: 'openfinance_consent_expiration_changed', external_id: null, data: body });

  test('moves an open consent case\'s due date and keeps everything else it knew', () => {
    const open = consentCase('openfinance_consent_about_to_expire');
    const d = decide(changed({ consent_id: 'c1', consent_due_date: '2027-01-15T12:00:00.000Z' }), ctx({ activeCase: open }));
    assert.ok(d.type === 'move_due_date');
    assert.equal(d.caseId, 9);
    assert.equal(d.dueDate, '2027-01-15T12:00:00.000Z');
    assert.equal(d.previousDueDate, '2026-12-03T18:00:00.000Z');
    assert.deepEqual(d.details.consent, { ...open.details.consent, dueDate: '2027-01-15T12:00:00.000Z' });
    assert.equal(d.details.consent?.webhookCode, 'openfinance_consent_about_to_expire', 'the page still speaks of the code that opened the case');
  });

  test('without a due date it is recorded on the case and changes nothing', () => {
    const open = consentCase('openfinance_consent_about_to_expire');
    const d = decide(changed({ something_else: 1 }), ctx({ activeCase: open }));
    assert.ok(d.type === 'move_due_date');
    assert.equal(d.dueDate, null);
    assert.deepEqual(d.details, open.details);
  });

  test('with no open consent case, or about another consent, it is only recorded', () => {
    assert.equal(decide(changed({ consent_due_date: '2027-01-15' }), ctx()).type, 'record_only');
    const other = decide(changed({ consent_id: 'c2', consent_due_date: '2027-01-15' }), ctx({ activeCase: consentCase('openfinance_consent_about_to_expire') }));
    assert.equal(other.type, 'record_only');
  });
});

describe('decide: payments webhooks of every type', () => {
  test('a CHARGES status is kept; OBJECT_CREATED with data null records the object without one', () => {
    const charge = parseWebhook({ webhook_id: 'c', webhook_type: 'CHARGES', webhook_code: 'STATUS_UPDATE', object_id: LINK, data: { status: 'SCHEDULED' } });
    const created = parseWebhook({ webhook_id: 'd', webhook_type: 'CHARGES', webhook_code: 'OBJECT_CREATED', object_id: LINK, data: null });
    assert.ok(charge.ok && created.ok);
    const d = decide(charge.webhook, ctx({ eventId: 3 }));
    assert.ok(d.type === 'record_payment');
    assert.equal(d.status?.status, 'SCHEDULED');
    const e = decide(created.webhook, ctx({ eventId: 2 }));
    assert.ok(e.type === 'record_payment');
    assert.equal(e.objectType, 'CHARGES');
    assert.equal(e.status, undefined);
  });
});
