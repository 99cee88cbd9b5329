// What the operator's monitoring sees of an HTTP server, web or worker-only alike: a request id on
// every request, a debug line per request when LOG_LEVEL=debug, and, unless metrics are off, the
// timing of every request and GET /metrics with the gauges read from the database.
import type { Express, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { countActiveCases } from './cases/case-repository.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { workBacklog } from './db/claim.ts';
import { assignRequestId, requestLogger } from './http/request-id.ts';
import type { Logger } from './logger.ts';
import { routeLabel } from './metrics/http-metrics.ts';
import { createMetricsHandler, type DatabaseGauges } from './metrics/metrics-routes.ts';
import { timeHttpRequest } from './metrics/samples.ts';

export interface ObservedDeps {
  config: Config;
  db: Knex;
  clock: Clock;
  logger: Logger;
}

/** The database's side of the metrics page: the same for every instance that shares it. */
function readDatabaseGauges(db: Knex, clock: Clock): () => Promise<DatabaseGauges> {
  return async () => {
    const [casesOpen, outbox, events] = await Promise.all([countActiveCases(db), workBacklog(db, 'outbox'), workBacklog(db, 'events')]);
    const oldestDueAt = outbox.oldestDueAt;
    return {
      casesOpen,
      outboxPending: outbox.pending,
      outboxOldestPendingSeconds: oldestDueAt === null ? 0 : Math.max(0, (clock.now() - oldestDueAt) / 1000),
      eventsPending: events.pending,
    };
  };
}

/**
 * One middleware, first in the app, for what every request gets: its id, and when its answer is
 * finished, its timing (unless metrics are off) and its debug line (at LOG_LEVEL=debug), each with
 * the route pattern, never the path (a portal link's path is a credential). One listener and one
 * layer, because the intake pays for each on every webhook.
 */
function observeEach(options: { timed: boolean; accessLog: Logger | undefined }): RequestHandler {
  const { timed, accessLog } = options;
  return (req, res, next) => {
    assignRequestId(req, res);
    if (timed || accessLog) {
      const started = performance.now();
      res.once('finish', () => {
        const ms = performance.now() - started;
        const route = routeLabel(req);
        if (timed) timeHttpRequest(route, req.method, res.statusCode, ms / 1000);
        if (accessLog) requestLogger(accessLog, req).debug('request', { method: req.method, route, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
      });
    }
    next();
  };
}

export function observeRequests(app: Express, deps: ObservedDeps): void {
  const access = deps.config.metrics;
  app.use(observeEach({ timed: access !== 'off', accessLog: deps.logger.isLevelEnabled('debug') ? deps.logger : undefined }));
  if (access !== 'off') app.get('/metrics', createMetricsHandler({ access, readGauges: readDatabaseGauges(deps.db, deps.clock) }));
}
