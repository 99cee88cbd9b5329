// What the operator's monitoring sees of an HTTP server, web or worker-only alike: a request id on
// every request, a debug line per request when LOG_LEVEL=debug, and, unless metrics are off, the
// timing of every request and GET /metrics with the gauges read from the database.
import type { Express, RequestHandler } from 'express';
import type { Knex } from 'knex';
import { countActiveCases } from './cases/case-repository.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import { workBacklog } from './db/claim.ts';
import { requestIds, requestLogger } from './http/request-id.ts';
import type { Logger } from './logger.ts';
import { routeLabel, timeRequests } from './metrics/http-metrics.ts';
import { createMetricsRouter, type DatabaseGauges } from './metrics/metrics-routes.ts';

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

/** One line per request: its route pattern, never its path (a portal link's path is a credential). */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      requestLogger(logger, req).debug('request', { method: req.method, route: routeLabel(req), status: res.statusCode, ms });
    });
    next();
  };
}

/** First in the app, so that everything after it is identified, timed and logged. */
export function observeRequests(app: Express, deps: ObservedDeps): void {
  app.use(requestIds());
  if (deps.logger.isLevelEnabled('debug')) app.use(accessLog(deps.logger));
  const access = deps.config.metrics;
  if (access === 'off') return;
  app.use(timeRequests());
  app.use(createMetricsRouter({ access, readGauges: readDatabaseGauges(deps.db, deps.clock) }));
}
