// The background worker built from a config and a database: the tasks, their Belvo client, channels
// and link signer. main.ts runs it in a thread of its own (worker-thread.ts); tests run it in-process.
import type { Knex } from 'knex';
import { accountFetchTask } from '../link-data/account-fetch-task.ts';
import { createBelvoClient } from '../belvo/belvo-client.ts';
import { createChannels } from '../channels/channel-registry.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createMessageRenderer } from '../messages/render-message.ts';
import { countRetentionDeletions } from '../metrics/samples.ts';
import { WEBHOOK_RETRY_POLICY } from '../operator-webhooks/delivery-repository.ts';
import { enableOperatorEvents } from '../operator-webhooks/operator-events.ts';
import { createWebhookPoster } from '../operator-webhooks/webhook-post.ts';
import { webhookTask } from '../operator-webhooks/webhook-task.ts';
import { createSendRateLimiter } from '../outbox/send-rate.ts';
import { createLinkSigner } from '../cases/signed-link.ts';
import { retentionTask } from '../privacy/retention-task.ts';
import { reminderTask } from './reminder-task.ts';
import { heldExpiryTask } from '../storm/held-expiry-task.ts';
import { createInstitutionLookup } from '../webhooks/institution-lookup.ts';
import type { RetryPolicy } from '../jobs/retry.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';
import { createWorker, type Worker } from './worker.ts';
import { eventTask, housekeepingTask, outboxTask } from './worker-tasks.ts';

/** The institution lookup is a nicety for messages: it may not hold the event queue for long. */
const INSTITUTION_LOOKUP_TIMEOUT_MS = 3_000;

export interface BackgroundWorkerDeps {
  config: Config;
  db: Knex;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** How long a claimed job is ours before another worker may take it over. */
  leaseMs: number;
  /** Jitter source for retries; tests pin it. */
  random?: (() => number) | undefined;
  pollMs?: number | undefined;
  belvoTimeoutMs?: number | undefined;
  /** How long the operator's webhook endpoint has to answer (tests shorten it). */
  webhookTimeoutMs?: number | undefined;
  /** While this holds (the web thread is saturated), the worker gives way. */
  yieldWhile?: (() => boolean) | undefined;
}

export function createBackgroundWorker(deps: BackgroundWorkerDeps): Worker {
  const { config, db, clock, logger, retry, leaseMs } = deps;
  if (config.operatorWebhook) enableOperatorEvents(db);
  const belvoKeys = { apiUrl: config.belvo.apiUrl, secretId: config.belvo.secretId, secretPassword: config.belvo.secretPassword };
  const belvo = createBelvoClient({ ...belvoKeys, ...(deps.belvoTimeoutMs ? { timeoutMs: deps.belvoTimeoutMs } : {}) });
  const institutionOf = createInstitutionLookup({
    belvo: createBelvoClient({ ...belvoKeys, timeoutMs: INSTITUTION_LOOKUP_TIMEOUT_MS }),
    clock,
  });
  const random = deps.random ? { random: deps.random } : {};
  return createWorker({
    logger,
    ...(deps.pollMs ? { pollMs: deps.pollMs } : {}),
    ...(deps.yieldWhile ? { yieldWhile: deps.yieldWhile } : {}),
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
        stormGuard: config.stormGuard,
        concurrency: config.worker.eventConcurrency,
      }),
      // Before the outbox, so that in a test's round a reminder due now goes out in the same round.
      reminderTask({ db, clock, logger, config: config.reminders, channelPolicy: config.channelPolicy, leaseMs }),
      outboxTask({
        db,
        clock,
        logger,
        channels: createChannels({ config, db, clock }),
        channelPolicy: config.channelPolicy,
        render: createMessageRenderer(config.brand),
        signer: createLinkSigner(config.appSecret),
        publicUrl: config.publicUrl,
        linkTtlMs: config.linkTtlMs,
        reminders: config.reminders,
        retry,
        leaseMs,
        concurrency: config.worker.sendConcurrency,
        sendRate: createSendRateLimiter(db, config.sendRates, logger),
        // Well inside the lease, so that a message waiting for its turn is never taken over meanwhile.
        maxRateWaitMs: leaseMs / 3,
        ...random,
      }),
      accountFetchTask({ db, clock, logger, belvo, retry, leaseMs, ...random }),
      housekeepingTask({ db, clock }),
      heldExpiryTask({ db, clock, logger, expiryMs: config.reminders.expiryMs }),
      retentionTask({ db, clock, logger, retentionMs: config.retentionMs, onDeleted: countRetentionDeletions }),
      ...operatorWebhookTasks(deps),
    ],
  });
}

/** Delivery of the operator's webhooks, when OPERATOR_WEBHOOK_URL is set. */
function operatorWebhookTasks(deps: BackgroundWorkerDeps): WorkerTask[] {
  const settings = deps.config.operatorWebhook;
  if (!settings) return [];
  const { db, clock, logger, leaseMs, random } = deps;
  const poster = createWebhookPoster(settings, deps.webhookTimeoutMs);
  return [webhookTask({ db, clock, logger, poster, retry: WEBHOOK_RETRY_POLICY, leaseMs, random })];
}
