// The route label of relink_http_request_duration_seconds and of the access log: the pattern Express
// matched (/r/:token/password), never the path: a portal link's path holds its signed token, and ids
// would make a series per user.
import type { Request } from 'express';

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
