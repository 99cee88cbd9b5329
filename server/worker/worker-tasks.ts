// The tasks the worker runs each round, built from the process's dependencies.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import { claimBatch } from '../db/claim.ts';
import type { Logger } from '../logger.ts';
import { sendClaimedMessage, type OutboxSenderDeps } from '../outbox/outbox-sender.ts';
import type { RetryPolicy } from '../outbox/retry-policy.ts';
import { pruneRateLimits } from '../http/rate-limit-store.ts';
import { pruneSessions } from '../http/session-store.ts';
import { processEvent, type EventProcessorDeps } from '../webhooks/event-processor.ts';
import { retryOrFail } from './retry-claim.ts';
import type { WorkerTask } from './worker.ts';

/** A claim outlives any single send or event (channel and Belvo timeouts are seconds), yet a dead worker's job is retaken within a minute. */
export const DEFAULT_LEASE_MS = 60_000;
const BATCH = 20;

export function eventTask(deps: {
  db: Knex;
  clock: Clock;
  logger: Logger;
  cooldownMs: number;
  channelPolicy: EventProcessorDeps['channelPolicy'];
  consentCodesToNotify?: NonNullable<EventProcessorDeps['consentCodesToNotify']>;
  reminders: EventProcessorDeps['reminders'];
  retry: RetryPolicy;
  leaseMs: number;
  institutionOf: EventProcessorDeps['institutionOf'];
}): WorkerTask {
  return {
    name: 'events',
    async run(owner) {
      const ids = await claimBatch(deps.db, { table: 'events', owner, now: deps.clock.now(), leaseMs: deps.leaseMs, limit: BATCH });
      for (const id of ids) {
        try {
          await processEvent(deps, id, owner, deps.clock.now());
        } catch (err) {
          await retryEvent(deps, id, owner, err);
        }
      }
      return ids.length;
    },
  };
}

async function retryEvent(
  deps: { db: Knex; clock: Clock; logger: Logger; retry: RetryPolicy },
  id: number,
  owner: string,
  err: unknown,
): Promise<void> {
  const error = err instanceof Error ? err.message : String(err);
  const end = await retryOrFail(deps.db, { table: 'events', id, owner }, { error }, deps.retry, deps.clock.now());
  deps.logger.error('event processing failed', { event_id: id, attempts: end.attempts, err });
}

export function outboxTask(deps: OutboxSenderDeps & { leaseMs: number }): WorkerTask {
  return {
    name: 'outbox',
    async run(owner) {
      const ids = await claimBatch(deps.db, { table: 'outbox', owner, now: deps.clock.now(), leaseMs: deps.leaseMs, limit: BATCH });
      // Messages go to different people: send them side by side rather than one after another.
      await Promise.all(ids.map((id) => sendClaimedMessage(deps, id, owner)));
      return ids.length;
    },
  };
}

const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

/** Drops expired sessions and rate-limit windows. Idempotent, so several processes doing it is harmless. */
export function housekeepingTask(deps: { db: Knex; clock: Clock }): WorkerTask {
  let nextRun = 0;
  return {
    name: 'housekeeping',
    async run() {
      const now = deps.clock.now();
      if (now < nextRun) return 0;
      nextRun = now + HOUSEKEEPING_EVERY_MS;
      await pruneSessions(deps.db, now);
      await pruneRateLimits(deps.db, now);
      // Not counted as work done: the loop should go back to waiting, not spin.
      return 0;
    },
  };
}
