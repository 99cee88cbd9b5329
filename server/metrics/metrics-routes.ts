// GET /metrics: Prometheus' text format. The counters and timings are this process's (its worker
// thread's included); the gauges that describe the database (open cases, the outbox and event
// backlogs) are read from it when scraped, at most once per GAUGE_CACHE_MS, so every instance over
// one PostgreSQL reports the same truth and a busy scraper costs a few small queries.
import type { RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import { createAuthorizationCheck } from '../http/bearer-auth.ts';
import { metricsRegistry } from './registry.ts';

export interface DatabaseGauges {
  /** Every kind and active status, zeros included. */
  casesOpen: Array<{ kind: string; status: string; count: number }>;
  outboxPending: number;
  /** How long the message that has waited longest since it was due has waited; 0 when none is due. */
  outboxOldestPendingSeconds: number;
  eventsPending: number;
}

/** Several scrapers (or one every second) share one read of the database. */
export const GAUGE_CACHE_MS = 5_000;

/** `load`'s last answer while younger than `ms`; callers that ask meanwhile share one load. */
export function cachedFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let last: { value: T; at: number } | undefined;
  let loading: Promise<T> | undefined;
  return () => {
    if (last && performance.now() - last.at < ms) return Promise.resolve(last.value);
    loading ??= load()
      .then((value) => {
        last = { value, at: performance.now() };
        return value;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
}

function databaseGauges(read: () => Promise<DatabaseGauges>): Registry {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: 'relink_cases_open',
    help: 'Cases still open, by kind and status (open: not messaged yet; notified; opened by the person; unreachable)',
    labelNames: ['kind', 'status'],
    registers,
    async collect() {
      const { casesOpen } = await read();
      for (const { kind, status, count } of casesOpen) this.labels(kind, status).set(count);
    },
  });
  const single = (name: string, help: string, value: (gauges: DatabaseGauges) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(value(await read()));
      },
    });
  single('relink_outbox_pending', 'Messages waiting to be sent or being sent', (g) => g.outboxPending);
  single(
    'relink_outbox_oldest_pending_age_seconds',
    'Seconds the message that has waited longest since it was due has waited (0 when none is due)',
    (g) => g.outboxOldestPendingSeconds,
  );
  single('relink_webhook_events_pending', 'Belvo webhooks recorded and not handled yet', (g) => g.eventsPending);
  return registry;
}

export interface MetricsRouteDeps {
  /** METRICS_TOKEN, or open (outside production, without one). */
  access: { token: string } | 'open';
  readGauges: () => Promise<DatabaseGauges>;
}

/** The handler of GET /metrics: a route of the app, not a router every request would pass through. */
export function createMetricsHandler(deps: MetricsRouteDeps): RequestHandler {
  const registry = Registry.merge([metricsRegistry(), databaseGauges(cachedFor(GAUGE_CACHE_MS, deps.readGauges))]);
  const authorized = deps.access === 'open' ? () => true : createAuthorizationCheck(`Bearer ${deps.access.token}`);
  return async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ error: { code: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>' } });
      return;
    }
    const text = await registry.metrics();
    res.type(registry.contentType).send(text);
  };
}
