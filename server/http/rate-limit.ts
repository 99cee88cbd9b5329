// The two limits in front of the portal and the webhooks: hits per client address, and
// submissions per case (so one case cannot be used to hammer a bank login from many addresses).
// The caller decides what a refusal looks like: a translated page under /r/, JSON under /webhooks.
import type { Request, Response } from 'express';
import { rateLimit, ipKeyGenerator, type RateLimitRequestHandler, type Store } from 'express-rate-limit';
import type { Logger } from '../logger.ts';

export type LimitedResponder = (req: Request, res: Response) => void | Promise<void>;

interface CommonOptions {
  store: Store;
  logger: Logger;
  limit?: number;
  windowMs?: number;
  onLimited: LimitedResponder;
}

/** The client's address, IPv6 grouped by /56 as the library advises. */
export const addressKey = (req: Request) => ipKeyGenerator(req.ip ?? 'unknown');

export const IP_LIMIT_DEFAULTS = { limit: 60, windowMs: 60_000 } as const;
export const CASE_LIMIT_DEFAULTS = { limit: 10, windowMs: 15 * 60_000 } as const;

/** A limit counted in the shared store, refused through `onLimited`; also the failed-authentication limits' (auth-failure-limit.ts). */
export function limiter(
  options: CommonOptions,
  defaults: { limit: number; windowMs: number },
  keying: { keyGenerator?: (req: Request) => string; skip?: (req: Request) => boolean },
): RateLimitRequestHandler {
  const limit = options.limit ?? defaults.limit;
  const windowMs = options.windowMs ?? defaults.windowMs;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`Rate limit must be a positive integer, got ${limit}`);
  if (!(windowMs > 0)) throw new Error(`Rate limit window must be positive, got ${windowMs}`);
  return rateLimit({
    store: options.store,
    limit,
    windowMs,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...keying,
    handler: (req, res, next) => {
      Promise.resolve(options.onLimited(req, res)).catch(next);
    },
    logger: {
      error: (err, message) => options.logger.error(message ?? 'rate limiter error', { err }),
      warn: (err, message) => options.logger.warn(message ?? 'rate limiter warning', { err }),
    },
  });
}

/** Hits per client address (IPv6 grouped by /56, as the library advises); `skip` names requests not counted. */
export function createIpRateLimit(options: CommonOptions & { skip?: (req: Request) => boolean }): RateLimitRequestHandler {
  return limiter(options, IP_LIMIT_DEFAULTS, {
    keyGenerator: addressKey,
    ...(options.skip ? { skip: options.skip } : {}),
  });
}

/**
 * Submissions per case, whatever address they come from. `caseIdOf` names the case a request is
 * about; a request that names none (a bad link) is not counted here, and its handler refuses it.
 */
export function createCaseRateLimit(
  options: CommonOptions & { caseIdOf: (req: Request) => number | undefined },
): RateLimitRequestHandler {
  return limiter(options, CASE_LIMIT_DEFAULTS, {
    skip: (req) => options.caseIdOf(req) === undefined,
    keyGenerator: (req) => `case-${options.caseIdOf(req)}`,
  });
}
