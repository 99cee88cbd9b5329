// One visit to Belvo's Connect widget, remembered in the browser's session: the case it is for and
// a one-time nonce that is also in the callback URLs. A callback acts only when it comes back to
// the same browser, for the same case, with the same nonce, so a forged or replayed redirect
// cannot close a case or write on its timeline.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

export type WidgetMode = 'update' | 'reconnect';

export interface WidgetAttempt {
  caseId: number;
  nonce: string;
  mode: WidgetMode;
  startedAt: number;
}

declare module 'express-session' {
  interface SessionData {
    widgetAttempt?: WidgetAttempt;
  }
}

/** Long enough to finish at the bank (Belvo's token lives 10 minutes; the widget itself may take longer). */
export const WIDGET_ATTEMPT_TTL_MS = 60 * 60_000;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Starts a visit, replacing any earlier one of this browser; returns the nonce for the callback URLs. */
export function startWidgetAttempt(req: Request, caseId: number, mode: WidgetMode, now: number): string {
  const nonce = randomBytes(18).toString('base64url');
  req.session.widgetAttempt = { caseId, nonce, mode, startedAt: now };
  return nonce;
}

export function forgetWidgetAttempt(req: Request): void {
  delete req.session.widgetAttempt;
}

/** The visit this callback belongs to, used up by the call; undefined when it is not this browser's, case's or nonce's. */
export function takeWidgetAttempt(req: Request, caseId: number, nonce: string, now: number): WidgetAttempt | undefined {
  const attempt = req.session?.widgetAttempt;
  if (!attempt || attempt.caseId !== caseId || now - attempt.startedAt > WIDGET_ATTEMPT_TTL_MS) return undefined;
  if (!timingSafeEqual(digest(attempt.nonce), digest(nonce))) return undefined;
  delete req.session.widgetAttempt;
  return attempt;
}
