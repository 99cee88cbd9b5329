// The composition root: builds the web app and the background worker from a config and a database.
// main.ts runs the two in separate threads, each with its own connection; tests build both here, in
// one thread over one database, and drive the worker by hand.
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from './app.ts';
import { createBelvoClient } from './belvo/belvo-client.ts';
import type { BelvoClient } from './belvo/belvo-types.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import type { PortalLimits } from './portal/portal-routes.ts';
import { createLinkSigner, type LinkSigner } from './portal/signed-link.ts';
import { createBelvoSimulator, type BelvoSimulator } from './sandbox/belvo-simulator.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './worker/retry-policy.ts';
import { createBackgroundWorker } from './worker/worker-runtime.ts';
import { DEFAULT_LEASE_MS } from './worker/worker-tasks.ts';
import type { Worker } from './worker/worker.ts';

export interface WebOptions {
  config: Config;
  db: Knex;
  clock?: Clock;
  logger?: Logger;
  portalLimits?: Partial<PortalLimits>;
  belvoTimeoutMs?: number;
  /** Tells the worker that an event or a message was recorded. */
  wakeWorker: () => void;
}

export interface WebRuntime {
  app: Express;
  belvo: BelvoClient;
  signer: LinkSigner;
  /** Present in demo mode, where the portal answers as Belvo too. */
  simulator: BelvoSimulator | undefined;
}

export function createWebRuntime(options: WebOptions): WebRuntime {
  const { config, db } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const signer = createLinkSigner(config.appSecret);
  const simulator = config.belvo.simulator
    ? createBelvoSimulator({ secretId: config.belvo.secretId, secretPassword: config.belvo.secretPassword, clock, logger })
    : undefined;
  const belvo = createBelvoClient({
    apiUrl: config.belvo.apiUrl,
    secretId: config.belvo.secretId,
    secretPassword: config.belvo.secretPassword,
    ...(options.belvoTimeoutMs ? { timeoutMs: options.belvoTimeoutMs } : {}),
  });
  const app = createApp({
    config,
    db,
    clock,
    logger,
    belvo,
    signer,
    wakeWorker: options.wakeWorker,
    ...(simulator ? { belvoSimulator: simulator } : {}),
    ...(options.portalLimits ? { portalLimits: options.portalLimits } : {}),
  });
  return { app, belvo, signer, simulator };
}

export interface RuntimeOptions extends Omit<WebOptions, 'wakeWorker'> {
  retry?: RetryPolicy;
  /** Jitter source for retries; tests pin it. */
  random?: () => number;
  pollMs?: number;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
}

export interface Runtime extends WebRuntime {
  worker: Worker;
}

/** The web app and the worker in one thread, over one database: what tests drive. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
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
  });
  const web = createWebRuntime({ ...options, clock, logger, wakeWorker: () => worker.wake() });
  return { ...web, worker };
}
