// How fast the worker turns recorded events into cases and queued messages, as the product runs
// (`npm start`, its worker thread sending each message too), on empty tables, on tables holding a
// long history (1,000,000 events and 1,000,000 cases), and with a backlog of 50,000 events waiting.
// The rate comes from the events' own processed_at times, so start-up and polling do not count.
// The three take turns, round after round, and the medians are compared, so that what the rest of
// the machine does falls on all three alike.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeOnPostgres,
  createBenchDatabase,
  insertPendingEvents,
  seedHistory,
  seedUserAndLinks,
  type BenchDatabase,
  type DatabaseKind,
} from './bench-database.ts';
import { median, progress, waitFor } from './bench-os.ts';
import { productEnv, startProduct } from './bench-product.ts';

export interface WorkerOptions {
  rounds: number;
  /** Events measured each time. */
  events: number;
  history: number;
  backlog: number;
}

export const DEFAULT_WORKER: WorkerOptions = { rounds: 3, events: 5_000, history: 1_000_000, backlog: 50_000 };
const TIMEOUT_MS = 15 * 60_000;

export interface WorkerFigures {
  /** Events processed per second, medians of the rounds. */
  empty: number;
  history: number;
  backlog: number;
  historyRatio: number;
  backlogRatio: number;
  rounds: Array<{ empty: number; history: number; backlog: number }>;
}

/** Events per second over the first `n` of this run's events processed (by their processed_at). */
async function rateOfFirst(bench: BenchDatabase, webhookIds: Set<string>, n: number): Promise<number> {
  const rows = (await bench.db('events').where('state', 'done').where('processed_at', '>=', Date.now() - 3_600_000).select('webhook_id', 'processed_at')) as Array<{
    webhook_id: string;
    processed_at: number | string;
  }>;
  const times = rows.filter((row) => webhookIds.has(row.webhook_id)).map((row) => Number(row.processed_at)).sort((a, b) => a - b).slice(0, n);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  return seconds > 0 ? (times.length - 1) / seconds : Number.NaN;
}

/**
 * Whether the first `n` events waiting (in the order the worker claims them) are all processed. It
 * reads them by primary key: polling a count over the whole events table would take a core of this
 * machine from the worker it measures once the history holds a million rows.
 */
async function firstProcessed(bench: BenchDatabase, n: number): Promise<() => Promise<boolean>> {
  const ids = await bench.db('events').where('state', 'pending').orderBy([{ column: 'available_at' }, { column: 'id' }]).limit(n).pluck('id');
  const [first, last] = [Math.min(...ids), Math.max(...ids)];
  return async () => {
    const row = (await bench.db('events').whereBetween('id', [first, last]).whereIn('state', ['pending', 'running']).count({ n: '*' }).first()) as { n: number | string };
    return Number(row.n) === 0;
  };
}

/** Queues `pending` events on `bench`, runs the product until the first `measured` of them are done, and returns their rate. */
async function run(bench: BenchDatabase, pending: number, measured: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-worker-'));
  try {
    const now = Date.now();
    const links = Array.from({ length: pending }, () => randomUUID());
    await seedUserAndLinks(bench, links, now);
    const mine = await insertPendingEvents(bench, links, now);
    // Tables written a moment ago have no statistics yet, and with none PostgreSQL read every
    // waiting event and sorted them for each claim of 32 (3,000 to 3,500 rows, 1.5 to 6 ms), which
    // would slow the empty tables' rate, the yardstick of both ratios.
    await analyzeOnPostgres(bench);
    const measuredDone = await firstProcessed(bench, measured);
    const product = await startProduct(productEnv({ dataDir: dir, databaseUrl: bench.url }));
    try {
      await waitFor(`${measured} events processed`, measuredDone, TIMEOUT_MS, 250);
    } finally {
      await product.stop();
    }
    return await rateOfFirst(bench, mine, measured);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onFresh<T>(kind: DatabaseKind, use: (bench: BenchDatabase) => Promise<T>): Promise<T> {
  const bench = await createBenchDatabase(kind);
  try {
    return await use(bench);
  } finally {
    await bench.close();
  }
}

export async function workerBench(kind: DatabaseKind, options: WorkerOptions = DEFAULT_WORKER): Promise<WorkerFigures> {
  const history = await createBenchDatabase(kind);
  try {
    progress(`worker (${kind}): writing ${options.history.toLocaleString('en-US')} past events and cases`);
    const now = Date.now();
    const [user] = (await history.db('users')
      .insert({ external_id: 'history-user', email: 'history@example.com', created_at: now, updated_at: now })
      .returning('id')) as Array<{ id: number }>;
    await seedHistory(history, user!.id, options.history, now);
    const rounds: WorkerFigures['rounds'] = [];
    for (let round = 0; round < options.rounds; round++) {
      progress(`worker (${kind}): round ${round + 1} of ${options.rounds}`);
      const empty = await onFresh(kind, (bench) => run(bench, options.events, options.events));
      const onHistory = await run(history, options.events, options.events);
      // The backlog's rate is read over its first events, while the other 45,000 still wait.
      const backlog = await onFresh(kind, (bench) => run(bench, options.backlog, options.events));
      rounds.push({ empty, history: onHistory, backlog });
    }
    const empty = median(rounds.map((r) => r.empty));
    return {
      empty,
      history: median(rounds.map((r) => r.history)),
      backlog: median(rounds.map((r) => r.backlog)),
      historyRatio: median(rounds.map((r) => r.history / r.empty)),
      backlogRatio: median(rounds.map((r) => r.backlog / r.empty)),
      rounds,
    };
  } finally {
    await history.close();
  }
}
