// Failed authentication, counted in the shared database store so that the count holds across every
// instance: the operator API's key, Belvo's webhook secret, the console's password. Only failures
// are counted and only failures are refused with 429: a caller with the right credentials is never
// throttled, even from an address that an attacker shares.
import type { Request, RequestHandler, Response } from 'express';
import type { RateLimitRequestHandler, Store } from 'express-rate-limit';
import type { Logger } from '../logger.ts';
import { addressKey, limiter } from './rate-limit.ts';

export interface AuthFailureLimitOptions {
  store: Store;
  logger: Logger;
  /** Failures allowed in a window; the next one is refused with `onLimited`. */
  limit: number;
  windowMs: number;
  /** Per client address (IPv6 grouped by /56), or one count for everyone (a slow, spread-out guesser). */
  scope?: 'address' | 'everyone';
  onLimited: (req: Request, res: Response) => void | Promise<void>;
}

/**
 * Counts the request it sees as one failure. Mount it (or call it) only where a check has failed:
 * within the limit it calls `next`, where the caller answers its own refusal (401, the sign-in form
 * again); past the limit it answers through `onLimited` instead, with RateLimit and Retry-After headers.
 */
export function createAuthFailureLimit(options: AuthFailureLimitOptions): RateLimitRequestHandler {
  return limiter(options, options, { keyGenerator: options.scope === 'everyone' ? () => 'everyone' : addressKey });
}

/**
 * Lets a request that `isAuthorized` accepts through; counts any other with `failureLimit`, then
 * refuses it with `refuse` (unless the limit answered 429 first).
 */
export function requireAuthorization(
  isAuthorized: (req: Request) => boolean,
  failureLimit: RequestHandler,
  refuse: RequestHandler,
): RequestHandler {
  return (req, res, next) => {
    if (isAuthorized(req)) return next();
    failureLimit(req, res, (err?: unknown) => (err ? next(err) : refuse(req, res, next)));
  };
}
