// Time comes from here so that expiry, leases and cool-downs are tested without waiting.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
