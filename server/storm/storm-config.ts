// STORM_GUARD: "N/<minutes>m" (more than N new credentials or MFA cases of one institution within
// that many minutes is a storm), or "off".
export interface StormGuardConfig {
  /** A storm is more than this many cases in the window. */
  threshold: number;
  windowMs: number;
}

export const DEFAULT_STORM_GUARD = '50/10m';

const STORM_GUARD = /^(\d{1,6})\/(\d{1,5})m$/;

/** The guard, undefined for "off", or an Error saying what is wrong with the value. */
export function parseStormGuard(value: string): StormGuardConfig | undefined | Error {
  if (value === 'off') return undefined;
  const match = STORM_GUARD.exec(value);
  const threshold = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || threshold < 1 || minutes < 1) {
    return new Error('must be "off" or N/<minutes>m with N and minutes at least 1, such as 50/10m');
  }
  return { threshold, windowMs: minutes * 60_000 };
}
