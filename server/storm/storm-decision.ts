// Whether an institution is storming, and so whether a first message for it goes or is held: a pure
// function of STORM_GUARD, the institution's storm row and how many cases it counted, so that every
// rule is tested without a database (storm-guard.ts reads and writes what it decides).
import type { CaseKind } from '../cases/case-types.ts';
import type { StormGuardConfig } from './storm-config.ts';

/** The kinds of case a storm is made of, and whose first messages it holds: the ones that ask for a password or code. */
export const STORM_KINDS: readonly CaseKind[] = ['credentials', 'mfa'];

export const STORM_REASONS = ['threshold', 'institution_down'] as const;
export type StormReason = (typeof STORM_REASONS)[number];

/** What the `storms` row says about an institution; absent: it has never been held. */
export interface StormState {
  state: 'holding' | 'released';
  reason: StormReason;
  /** Only cases created after this count: a release restarts counting. */
  countingSince: number;
}

export type StormDecision =
  | { type: 'send' }
  | { type: 'hold' }
  /** This case tipped the count over the threshold: hold, and tell the operator. */
  | { type: 'start_holding'; reason: 'threshold' };

/** Cases created after this instant count towards a storm at `now`: those of the window, and only since the last release. */
export function countingFrom(guard: StormGuardConfig, storm: StormState | undefined, now: number): number {
  return Math.max(now - guard.windowMs, storm?.countingSince ?? 0);
}

/**
 * `counted`: the institution's new credentials and MFA cases created after countingFrom, the one at hand
 * included (undefined when none is new, or the guard is off: then only an existing hold matters).
 * More than the threshold is a storm: with 50, fifty cases send and the fifty-first is held.
 */
export function decideFirstMessage(guard: StormGuardConfig | undefined, storm: StormState | undefined, counted: number | undefined): StormDecision {
  if (storm?.state === 'holding') return { type: 'hold' };
  if (guard && counted !== undefined && counted > guard.threshold) return { type: 'start_holding', reason: 'threshold' };
  return { type: 'send' };
}
