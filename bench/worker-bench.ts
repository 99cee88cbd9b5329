// How fast the worker turns recorded events into cases and queued messages, as the product runs
// (`npm start`, its worker thread sending each message too), on empty tables, on tables holding a
// long history (1,000,000 events and 1,000,000 cases), and with a backlog of 50,000 events waiting.
// The rate comes from the events' own processed_at times, so start-up and polling do not count.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countWhere, createBenchDatabase, insertPendingEvents, seedHistory, seedUserAndLinks, type DatabaseKind } from './bench-database.ts';
import { progress, waitFor } from './bench-os.ts';
import { productEnv, startProduct } from './bench-product.ts';

export interface WorkerOptions {
  /** Events measured in each case. */
  events: number;
  history: number;
  backlog: number;
}

export const DEFAULT_WORKER: WorkerOptions = { events: 5_000, history: 1_000_000, backlog: 50_000 };
const TIMEOUT_MS = 15 * 60_000;

export type Scenario = 'empty' | 'history' | 'backlog';

export interface WorkerFigures {
  /** Events processed per second. */
  empty: number;
  history: number;
  backlog: number;
  historyRatio: number;
  backlogRatio: number;
}

/** Events per second over the first `n` processed (by their processed_at). */
async function rateOfFirst(db: import('knex').Knex, n: number): Promise<number> {
  const times = (await db('events').where('state', 'done').whereNotNull('processed_at').whereNot('webhook_id', 'like', 'history-%').orderBy('processed_at').limit(n).pluck('processed_at')).map(Number);
  const seconds = (times.at(-1)! - times[0]!) / 1000;
  return seconds > 0 ? (times.length - 1) / seconds : Number.NaN;
}

async function measure(kind: DatabaseKind, scenario: Scenario, options: WorkerOptions): Promise<number> {
  const bench = await createBenchDatabase(kind);
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-worker-'));
  try {
    const now = Date.now();
    const pending = scenario === 'backlog' ? options.backlog : options.events;
    const links = Array.from({ length: pending }, () => randomUUID());
    const userId = await seedUserAndLinks(bench, links, now);
    if (scenario === 'history') {
      progress(`worker (${kind}): writing ${options.history.toLocaleString('en-US')} past events and cases`);
      await seedHistory(bench, userId, options.history, now);
    }
    await insertPendingEvents(bench, links, now);
    progress(`worker (${kind}, ${scenario}): ${pending.toLocaleString('en-US')} events waiting`);
    const product = await startProduct(productEnv({ dataDir: dir, databaseUrl: bench.url }));
    try {
      const target = options.events;
      await waitFor(`${target} events processed`, async () => pending - (await countWhere(bench, 'events', ['pending', 'running'])) >= target, TIMEOUT_MS, 250);
    } finally {
      await product.stop();
    }
    return rateOfFirst(bench.db, options.events);
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function workerBench(kind: DatabaseKind, options: WorkerOptions = DEFAULT_WORKER): Promise<WorkerFigures> {
  const empty = await measure(kind, 'empty', options);
  const history = await measure(kind, 'history', options);
  const backlog = await measure(kind, 'backlog', options);
  return { empty, history, backlog, historyRatio: history / empty, backlogRatio: backlog / empty };
}
