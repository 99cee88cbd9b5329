// What Belvo's answer to a submission means for the case and for the person on the page: a pure
// function, so every answer Belvo can give is tested without a server. The caller applies it.
import { BelvoApiError, BelvoTransportError } from '../belvo/belvo-types.ts';
import type { CaseDetails, CaseRecord, MfaChallenge, TimelineType } from '../cases/case-types.ts';
import type { AlertKey, NoticeKey } from './portal-copy.ts';

/** Wrong passwords (or MFA tokens) we forward before stopping: more could lock the bank account. */
export const MAX_FAILED_ATTEMPTS = 3;

/** password: PUT /api/links/{id}/; mfa: PATCH /api/links/ with the session of a 428. */
export type PortalStep = 'password' | 'mfa';

export type BelvoAnswer = { ok: true } | { ok: false; error: unknown };

export interface TimelineDraft {
  type: TimelineType;
  detail: Record<string, unknown> | null;
}

export type OutcomePage =
  | { state: 'password' | 'mfa'; alert?: AlertKey; triesLeft?: number }
  | { state: 'success' | 'error' | 'expired'; notice: NoticeKey };

export interface Outcome {
  /** The status the case moves to; null when it stays open for another try. */
  status: 'resolved' | 'failed' | null;
  /** The case's details after the answer (a new MFA challenge, a cleared one, needsPassword2). */
  details: CaseDetails;
  failedAttempts: number;
  timeline: TimelineDraft[];
  page: OutcomePage;
  httpStatus: number;
  /** Something the operator should see in the logs; never holds what the user typed. */
  report?: { level: 'warn' | 'error'; message: string; fields: Record<string, unknown> };
}

export interface OutcomeInput {
  caseRecord: CaseRecord;
  step: PortalStep;
  answer: BelvoAnswer;
  now: number;
}

const ASK_AGAIN_STATUS = 422;
const TRY_LATER_STATUS = 503;

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

function challengeFrom(err: BelvoApiError, now: number): MfaChallenge | undefined {
  if (!err.mfa) return undefined;
  return {
    session: err.mfa.session,
    expiresAt: err.mfa.expiry !== undefined ? now + err.mfa.expiry * 1000 : null,
    tokenGenerationData: err.mfa.tokenGenerationData ?? null,
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

  if (answer.ok) {
    return {
      status: 'resolved',
      details: withoutMfa(base),
      failedAttempts: caseRecord.failedAttempts,
      timeline: [answered, { type: 'resolved', detail: { via: 'portal', step } }],
      page: { state: 'success', notice: 'resolved' },
      httpStatus: 200,
    };
  }

  const err = answer.error;
  if (!(err instanceof BelvoApiError)) {
    return { ...keep, ...tryLater('serviceError', answered, operatorReport(caseRecord, step, err)) };
  }

  if (err.status === 428 && err.code === 'token_required') {
    const challenge = challengeFrom(err, now);
    if (!challenge) return { ...keep, ...tryLater('serviceError', answered, operatorReport(caseRecord, step, err)) };
    // The password was right, so earlier refusals no longer count against the next step.
    return {
      status: null,
      details: { ...base, mfa: challenge },
      failedAttempts: 0,
      timeline: [answered],
      page: { state: 'mfa' },
      httpStatus: 200,
    };
  }

  switch (err.code) {
    case 'login_error':
      return refused(caseRecord, step, base, answered);
    case 'session_expired':
      return {
        status: null,
        details: withoutMfa(base),
        failedAttempts: caseRecord.failedAttempts,
        timeline: [answered],
        page: { state: 'expired', notice: 'mfaSessionExpired' },
        httpStatus: 200,
      };
    case 'too_many_sessions':
      return { ...keep, timeline: [answered], page: { state: step, alert: 'tooManySessions' }, httpStatus: ASK_AGAIN_STATUS };
    case 'institution_down':
    case 'institution_unavailable':
      return {
        ...keep,
        ...tryLater('institutionDown', answered, {
          level: 'warn',
          message: 'institution not answering',
          fields: { case_id: caseRecord.id, step, ...answerDetail(answer) },
        }),
      };
  }

  if (step === 'password' && asksForPassword2(err)) {
    return {
      status: null,
      details: { ...base, needsPassword2: true },
      failedAttempts: caseRecord.failedAttempts,
      timeline: [answered],
      page: { state: 'password', alert: 'needsPassword2' },
      httpStatus: ASK_AGAIN_STATUS,
    };
  }

  return { ...keep, ...tryLater('serviceError', answered, operatorReport(caseRecord, step, err)) };
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
      page: { state: 'error', notice: 'failedAfterRetries' },
      httpStatus: 200,
    };
  }
  return {
    status: null,
    details: base,
    failedAttempts,
    timeline: [answered],
    page: {
      state: step,
      alert: step === 'mfa' ? 'wrongToken' : 'wrongPassword',
      triesLeft: MAX_FAILED_ATTEMPTS - failedAttempts,
    },
    httpStatus: ASK_AGAIN_STATUS,
  };
}

/** Nothing the user can fix now: the case stays open and the same link works later. */
function tryLater(
  notice: NoticeKey,
  answered: TimelineDraft,
  report: Outcome['report'],
): Pick<Outcome, 'status' | 'timeline' | 'page' | 'httpStatus' | 'report'> {
  return { status: null, timeline: [answered], page: { state: 'error', notice }, httpStatus: TRY_LATER_STATUS, report };
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
