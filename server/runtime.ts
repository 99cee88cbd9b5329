// The composition root: builds the app and the worker from a config and a database. main.ts runs it
// for real; tests build the same thing with their own clock, database and outside servers.
import type { Express } from 'express';
import type { Knex } from 'knex';
import { accountFetchTask } from './link-data/account-fetch-task.ts';
import { createApp } from './app.ts';
import { createBelvoClient } from './belvo/belvo-client.ts';
import { createChannels } from './channels/channel-registry.ts';
import type { BelvoClient } from './belvo/belvo-types.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMessageRenderer } from './messages/render-message.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './outbox/retry-policy.ts';
import { createLinkSigner, type LinkSigner } from './portal/signed-link.ts';
import { createInstitutionLookup } from './webhooks/institution-lookup.ts';
import { reminderTask } from './reminders/reminder-task.ts';
import { createBelvoSimulator, type BelvoSimulator } from './sandbox/belvo-simulator.ts';
import { createWorker, type Worker } from './worker/worker.ts';
import { DEFAULT_LEASE_MS, eventTask, housekeepingTask, outboxTask } from './worker/worker-tasks.ts';
import type { PortalLimits } from './portal/portal-routes.ts';

/** The institution lookup is a nicety for messages: it may not hold the event queue for long. */
const INSTITUTION_LOOKUP_TIMEOUT_MS = 3_000;

export interface RuntimeOptions {
  config: Config;
  db: Knex;
  clock?: Clock;
  logger?: Logger;
  retry?: RetryPolicy;
  /** Jitter source for retries; tests pin it. */
  random?: () => number;
  pollMs?: number;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs?: number;
  portalLimits?: Partial<PortalLimits>;
  belvoTimeoutMs?: number;
}

export interface Runtime {
  app: Express;
  worker: Worker;
  belvo: BelvoClient;
  signer: LinkSigner;
  /** Present in demo mode, where the portal answers as Belvo too. */
  simulator: BelvoSimulator | undefined;
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { config, db } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const signer = createLinkSigner(config.appSecret);
  const simulator = config.belvo.simulator
    ? createBelvoSimulator({ secretId: config.belvo.secretId, secretPassword: config.belvo.secretPassword, clock, logger })
    : undefined;
  const belvoKeys = {
    apiUrl: config.belvo.apiUrl,
    secretId: config.belvo.secretId,
    secretPassword: config.belvo.secretPassword,
  };
  const belvo = createBelvoClient({
    ...belvoKeys,
    ...(options.belvoTimeoutMs ? { timeoutMs: options.belvoTimeoutMs } : {}),
  });
  const institutionOf = createInstitutionLookup({
    belvo: createBelvoClient({ ...belvoKeys, timeoutMs: INSTITUTION_LOOKUP_TIMEOUT_MS }),
    clock,
    logger,
  });
  const worker = createWorker({
    logger,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    tasks: [
      eventTask({
        db,
        clock,
        logger,
        cooldownMs: config.messageCooldownMs,
        channelPolicy: config.channelPolicy,
        consentCodesToNotify: config.consentCodesToNotify,
        reminders: config.reminders,
        retry,
        leaseMs,
        institutionOf,
      }),
      // Before the outbox, so a reminder due now goes out in the same round.
      reminderTask({ db, clock, logger, config: config.reminders, channelPolicy: config.channelPolicy, leaseMs }),
      outboxTask({
        db,
        clock,
        logger,
        channels: createChannels({ config, db, clock }),
        channelPolicy: config.channelPolicy,
        render: createMessageRenderer(config.brand),
        signer,
        publicUrl: config.publicUrl,
        linkTtlMs: config.linkTtlMs,
        reminders: config.reminders,
        retry,
        leaseMs,
        ...(options.random ? { random: options.random } : {}),
      }),
      accountFetchTask({ db, clock, logger, belvo, retry, leaseMs, ...(options.random ? { random: options.random } : {}) }),
      housekeepingTask({ db, clock }),
    ],
  });
  const app = createApp({
    config,
    db,
    clock,
    logger,
    belvo,
    signer,
    wakeWorker: () => worker.wake(),
    ...(simulator ? { belvoSimulator: simulator } : {}),
    ...(options.portalLimits ? { portalLimits: options.portalLimits } : {}),
  });
  return { app, worker, belvo, signer, simulator };
}
