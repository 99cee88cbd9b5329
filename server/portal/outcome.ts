// What Belvo's answer to a submission means for the case and for the person on the page: a pure
// function, so every answer Belvo can give is tested without a server. The caller applies it.
import { BelvoApiError, BelvoTransportError } from '../belvo/belvo-types.ts';
import type { CaseDetails, CaseRecord, MfaChallenge, TimelineType } from '../cases/case-types.ts';
import type { NoticeKey } from './portal-copy.ts';
import type { PortalResult, PortalStep } from './portal-result.ts';

/** Wrong passwords (or MFA tokens) we forward before stopping: more could lock the bank account. */
export const MAX_FAILED_ATTEMPTS = 3;

/** How long to wait before trying again, by what went wrong: long enough for it to have a chance to pass. */
export const RETRY_AFTER_MS = {
  /** The bank is down or overloaded: usually a matter of minutes, sometimes maintenance. */
  institutionDown: 15 * 60_000,
  /** Belvo failed or did not answer. */
  belvoFailure: 5 * 60_000,
  /** Belvo's 408: the bank took too long this once. */
  timedOut: 2 * 60_000,
  /** Belvo refused our keys (401, 403): the operator has to act, the user can only wait. */
  operatorProblem: 30 * 60_000,
} as const;

export type BelvoAnswer = { ok: true } | { ok: false; error: unknown };

export interface TimelineDraft {
  type: TimelineType;
  detail: Record<string, unknown> | null;
}

export interface Outcome {
  /** The status the case moves to; null when it stays open for another try. */
  status: 'resolved' | 'failed' | null;
  /** The case's details after the answer (a new MFA challenge, a cleared one, needsPassword2). */
  details: CaseDetails;
  failedAttempts: number;
  timeline: TimelineDraft[];
  /** What the person is shown next. */
  page: PortalResult;
  /** Belvo says the institution is down: the storm guard holds it, so nobody more is asked for a password meanwhile. */
  institutionDown?: true;
  /** Something the operator should see in the logs; never holds what the user typed. */
  report?: { level: 'warn' | 'error'; message: string; fields: Record<string, unknown> };
}

export interface OutcomeInput {
  caseRecord: CaseRecord;
  step: PortalStep;
  answer: BelvoAnswer;
  now: number;
}

/** Belvo codes after which this case can never succeed (REAL-API.md), with the page that says so. */
const FINAL_CODES: Record<string, NoticeKey> = {
  institution_inactive: 'institutionInactive',
  invalid_link: 'linkUnusable',
  unconfirmed_link: 'linkUnusable',
};

function withoutMfa(details: CaseDetails): CaseDetails {
  const { mfa: _dropped, ...rest } = details;
  return rest;
}

/** The fields Belvo's answer is recorded with: status, code and request id, nothing the user typed. */
function answerDetail(answer: BelvoAnswer): Record<string, unknown> {
  if (answer.ok) return { status: 200 };
  const err = answer.error;
  if (err instanceof BelvoApiError) return { status: err.status, code: err.code, request_id: err.requestId ?? null };
  if (err instanceof BelvoTransportError) return { status: null, code: err.reason };
  return { status: null, code: 'internal' };
}

/** `source: 'portal'`: the person typed their password in our form, so our token form comes first. */
function challengeFrom(err: BelvoApiError, now: number): MfaChallenge | undefined {
  if (!err.mfa) return undefined;
  return {
    session: err.mfa.session,
    expiresAt: err.mfa.expiry !== undefined ? now + err.mfa.expiry * 1000 : null,
    tokenGenerationData: err.mfa.tokenGenerationData ?? null,
    source: 'portal',
  };
}

function asksForPassword2(err: BelvoApiError): boolean {
  return err.errors.some((e) => e.field === 'password2' || (e.code === 'required' && /password2/.test(e.message)));
}

export function outcome(input: OutcomeInput): Outcome {
  const { caseRecord, step, answer, now } = input;
  // A new password submission replaces whatever MFA session an earlier attempt left behind.
  const base = step === 'password' ? withoutMfa(caseRecord.details) : caseRecord.details;
  const answered: TimelineDraft = { type: 'belvo_answer', detail: { step, ...answerDetail(answer) } };
  const keep = { status: null, details: base, failedAttempts: caseRecord.failedAttempts };
  const later = (notice: NoticeKey, waitMs: number, report: Outcome['report']): Outcome => ({
    ...keep,
    timeline: [answered],
    page: { kind: 'notice', state: 'error', notice, retryAt: now + waitMs },
    report,
  });

  if (answer.ok) {
    return {
      status: 'resolved',
      details: withoutMfa(base),
      failedAttempts: caseRecord.failedAttempts,
      timeline: [answered, { type: 'resolved', detail: { via: 'portal', step } }],
      page: { kind: 'notice', state: 'success', notice: 'resolved' },
    };
  }

  const err = answer.error;
  if (!(err instanceof BelvoApiError)) return later('serviceError', RETRY_AFTER_MS.belvoFailure, operatorReport(caseRecord, step, err));

  if (err.status === 428 && err.code === 'token_required') {
    const challenge = challengeFrom(err, now);
    if (!challenge) return later('serviceError', RETRY_AFTER_MS.belvoFailure, operatorReport(caseRecord, step, err));
    // The password was right, so earlier refusals no longer count against the next step.
    return { status: null, details: { ...base, mfa: challenge }, failedAttempts: 0, timeline: [answered], page: { kind: 'ask', step: 'mfa' } };
  }
  // Our keys, not the person: never "your password is wrong", and loud enough for the operator to act.
  if (err.status === 401 || err.status === 403) {
    return later('serviceError', RETRY_AFTER_MS.operatorProblem, keysReport(caseRecord, step, err));
  }
  if (err.status === 408) {
    return later('bankTimedOut', RETRY_AFTER_MS.timedOut, {
      level: 'warn',
      message: 'Belvo timed out talking to the institution',
      fields: { case_id: caseRecord.id, step, ...answerDetail(answer) },
    });
  }

  const final = FINAL_CODES[err.code];
  if (final) return finalFailure(caseRecord, base, answered, err, final);

  switch (err.code) {
    case 'login_error':
      return refused(caseRecord, step, base, answered);
    case 'session_expired':
      return {
        status: null,
        details: withoutMfa(base),
        failedAttempts: caseRecord.failedAttempts,
        timeline: [answered],
        page: { kind: 'notice', state: 'expired', notice: 'mfaSessionExpired' },
      };
    case 'too_many_sessions':
      return { ...keep, timeline: [answered], page: { kind: 'ask', step, alert: 'tooManySessions' } };
    case 'institution_down':
    case 'institution_unavailable': {
      const notAnswering = later('institutionDown', RETRY_AFTER_MS.institutionDown, {
        level: 'warn',
        message: 'institution not answering',
        fields: { case_id: caseRecord.id, step, ...answerDetail(answer) },
      });
      return err.code === 'institution_down' ? { ...notAnswering, institutionDown: true } : notAnswering;
    }
  }

  if (step === 'password' && asksForPassword2(err)) {
    return {
      status: null,
      details: { ...base, needsPassword2: true },
      failedAttempts: caseRecord.failedAttempts,
      timeline: [answered],
      page: { kind: 'ask', step: 'password', alert: 'needsPassword2' },
    };
  }

  return later('serviceError', RETRY_AFTER_MS.belvoFailure, operatorReport(caseRecord, step, err));
}

/** A wrong password or token: ask again with the tries left, or stop before the bank locks the account. */
function refused(caseRecord: CaseRecord, step: PortalStep, base: CaseDetails, answered: TimelineDraft): Outcome {
  const failedAttempts = caseRecord.failedAttempts + 1;
  if (failedAttempts >= MAX_FAILED_ATTEMPTS) {
    return {
      status: 'failed',
      details: withoutMfa(base),
      failedAttempts,
      timeline: [answered, { type: 'failed', detail: { reason: 'too_many_failed_attempts', attempts: failedAttempts } }],
      page: { kind: 'notice', state: 'error', notice: 'failedAfterRetries' },
    };
  }
  return {
    status: null,
    details: base,
    failedAttempts,
    timeline: [answered],
    page: { kind: 'ask', step, alert: step === 'mfa' ? 'wrongToken' : 'wrongPassword', triesLeft: MAX_FAILED_ATTEMPTS - failedAttempts },
  };
}

/** Belvo says this link can never be fixed from here: the case fails (reminders stop with it) and the operator is told. */
function finalFailure(caseRecord: CaseRecord, base: CaseDetails, answered: TimelineDraft, err: BelvoApiError, notice: NoticeKey): Outcome {
  return {
    status: 'failed',
    details: withoutMfa(base),
    failedAttempts: caseRecord.failedAttempts,
    timeline: [answered, { type: 'failed', detail: { reason: err.code } }],
    page: { kind: 'notice', state: 'error', notice },
    report: {
      level: 'warn',
      message:
        err.code === 'institution_inactive'
          ? 'Belvo no longer supports this institution; the case failed'
          : 'Belvo says this link cannot be used; the case failed: the user needs a new link, made in your app',
      fields: { case_id: caseRecord.id, link_id: caseRecord.linkId, status: err.status, code: err.code, request_id: err.requestId ?? null },
    },
  };
}

/** Belvo refused our own keys: the operator's configuration, and nothing the user did. */
function keysReport(caseRecord: CaseRecord, step: PortalStep, err: BelvoApiError): NonNullable<Outcome['report']> {
  return {
    level: 'error',
    message:
      err.status === 401
        ? 'BELVO KEYS REFUSED: Belvo answered 401 authentication_failed; check BELVO_SECRET_ID and BELVO_SECRET_PASSWORD. Users cannot fix their links until this is fixed'
        : 'BELVO ACCESS DENIED: Belvo answered 403 to a link update; check that these keys own the link and may update it. Users cannot fix their links until this is fixed',
    fields: { case_id: caseRecord.id, link_id: caseRecord.linkId, step, status: err.status, code: err.code, request_id: err.requestId ?? null },
  };
}

/** Our side or Belvo's is failing: tell the operator what Belvo said, never what the user typed. */
function operatorReport(caseRecord: CaseRecord, step: PortalStep, err: unknown): NonNullable<Outcome['report']> {
  const fields: Record<string, unknown> = { case_id: caseRecord.id, link_id: caseRecord.linkId, step };
  if (err instanceof BelvoApiError) {
    Object.assign(fields, { status: err.status, code: err.code, request_id: err.requestId ?? null });
  } else if (err instanceof BelvoTransportError) {
    Object.assign(fields, { reason: err.reason, error: err.message });
  } else {
    fields['error'] = err instanceof Error ? err.name : typeof err;
  }
  return { level: 'error', message: 'Belvo call failed during an end-user submission', fields };
}
