// The web thread's side of the worker threads (worker-thread.ts): starts them, wakes them when work is
// recorded, starts each again if it dies (after a pause that grows while it keeps dying), and stops them.
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config.ts';
import { releaseIfHeldBy } from '../db/sqlite-write-lock.ts';
import type { Logger } from '../logger.ts';
import { isSampleBatch, receiveSamples } from '../metrics/thread-samples.ts';
import { startThread } from '../thread-entry.ts';
import { workerThreadConfig } from './worker-thread-share.ts';

export interface WorkerThreadData {
  /** The process's configuration with this thread's share of its limits (worker-thread-share.ts). */
  config: Config;
  /** SQLite only, where the process has more than one writing thread: the write lock they share. */
  writeLock: SharedArrayBuffer | undefined;
  /** Where this process has a web thread: how busy it is (web-load.ts). */
  webLoad: SharedArrayBuffer | undefined;
  /** Whether this thread checkpoints SQLite's write-ahead log (one thread per process does). */
  checkpoints: boolean;
  /** How logs name the thread: `worker`, or `worker 2` where there are several. */
  name: string;
}

export type ToWorkerThread = 'wake' | 'stop';

export interface WorkerHost {
  /** Something was recorded: the worker need not wait for its next poll. Cheap to call often. */
  wake(): void;
  /** Whether every worker thread is running now (one that died is started again). */
  running(): boolean;
  stop(): Promise<void>;
}

const FIRST_RESTART_PAUSE_MS = 1_000;
/** A send or a Belvo call in flight has a 10 s timeout; past this, the thread is ended where it stands. */
const STOP_TIMEOUT_MS = 15_000;
const LONGEST_RESTART_PAUSE_MS = 60_000;
/** A thread that ran this long before dying was healthy: the next restart is quick again. */
const HEALTHY_RUN_MS = 60_000;

/**
 * The worker keeps little between jobs: a small young generation (V8's default lets it grow to 48
 * MiB before collecting) keeps the process's memory near the web thread's own. The old generation's
 * cap only stops a runaway; the thread is started again if it ever hits it.
 */
const HEAP_LIMITS = { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 192 };

function newThread(data: WorkerThreadData): Worker {
  return startThread(new URL('./worker-thread', import.meta.url), { workerData: data, resourceLimits: HEAP_LIMITS });
}

interface HostOptions {
  config: Config;
  writeLock: SharedArrayBuffer | undefined;
  webLoad: SharedArrayBuffer | undefined;
  logger: Logger;
}

/** Starts the process's worker threads (WORKER_THREADS), each with its share of the limits, and looks after them as one. */
export function startWorkerThreads(options: HostOptions): WorkerHost {
  const { config } = options;
  const threads = Array.from({ length: config.worker.threads }, (_, index) =>
    superviseThread(
      {
        config: workerThreadConfig(config, index),
        writeLock: options.writeLock,
        webLoad: options.webLoad,
        // One thread copies SQLite's log into the database file; more would only contend for it.
        checkpoints: index === 0,
        name: config.worker.threads === 1 ? 'worker' : `worker ${index + 1}`,
      },
      options.logger,
    ),
  );
  return {
    wake: () => threads.forEach((thread) => thread.wake()),
    running: () => threads.every((thread) => thread.running()),
    stop: async () => {
      await Promise.all(threads.map((thread) => thread.stop()));
    },
  };
}

function superviseThread(data: WorkerThreadData, logger: Logger): WorkerHost {
  let thread: Worker | undefined;
  let stopping = false;
  let restartPause = FIRST_RESTART_PAUSE_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  let wakePending = false;

  function start(): void {
    const startedAt = Date.now();
    const current = newThread(data);
    // Read now: a thread that has exited reports -1.
    const holder = current.threadId + 1;
    thread = current;
    current.on('error', (err) => logger.error(`the ${data.name} thread failed`, { err }));
    current.on('message', (message: unknown) => {
      if (isSampleBatch(message)) receiveSamples(message);
    });
    current.on('exit', (code) => {
      thread = undefined;
      // A thread that died in the middle of a write would otherwise keep the other threads from writing.
      if (data.writeLock && releaseIfHeldBy(data.writeLock, holder)) {
        logger.warn(`released the database write lock of the ${data.name} thread that died`);
      }
      if (stopping) return;
      restartPause = Date.now() - startedAt > HEALTHY_RUN_MS ? FIRST_RESTART_PAUSE_MS : Math.min(restartPause * 2, LONGEST_RESTART_PAUSE_MS);
      logger.error(`the ${data.name} thread stopped; starting it again`, { exit_code: code, restart_in_ms: restartPause });
      restartTimer = setTimeout(start, restartPause);
    });
  }

  start();
  return {
    wake() {
      // One message per turn of the event loop, however many webhooks it recorded.
      if (wakePending || !thread) return;
      wakePending = true;
      setImmediate(() => {
        wakePending = false;
        thread?.postMessage('wake' satisfies ToWorkerThread);
      });
    },
    running: () => thread !== undefined,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const current = thread;
      if (!current) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.postMessage('stop' satisfies ToWorkerThread);
      const timer = setTimeout(() => {
        logger.warn(`the ${data.name} thread did not stop in time; ending it`);
        void current.terminate();
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
