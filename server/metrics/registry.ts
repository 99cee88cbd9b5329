// The process's Prometheus registry: the process metrics prom-client collects by default and the
// counters and timings the code records as samples (samples.ts). It lives on the thread that serves
// /metrics; the worker thread's samples reach it over the thread's port (thread-samples.ts).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNEL_NAMES } from '../channels/channel.ts';
import { setSampleSink, type MessageStatus, type Sample } from './samples.ts';

/** Belvo answers in tens of milliseconds to seconds; its client gives up at 10 s. */
const BELVO_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The intake answers in about a millisecond; a portal page that calls Belvo takes seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const MESSAGE_STATUSES: MessageStatus[] = ['sent', 'failed', 'retried'];

function createMetrics(registry: Registry) {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter({ name, help, labelNames, registers });
  const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers });
  const metrics = {
    webhooks: counter(
      'relink_webhooks_received_total',
      'Belvo webhooks answered, by webhook type and outcome (accepted, duplicate, invalid, unauthorized, limited, error)',
      ['type', 'outcome'],
    ),
    messages: counter(
      'relink_messages_total',
      'Messages to end users by channel and status: sent (accepted by the provider), retried (a transient failure, tried again later), failed (for good)',
      ['channel', 'status'],
    ),
    cases: counter(
      'relink_cases_total',
      'Case status changes, by kind and the status taken (a new case counts once, in its first status)',
      ['kind', 'status'],
    ),
    belvoRequests: counter(
      'relink_belvo_requests_total',
      "Calls to Belvo's API by operation and HTTP status (timeout or network when there was no answer)",
      ['operation', 'status'],
    ),
    belvoDuration: histogram(
      'relink_belvo_request_duration_seconds',
      "Time Belvo's API took to answer, by operation and HTTP status",
      ['operation', 'status'],
      BELVO_BUCKETS,
    ),
    http: histogram(
      'relink_http_request_duration_seconds',
      'Time to answer HTTP requests, by route pattern, method and status',
      ['route', 'method', 'status'],
      HTTP_BUCKETS,
    ),
    retention: counter('relink_retention_deleted_rows_total', 'Rows deleted for good by retention (RETENTION_DAYS), by table', ['table']),
    operatorWebhooks: counter(
      'relink_operator_webhooks_total',
      "Attempts to post the operator's webhooks: delivered (a 2xx), retried (tried again later), failed (for good)",
      ['status'],
    ),
  };
  // Present from the start at zero, so that "nothing sent for an hour" is a query that can be true.
  for (const channel of CHANNEL_NAMES) for (const status of MESSAGE_STATUSES) metrics.messages.labels(channel, status).inc(0);
  return metrics;
}

type Metrics = ReturnType<typeof createMetrics>;

function apply(metrics: Metrics, [name, labels, value]: Sample): void {
  switch (name) {
    case 'belvo':
      metrics.belvoRequests.labels(...labels).inc();
      metrics.belvoDuration.labels(...labels).observe(value);
      return;
    case 'http':
      metrics.http.labels(...labels).observe(value);
      return;
    default:
      metrics[name].labels(...labels).inc(value);
  }
}

let registry: Registry | undefined;

/** The registry, made on first use; from then on every sample of this thread (and those forwarded to it) lands in it. */
export function metricsRegistry(): Registry {
  if (registry) return registry;
  const created = new Registry();
  collectDefaultMetrics({ register: created });
  const metrics = createMetrics(created);
  setSampleSink((sample) => apply(metrics, sample));
  registry = created;
  return created;
}
