import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BelvoApiError, BelvoTransportError } from '../../server/belvo/belvo-types.ts';
import { MAX_FAILED_ATTEMPTS, outcome, RETRY_AFTER_MS, type BelvoAnswer } from '../../server/portal/outcome.ts';
import type { PortalStep } from '../../server/portal/portal-result.ts';
import type { CaseRecord } from '../../server/cases/case-types.ts';
import { aCase, T0 } from '../support/records.ts';

const CANARY = 'canary-Secret-9f1c';

const apiError = (status: number, code: string, extra: Partial<{ field: string; mfa: BelvoApiError['mfa'] }> = {}) =>
  new BelvoApiError({
    status,
    errors: [{ code, message: `${code} happened`, request_id: 'req-42', ...(extra.field ? { field: extra.field } : {}) }],
    ...(extra.mfa ? { mfa: extra.mfa } : {}),
  });

const fails = (error: unknown): BelvoAnswer => ({ ok: false, error });

const tokenRequired = (expiry: number | undefined) =>
  apiError(428, 'token_required', {
    mfa: {
      session: 'session-2',
      expiry,
      tokenGenerationData: { instructions: 'Use the code', type: 'numeric', value: '12345', expects_user_input: true },
    },
  });

const mfaCase = (overrides: Partial<CaseRecord> = {}) =>
  aCase({
    kind: 'mfa',
    details: { mfa: { session: 'session-1', expiresAt: T0 + 600_000, tokenGenerationData: { type: 'numeric' } } },
    ...overrides,
  });

function run(answer: BelvoAnswer, step: PortalStep = 'password', caseRecord: CaseRecord = aCase()) {
  return outcome({ caseRecord, step, answer, now: T0 });
}

describe('outcome of a Belvo answer', () => {
  test('a 200 to the new password resolves the case and shows the success page', () => {
    const result = run({ ok: true });
    assert.equal(result.status, 'resolved');
    assert.deepEqual(result.page, { kind: 'notice', state: 'success', notice: 'resolved' });
    assert.deepEqual(
      result.timeline.map((t) => t.type),
      ['belvo_answer', 'resolved'],
    );
    assert.deepEqual(result.timeline[0]!.detail, { step: 'password', status: 200 });
  });

  test('a 200 to the MFA token resolves the case and drops the finished challenge', () => {
    const result = run({ ok: true }, 'mfa', mfaCase());
    assert.equal(result.status, 'resolved');
    assert.equal(result.details.mfa, undefined);
  });

  test('a first login_error asks again with an alert and two tries left', () => {
    const result = run(fails(apiError(400, 'login_error')));
    assert.equal(result.status, null);
    assert.equal(result.failedAttempts, 1);
    assert.deepEqual(result.page, { kind: 'ask', step: 'password', alert: 'wrongPassword', triesLeft: 2 });
    assert.deepEqual(result.timeline, [
      { type: 'belvo_answer', detail: { step: 'password', status: 400, code: 'login_error', request_id: 'req-42' } },
    ]);
  });

  test(`the ${MAX_FAILED_ATTEMPTS}rd login_error closes the case as failed and tells the user to check with the bank`, () => {
    const result = run(fails(apiError(400, 'login_error')), 'password', aCase({ failedAttempts: MAX_FAILED_ATTEMPTS - 1 }));
    assert.equal(result.status, 'failed');
    assert.equal(result.failedAttempts, MAX_FAILED_ATTEMPTS);
    assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'failedAfterRetries' });
    assert.deepEqual(result.timeline[1], { type: 'failed', detail: { reason: 'too_many_failed_attempts', attempts: 3 } });
  });

  test('a wrong MFA token counts as a failed try and keeps the challenge for another attempt', () => {
    const caseRecord = mfaCase({ failedAttempts: 1 });
    const result = run(fails(apiError(400, 'login_error')), 'mfa', caseRecord);
    assert.equal(result.status, null);
    assert.equal(result.failedAttempts, 2);
    assert.deepEqual(result.page, { kind: 'ask', step: 'mfa', alert: 'wrongToken', triesLeft: 1 });
    assert.deepEqual(result.details.mfa, caseRecord.details.mfa);
  });

  test('a third wrong MFA token fails the case', () => {
    const result = run(fails(apiError(400, 'login_error')), 'mfa', mfaCase({ failedAttempts: 2 }));
    assert.equal(result.status, 'failed');
    assert.equal(result.details.mfa, undefined);
  });

  test('a 428 token_required stores the new challenge with its expiry and goes to the MFA step', () => {
    const result = run(fails(tokenRequired(600)), 'password', aCase({ failedAttempts: 2 }));
    assert.equal(result.status, null);
    assert.deepEqual(result.page, { kind: 'ask', step: 'mfa' });
    assert.deepEqual(result.details.mfa, {
      session: 'session-2',
      expiresAt: T0 + 600_000,
      tokenGenerationData: { instructions: 'Use the code', type: 'numeric', value: '12345', expects_user_input: true },
      source: 'portal',
    });
    assert.equal(result.failedAttempts, 0, 'an accepted password resets the count of refusals');
  });

  test('a 428 without an expiry stores a challenge that does not expire on our side', () => {
    const result = run(fails(tokenRequired(undefined)));
    assert.equal(result.details.mfa?.expiresAt, null);
  });

  test('a 428 without a session cannot be continued and is reported as a service error', () => {
    const result = run(fails(apiError(428, 'token_required')));
    assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'serviceError', retryAt: T0 + RETRY_AFTER_MS.belvoFailure });
    assert.equal(result.report?.level, 'error');
  });

  test('a new password replaces the MFA challenge an earlier attempt left behind', () => {
    const result = run(fails(apiError(400, 'login_error')), 'password', mfaCase());
    assert.equal(result.details.mfa, undefined);
  });

  test('a 400 required on password2 marks the institution as needing it and asks again', () => {
    const result = run(fails(apiError(400, 'required', { field: 'password2' })));
    assert.equal(result.details.needsPassword2, true);
    assert.deepEqual(result.page, { kind: 'ask', step: 'password', alert: 'needsPassword2' });
    assert.equal(result.failedAttempts, 0);
  });

  test('a 400 required on another field is a service error, not a question for the user', () => {
    const result = run(fails(apiError(400, 'required', { field: 'username_type' })));
    assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'serviceError', retryAt: T0 + RETRY_AFTER_MS.belvoFailure });
  });

  test('session_expired on the MFA step clears the challenge and offers to start again', () => {
    const result = run(fails(apiError(400, 'session_expired')), 'mfa', mfaCase());
    assert.equal(result.status, null);
    assert.equal(result.details.mfa, undefined);
    assert.deepEqual(result.page, { kind: 'notice', state: 'expired', notice: 'mfaSessionExpired' });
  });

  for (const step of ['password', 'mfa'] as const) {
    test(`too_many_sessions on the ${step} step asks again with the close-other-sessions alert`, () => {
      const result = run(fails(apiError(400, 'too_many_sessions')), step, step === 'mfa' ? mfaCase() : aCase());
      assert.deepEqual(result.page, { kind: 'ask', step, alert: 'tooManySessions' });
      assert.equal(result.failedAttempts, 0);
      assert.equal(result.status, null);
    });
  }

  for (const code of ['institution_down', 'institution_unavailable']) {
    test(`${code} keeps the case open and says the bank is not answering, and when to try again`, () => {
      const result = run(fails(apiError(400, code)));
      assert.equal(result.status, null);
      assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'institutionDown', retryAt: T0 + RETRY_AFTER_MS.institutionDown });
      assert.equal(result.report?.level, 'warn');
      assert.equal(result.failedAttempts, 0);
    });
  }

  const serviceFailures: Array<[string, unknown]> = [
    ['a 500 from Belvo', apiError(500, 'unexpected_error')],
    ['a 429 from Belvo', apiError(429, 'too_many_requests')],
    ['an unknown 400 code', apiError(400, 'something_new')],
    ['a timeout', new BelvoTransportError('timeout', 'Belvo PUT /api/links/{id}/ got no answer within 10 ms')],
    ['a refused connection', new BelvoTransportError('network', 'Belvo PUT /api/links/{id}/ failed before an answer: ECONNREFUSED')],
    ['an unreadable answer', new BelvoTransportError('bad_response', 'Belvo answered 502 without an error array')],
    ['a bug of ours', new TypeError(`cannot read ${CANARY}`)],
  ];
  for (const [name, error] of serviceFailures) {
    test(`${name} apologises, keeps the case open, says when to try again and reports to the operator`, () => {
      const result = run(fails(error));
      assert.equal(result.status, null);
      assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'serviceError', retryAt: T0 + RETRY_AFTER_MS.belvoFailure });
      assert.equal(result.report?.level, 'error');
      assert.equal(result.report?.fields['case_id'], 7);
      assert.equal(result.failedAttempts, 0);
    });
  }

  test('the operator report names Belvo status, code and request id', () => {
    const result = run(fails(apiError(500, 'unexpected_error')));
    assert.deepEqual(
      { status: result.report?.fields['status'], code: result.report?.fields['code'], request_id: result.report?.fields['request_id'] },
      { status: 500, code: 'unexpected_error', request_id: 'req-42' },
    );
  });

  test('a transport failure is recorded on the timeline by its reason', () => {
    const result = run(fails(new BelvoTransportError('timeout', 'no answer')));
    assert.deepEqual(result.timeline[0]!.detail, { step: 'password', status: null, code: 'timeout' });
  });

  test('nothing in any outcome carries what an error message said about our own bug', () => {
    const result = run(fails(new TypeError(`cannot read ${CANARY}`)));
    assert.doesNotMatch(JSON.stringify(result), new RegExp(CANARY));
  });

  test('the case given is not changed in place', () => {
    const caseRecord = mfaCase();
    const before = structuredClone(caseRecord);
    run(fails(apiError(400, 'session_expired')), 'mfa', caseRecord);
    run(fails(tokenRequired(600)), 'password', caseRecord);
    assert.deepEqual(caseRecord, before);
  });

  test('other details of the case survive every outcome', () => {
    const caseRecord = aCase({ details: { errorCode: 'login_error', errorMessage: 'Invalid credentials', needsPassword2: true } });
    for (const answer of [{ ok: true } as const, fails(apiError(400, 'login_error')), fails(tokenRequired(600))]) {
      const result = run(answer, 'password', caseRecord);
      assert.equal(result.details.errorCode, 'login_error');
      assert.equal(result.details.needsPassword2, true);
    }
  });

  for (const [status, code] of [[401, 'authentication_failed'], [403, 'access_to_resource_denied']] as const) {
    test(`a ${status} ${code} is the operator's keys: an apology, never "wrong password", a loud log line, the case open`, () => {
      const result = run(fails(apiError(status, code)));
      assert.equal(result.status, null);
      assert.equal(result.failedAttempts, 0);
      assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'serviceError', retryAt: T0 + RETRY_AFTER_MS.operatorProblem });
      assert.equal(result.report?.level, 'error');
      assert.match(result.report?.message ?? '', status === 401 ? /BELVO KEYS REFUSED.*BELVO_SECRET_ID/ : /BELVO ACCESS DENIED/);
      assert.deepEqual([result.report?.fields['status'], result.report?.fields['code']], [status, code]);
    });
  }

  for (const step of ['password', 'mfa'] as const) {
    test(`a 408 on the ${step} step: the bank took too long, try again in a couple of minutes, no try spent`, () => {
      const caseRecord = step === 'mfa' ? mfaCase({ failedAttempts: 1 }) : aCase({ failedAttempts: 1 });
      const result = run(fails(apiError(408, 'request_timeout')), step, caseRecord);
      assert.equal(result.status, null);
      assert.equal(result.failedAttempts, 1);
      assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice: 'bankTimedOut', retryAt: T0 + RETRY_AFTER_MS.timedOut });
      assert.equal(result.report?.level, 'warn');
      if (step === 'mfa') assert.deepEqual(result.details.mfa, caseRecord.details.mfa, 'the MFA session is kept for the next try');
    });
  }

  const finals: Array<[string, string]> = [
    ['institution_inactive', 'institutionInactive'],
    ['invalid_link', 'linkUnusable'],
    ['unconfirmed_link', 'linkUnusable'],
  ];
  for (const [code, notice] of finals) {
    test(`${code} is final: the case fails with the code as its reason, and the operator is told`, () => {
      const result = run(fails(apiError(400, code)), 'mfa', mfaCase());
      assert.equal(result.status, 'failed');
      assert.equal(result.details.mfa, undefined);
      assert.equal(result.failedAttempts, 0, 'not a refused password');
      assert.deepEqual(result.page, { kind: 'notice', state: 'error', notice });
      assert.deepEqual(result.timeline[1], { type: 'failed', detail: { reason: code } });
      assert.equal(result.report?.level, 'warn');
      assert.equal(result.report?.fields['code'], code);
      assert.equal(result.report?.fields['link_id'], mfaCase().linkId);
    });
  }
});
