// A request id for every HTTP request: the caller's X-Request-Id when it is short and plain (a load
// balancer's or the operator's own, so their logs and ours meet), else one of our own. It is echoed
// in the answer's X-Request-Id and carried by every log line written for the request.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from '../logger.ts';

/** Short, and nothing a log reader or a header could misread: no spaces, quotes or control characters. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const ID = Symbol('request id');
const LOGGER = Symbol('request logger');

interface WithRequestId {
  [ID]?: string;
  [LOGGER]?: Logger;
}

/** Gives the request its id and echoes it in the answer. */
export function assignRequestId(req: Request, res: Response): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
  (req as WithRequestId)[ID] = id;
  res.setHeader('X-Request-Id', id);
}

/** `logger`, with the request's id on every line; made once per request, when a line is first written. */
export function requestLogger(logger: Logger, req: Request): Logger {
  const tagged = req as WithRequestId;
  const id = tagged[ID];
  if (id === undefined) return logger;
  return (tagged[LOGGER] ??= logger.child({ request_id: id }));
}

/** `deps` with the request's logger: for a handler that passes its dependencies on. */
export function forRequest<T extends { logger: Logger }>(deps: T, req: Request): T {
  return { ...deps, logger: requestLogger(deps.logger, req) };
}
