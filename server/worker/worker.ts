// The background worker: claims recorded events and queued messages from the database and handles
// them. Several processes may run it over one database; claims (server/db/claim.ts) keep them apart.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.ts';

/** One kind of background work. `run` returns how many items it handled. */
export interface WorkerTask {
  name: string;
  run(owner: string): Promise<number>;
}

export interface Worker {
  /** Runs every task once; how many items were handled. Tests drive the worker with this. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops after the current round. */
  stop(): Promise<void>;
  /** There is new work: skip the rest of the poll interval. */
  wake(): void;
  readonly owner: string;
}

export function createWorker(options: { tasks: WorkerTask[]; logger: Logger; pollMs?: number }): Worker {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;

  async function runTask(task: WorkerTask): Promise<number> {
    try {
      return await task.run(owner);
    } catch (err) {
      options.logger.error('worker task failed', { task: task.name, err });
      return 0;
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (const task of options.tasks) handled += await runTask(task);
    return handled;
  }

  function pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      const handled = await runOnce();
      if (handled === 0 && running) await pause();
    }
  }

  return {
    owner,
    runOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
    wake() {
      wakeUp?.();
    },
  };
}
