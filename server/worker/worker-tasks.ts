// The tasks the worker runs each round, built from the process's dependencies.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import { claimBatch } from '../db/claim.ts';
import { refreshPlannerStatistics } from '../db/database.ts';
import type { EventTableRow, OutboxTableRow } from '../db/tables.ts';
import { jobLogger, type Logger } from '../logger.ts';
import { sendClaimedMessages, type OutboxSenderDeps } from '../outbox/outbox-sender.ts';
import { outboxRow } from '../outbox/outbox-repository.ts';
import { WEBHOOK_LANES } from '../operator-webhooks/webhook-task.ts';
import { pruneRateLimits } from '../http/rate-limit-store.ts';
import { pruneSessions } from '../http/session-store.ts';
import { toStoredEvent } from '../webhooks/event-inbox.ts';
import { processEvent, type EventProcessorDeps } from '../webhooks/event-processor.ts';
import { retryOrFail, type RetryPolicy } from '../jobs/retry.ts';
import { periodicTask } from '../jobs/periodic-task.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';

/** A claim outlives any single send or event (channel and Belvo timeouts are seconds), yet a dead worker's job is retaken within a minute. */
export const DEFAULT_LEASE_MS = 60_000;
/** Events claimed at once: enough to keep `concurrency` links busy, few enough that a dead worker strands little. */
const EVENTS_PER_CONCURRENT_LINK = 8;
/** Messages one outbox lane claims at once; SEND_CONCURRENCY / this many lanes send side by side. */
const MESSAGES_PER_LANE = 8;

/**
 * Database connections a worker can keep busy (PostgreSQL): one per link being processed, one per
 * outbox lane and per webhook lane, and a couple for the other tasks.
 */
export function workerConnections(limits: { eventConcurrency: number; sendConcurrency: number }): number {
  return limits.eventConcurrency + Math.ceil(limits.sendConcurrency / MESSAGES_PER_LANE) + WEBHOOK_LANES + 2;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Events of one link (or payments object) in the order they arrived; different links are independent. */
function byLink(rows: EventTableRow[]): EventTableRow[][] {
  const groups = new Map<string, EventTableRow[]>();
  for (const row of rows) {
    const key = row.link_id ?? row.object_id ?? `event:${row.id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

export interface EventTaskDeps extends EventProcessorDeps {
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  leaseMs: number;
  /** Links whose events are processed at once (EVENT_CONCURRENCY). */
  concurrency: number;
}

export function eventTask(deps: EventTaskDeps): WorkerTask {
  return {
    name: 'events',
    async run(owner) {
      const limit = deps.concurrency * EVENTS_PER_CONCURRENT_LINK;
      const rows = await claimBatch<EventTableRow>(deps.db, { table: 'events', owner, now: deps.clock.now(), leaseMs: deps.leaseMs, limit });
      // One link's events one after another (a later one may resolve the case an earlier one opens).
      await eachLimited(byLink(rows), deps.concurrency, async (group) => {
        for (const row of group) await processOrRetry(deps, row, owner);
      });
      return rows.length;
    },
  };
}

async function processOrRetry(deps: EventTaskDeps, row: EventTableRow, owner: string): Promise<void> {
  const logger = jobLogger(deps.logger, 'event', row.id);
  try {
    await processEvent({ ...deps, logger }, toStoredEvent(row), owner, deps.clock.now());
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const job = { table: 'events' as const, id: row.id, owner, attempts: row.attempts };
    const end = await retryOrFail(deps.db, job, { error }, deps.retry, deps.clock.now());
    logger.error('event processing failed', { event_id: row.id, attempts: end.attempts, err });
  }
}

export function outboxTask(deps: OutboxSenderDeps & { leaseMs: number; concurrency: number }): WorkerTask {
  const perLane = Math.min(MESSAGES_PER_LANE, deps.concurrency);
  return {
    name: 'outbox',
    // Lanes rather than one big batch: a slow send holds up its own lane only.
    lanes: Math.ceil(deps.concurrency / perLane),
    async run(owner) {
      const rows = await claimBatch<OutboxTableRow>(deps.db, { table: 'outbox', owner, now: deps.clock.now(), leaseMs: deps.leaseMs, limit: perLane });
      await sendClaimedMessages(deps, rows.map(outboxRow), owner);
      return rows.length;
    },
  };
}

const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

/**
 * Drops expired sessions and rate-limit windows, and keeps SQLite's planner statistics current.
 * Idempotent, so several processes doing it is harmless.
 */
export function housekeepingTask(deps: { db: Knex; clock: Clock }): WorkerTask {
  return periodicTask({
    name: 'housekeeping',
    clock: deps.clock,
    everyMs: HOUSEKEEPING_EVERY_MS,
    async pass(now) {
      await pruneSessions(deps.db, now);
      await pruneRateLimits(deps.db, now);
      await refreshPlannerStatistics(deps.db);
      return { handled: 0, more: false };
    },
  });
}
