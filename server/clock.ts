// Time comes from here so that expiry, leases and cool-downs are tested without waiting.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** An instant as the API and webhooks show it (ISO 8601, UTC); null stays null. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
