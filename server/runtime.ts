// The web app and the background worker in one thread, over one database: what tests build and
// drive (the worker by hand, with runOnce). main.ts runs the two apart: the web app on the main
// thread (web-runtime.ts), the worker on a thread of its own (worker/worker-thread.ts).
import { systemClock } from './clock.ts';
import { createLogger } from './logger.ts';
import { createWebRuntime, type WebOptions, type WebRuntime } from './web-runtime.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './jobs/retry.ts';
import { createBackgroundWorker } from './worker/worker-runtime.ts';
import { DEFAULT_LEASE_MS } from './worker/worker-tasks.ts';
import type { Worker } from './worker/worker.ts';

export interface RuntimeOptions extends Omit<WebOptions, 'wakeWorker'> {
  retry?: RetryPolicy;
  /** Jitter source for retries; tests pin it. */
  random?: () => number;
  pollMs?: number;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
  /** How long the operator's webhook endpoint has to answer. */
  webhookTimeoutMs?: number;
}

export interface Runtime extends WebRuntime {
  worker: Worker;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: options.config.logLevel });
  const worker = createBackgroundWorker({
    config: options.config,
    db: options.db,
    clock,
    logger,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    random: options.random,
    pollMs: options.pollMs,
    belvoTimeoutMs: options.belvoTimeoutMs,
    webhookTimeoutMs: options.webhookTimeoutMs,
  });
  const web = createWebRuntime({ ...options, clock, logger, wakeWorker: () => worker.wake() });
  return { ...web, worker };
}
