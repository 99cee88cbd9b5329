// The web side's composition root: the Express app, its Belvo client and link signer, from a config
// and a database. It loads nothing of the worker's (channels, message rendering), which runs on a
// thread of its own (worker/worker-runtime.ts); runtime.ts puts the two together for tests.
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from './app.ts';
import { createBelvoClient } from './belvo/belvo-client.ts';
import type { BelvoClient } from './belvo/belvo-types.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { enableOperatorEvents } from './operator-webhooks/operator-events.ts';
import type { PortalLimits } from './portal/portal-routes.ts';
import { createLinkSigner, type LinkSigner } from './cases/signed-link.ts';
import { createBelvoSimulator, type BelvoSimulator } from './sandbox/belvo-simulator.ts';

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
  const logger = options.logger ?? createLogger({ level: options.config.logLevel });
  if (config.operatorWebhook) enableOperatorEvents(db);
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
