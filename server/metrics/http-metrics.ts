// Times every HTTP request into relink_http_request_duration_seconds. The route label is the
// pattern Express matched (/r/:token/password), never the path: a portal link's path holds its
// signed token, and ids would make a series per user.
import type { Request, RequestHandler } from 'express';
import { timeHttpRequest } from './samples.ts';

/**
 * The matched route's pattern under its router's mount point; for a request a middleware answered
 * (a refused API key, a static file), the mount point alone; `unmatched` for the rest. Mount points
 * are fixed strings (app.ts), so none carries a value from the path.
 */
export function routeLabel(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (typeof route?.path === 'string') return req.baseUrl + route.path;
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

export function timeRequests(): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => timeHttpRequest(routeLabel(req), req.method, res.statusCode, (performance.now() - started) / 1000));
    next();
  };
}
