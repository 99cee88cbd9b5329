// A process may run its worker on several threads (WORKER_THREADS), each a worker of its own with its
// own database connection, claiming work as separate processes do. The process's limits are the
// operator's promise to the SMTP relay and the database, so the threads divide them instead of each
// taking them whole.
import type { Config } from '../config.ts';

/** Thread `index`'s part of `limit` split among `count` threads: equal parts, the remainder to the first ones. */
export function shareOf(limit: number, count: number, index: number): number {
  return Math.floor(limit / count) + (index < limit % count ? 1 : 0);
}

/** The configuration worker thread `index` (from 0) runs with: the process's, with its limits shared out. */
export function workerThreadConfig(config: Config, index: number): Config {
  const { threads } = config.worker;
  return {
    ...config,
    smtpMaxConnections: shareOf(config.smtpMaxConnections, threads, index),
    worker: {
      ...config.worker,
      eventConcurrency: shareOf(config.worker.eventConcurrency, threads, index),
      sendConcurrency: shareOf(config.worker.sendConcurrency, threads, index),
    },
  };
}
