// What the last form POST on a case came to, kept in the browser's server-side session between the
// POST and the GET it redirects to (Post/Redirect/Get): the POST acts once and answers 303, and the
// page shows the result from here, so a reload or the back button shows it again without sending
// anything to Belvo a second time. A result is shown only while it still describes the case.
import type { Request } from 'express';
import { ACTIONABLE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import { saveSession } from '../http/session-store.ts';
import type { AlertKey, NoticeKey } from './portal-copy.ts';

/** password: PUT /api/links/{id}/; mfa: PATCH /api/links/ with the session of a 428. */
export type PortalStep = 'password' | 'mfa';

/** What the case page says after a visit to Belvo's Connect widget. */
export const WIDGET_RETURNS = ['exited', 'failed', 'notConfirmed', 'unavailable'] as const;
export type WidgetReturn = (typeof WIDGET_RETURNS)[number];

export type PortalResult =
  /** The same step again (with the reason, when there is one). */
  | { kind: 'ask'; step: PortalStep; alert?: AlertKey; triesLeft?: number }
  /** A page of its own: done, final, or "try again at `retryAt`". */
  | { kind: 'notice'; state: 'success' | 'error' | 'expired'; notice: NoticeKey; retryAt?: number }
  | { kind: 'widget'; which: WidgetReturn }
  | { kind: 'newLink'; outcome: 'sent' | 'noContact' }
  /** My Belvo Portal could not be opened for this consent just now. */
  | { kind: 'renewal'; outcome: 'unavailable' };

interface StoredResult {
  caseId: number;
  at: number;
  result: PortalResult;
}

declare module 'express-session' {
  interface SessionData {
    portalResult?: StoredResult;
  }
}

/** After this, a result is old news: the page shows the case as it stands. */
export const RESULT_TTL_MS = 30 * 60_000;

/** Notices that end the case: shown only once the case has failed. */
const FINAL_NOTICES: readonly NoticeKey[] = ['failedAfterRetries', 'institutionInactive', 'linkUnusable'];

/** Keeps the result for the GET the POST redirects to (this is what starts the session), written before the redirect goes out. */
export async function rememberResult(req: Request, caseId: number, result: PortalResult, now: number): Promise<void> {
  req.session.portalResult = { caseId, at: now, result };
  await saveSession(req);
}

/** Whether a result still describes the case as it is now. */
export function isCurrent(result: PortalResult, caseRecord: CaseRecord, now: number): boolean {
  const open = ACTIONABLE_STATUSES.includes(caseRecord.status);
  switch (result.kind) {
    case 'ask': {
      const mfa = caseRecord.details.mfa;
      const mfaOpen = mfa !== undefined && (mfa.expiresAt === null || mfa.expiresAt > now);
      return open && (result.step === 'mfa') === mfaOpen;
    }
    case 'notice':
      if (result.state === 'success') return caseRecord.status === 'resolved';
      if (FINAL_NOTICES.includes(result.notice)) return caseRecord.status === 'failed';
      if (result.retryAt !== undefined) return open && now < result.retryAt;
      return open;
    case 'widget':
    case 'renewal':
      return open;
    case 'newLink':
      return true;
  }
}

/** The result of this browser's last POST on the case, while it is recent and still true. */
export function currentResult(req: Request, caseRecord: CaseRecord, now: number): PortalResult | undefined {
  const stored = req.session?.portalResult;
  if (!stored || stored.caseId !== caseRecord.id || now - stored.at > RESULT_TTL_MS) return undefined;
  return isCurrent(stored.result, caseRecord, now) ? stored.result : undefined;
}
