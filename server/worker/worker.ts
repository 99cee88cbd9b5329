// The background worker: claims recorded events and queued messages from the database and handles
// them. Several processes may run it over one database; claims (server/db/claim.ts) keep them apart.
// Each task runs in a loop of its own, so a slow SMTP server holds up messages, never events.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { WorkerTask } from '../jobs/worker-task.ts';
import type { Logger } from '../logger.ts';

export interface Worker {
  /** Runs every task once, one after another; how many items were handled. Tests drive the worker with this. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops once every loop has finished its current round. */
  stop(): Promise<void>;
  /** There is new work: skip the rest of the poll interval. */
  wake(): void;
  readonly owner: string;
}

/** After a task failed, its loop waits this long before trying again, so a broken database is not hammered. */
const PAUSE_AFTER_FAILURE_MS = 1_000;
/** How long a loop gives way while `yieldWhile` holds; new work does not cut it short. */
const YIELD_MS = 50;
/**
 * The longest a loop gives way before it runs a round anyway: a web thread that stays busy (a flood
 * that does not end, or its load misread) slows the worker down but never stops the messages.
 */
const DEFAULT_MAX_YIELD_MS = 1_000;

export interface WorkerOptions {
  tasks: WorkerTask[];
  logger: Logger;
  pollMs?: number;
  /** While this holds, the loops give the CPU away between rounds (web-load.ts), each for up to `maxYieldMs` at a time. */
  yieldWhile?: () => boolean;
  maxYieldMs?: number;
}

export function createWorker(options: WorkerOptions): Worker {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  const maxYieldMs = options.maxYieldMs ?? DEFAULT_MAX_YIELD_MS;
  let running = false;
  let loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();

  async function runTask(task: WorkerTask): Promise<number> {
    try {
      return await task.run(owner);
    } catch (err) {
      options.logger.error('worker task failed', { task: task.name, err });
      return -1;
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (const task of options.tasks) handled += Math.max(0, await runTask(task));
    return handled;
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });
  }

  async function giveWay(): Promise<void> {
    const until = performance.now() + maxYieldMs;
    while (running && options.yieldWhile?.() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, YIELD_MS));
  }

  async function loop(task: WorkerTask): Promise<void> {
    while (running) {
      await giveWay();
      if (!running) return;
      const handled = await runTask(task);
      if (!running) return;
      if (handled < 0) await pause(PAUSE_AFTER_FAILURE_MS);
      else if (handled === 0) await pause(pollMs);
    }
  }

  return {
    owner,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loops = options.tasks.flatMap((task) => Array.from({ length: Math.max(1, task.lanes ?? 1) }, () => loop(task)));
    },
    async stop() {
      running = false;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
    wake() {
      for (const wake of [...sleepers]) wake();
    },
  };
}
