// Entry of a worker thread that main.ts starts (WORKER_THREADS of them): the background worker with
// a database connection of its own, so that neither its work nor its waits for the database ever
// touch the event loop that answers Belvo. The web thread wakes it when something is recorded and
// stops it on shutdown.
import { setPriority } from 'node:os';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { systemClock } from '../clock.ts';
import { createDatabase, isSqlite } from '../db/database.ts';
import { sharedWriteLock } from '../db/sqlite-write-lock.ts';
import { createLogger, type Logger } from '../logger.ts';
import { DEFAULT_RETRY_POLICY } from '../jobs/retry.ts';
import { forwardSamplesTo } from '../metrics/thread-samples.ts';
import { webIsBusy } from './web-load.ts';
import { createBackgroundWorker } from './worker-runtime.ts';
import { DEFAULT_LEASE_MS, workerConnections } from './worker-tasks.ts';
import type { ToWorkerThread, WorkerThreadData } from './worker-host.ts';

/**
 * Beside a web thread, background work yields the CPU to answering requests: when both want a core,
 * a webhook should not wait while the worker computes. Linux schedules each thread on its own, and
 * lowers this thread alone (libuv's pool threads, started by the web thread before this one, keep
 * their priority); elsewhere the call would lower the whole process, web thread included, so it is
 * left as it is.
 */
const WORKER_NICE = 10;

function lowerPriorityBesideWebThread(besideWeb: boolean, logger: Logger): void {
  if (!besideWeb || process.platform !== 'linux') return;
  try {
    setPriority(0, WORKER_NICE);
  } catch (err) {
    logger.warn("could not lower the worker thread's priority", { err });
  }
}

if (!parentPort) throw new Error('worker-thread.ts runs as a worker thread (see worker-host.ts)');
const port = parentPort;
const { config, writeLock, webLoad, checkpoints: checkpointsHere, name } = workerData as WorkerThreadData;

const db = createDatabase(config.databaseUrl, {
  ...(writeLock ? { writeLock: sharedWriteLock(writeLock, { holder: threadId + 1, priority: false }) } : {}),
  poolSize: workerConnections(config.worker),
});
const logger = createLogger({ level: config.logLevel, bindings: { thread: name } });
// What this thread counts goes to the web thread, whose registry /metrics reads.
const samples = config.metrics === 'off' ? undefined : forwardSamplesTo(port);
const worker = createBackgroundWorker({
  config,
  db,
  clock: systemClock,
  logger,
  retry: DEFAULT_RETRY_POLICY,
  leaseMs: DEFAULT_LEASE_MS,
  yieldWhile: webLoad && webIsBusy(webLoad),
});

// On SQLite one worker thread copies the write-ahead log into the database file, off the web thread's
// event loop (its connection leaves checkpoints to us; database.ts).
const CHECKPOINT_EVERY_MS = 1_000;
const checkpoints = checkpointsHere && isSqlite(db)
  ? setInterval(() => {
      db.raw('pragma wal_checkpoint(PASSIVE)').catch((err: unknown) => logger.warn('SQLite checkpoint failed', { err }));
    }, CHECKPOINT_EVERY_MS)
  : undefined;

lowerPriorityBesideWebThread(webLoad !== undefined, logger);

port.on('message', (message: ToWorkerThread) => {
  if (message === 'wake') return worker.wake();
  // process.exit in a worker thread ends the thread only; idle SMTP or HTTP connections must not keep it.
  clearInterval(checkpoints);
  void worker
    .stop()
    .then(() => db.destroy())
    .finally(() => {
      samples?.flush();
      process.exit(0);
    });
});
worker.start();
