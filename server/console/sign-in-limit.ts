// Failed console sign-ins, counted per client address and across all addresses in the shared
// `rate_limits` table, so that every instance sees the same count. Only failures count: an operator
// who signs in many times a day is never limited, while a guesser is, from one address or from many.
import type { Knex } from 'knex';
import type { Options } from 'express-rate-limit';
import type { Clock } from '../clock.ts';
import { DatabaseRateLimitStore } from '../http/rate-limit-store.ts';

interface Limit {
  limit: number;
  windowMs: number;
}

export interface SignInLimits {
  perAddress: Limit;
  overall: Limit;
}

/** A guesser gets 10 tries in 15 minutes from one address; 100 from all of them together. */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddress: { limit: 10, windowMs: 15 * 60_000 },
  overall: { limit: 100, windowMs: 15 * 60_000 },
};

const OVERALL_KEY = 'all';

export interface SignInLimit {
  /** Milliseconds until this address may try again; 0 when it may try now. */
  waitFor(addressKey: string): Promise<number>;
  recordFailure(addressKey: string): Promise<void>;
}

function counter(db: Knex, clock: Clock, prefix: string, limit: Limit) {
  const store = new DatabaseRateLimitStore({ db, clock, prefix });
  store.init({ windowMs: limit.windowMs } as Options);
  return {
    async waitFor(key: string): Promise<number> {
      const info = await store.get(key);
      if (!info || info.totalHits < limit.limit || !info.resetTime) return 0;
      return Math.max(1, info.resetTime.getTime() - clock.now());
    },
    increment: (key: string) => store.increment(key),
  };
}

export function createSignInLimit(options: { db: Knex; clock: Clock; limits?: SignInLimits }): SignInLimit {
  const limits = options.limits ?? DEFAULT_SIGN_IN_LIMITS;
  const perAddress = counter(options.db, options.clock, 'console-sign-in-ip', limits.perAddress);
  const overall = counter(options.db, options.clock, 'console-sign-in-all', limits.overall);
  return {
    async waitFor(addressKey) {
      return Math.max(await perAddress.waitFor(addressKey), await overall.waitFor(OVERALL_KEY));
    },
    async recordFailure(addressKey) {
      await perAddress.increment(addressKey);
      await overall.increment(OVERALL_KEY);
    },
  };
}
