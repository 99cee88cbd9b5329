// SQLite copies its write-ahead log back into the database file ("checkpoints") every thousand
// pages or so, inside whichever write crosses the line: a pause of several milliseconds on the event
// loop that answers Belvo. Here a worker thread with its own connection checkpoints on a timer
// instead, and the process's own connection stops doing it. If the thread dies, the process's
// connection checkpoints again as before, so the log never grows without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type { Logger } from '../logger.ts';

const DEFAULT_INTERVAL_MS = 1000;
/** SQLite's own default, restored when the checkpoint thread is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Plain CommonJS, run with `eval`: the thread needs no TypeScript loader.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('busy_timeout = 5000');
// Like every connection to the file (database.ts): whatever it ever deletes is zeroed.
db.pragma('secure_delete = ON');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export async function startCheckpointer(
  db: Knex,
  filename: string,
  logger: Logger,
  intervalMs = DEFAULT_INTERVAL_MS,
): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { driver, filename, intervalMs },
    // The thread only issues one pragma a second: a small heap keeps its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  let stopping = false;
  thread.on('error', (err) => {
    logger.error('the SQLite checkpoint thread failed; checkpoints are back on the main connection', { err });
    void db.raw(`pragma wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  });
  await db.raw('pragma wal_autocheckpoint = 0');
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage('stop');
      await exited;
    },
  };
}
