// The intake as it really runs: the product (`npm start`, SQLite, its worker on and working through
// everything it acknowledges) beside the bare Express + JSON app and the minimal durable intake
// (Express + one better-sqlite3 INSERT), in the same run, taking turns round by round so that
// whatever else the machine does falls on all three alike. Each round: every connection busy, then
// a steady 1,000 webhooks a second. After the last round the product must have processed every
// webhook it acknowledged. /readyz is asked ten times a second all along. Last, once the product is
// idle and the minimal stopped, the bare app's rounds alone: the p99 this machine allows a Node
// server that does nothing, since during the rounds the product's worker shares the cores.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWebhook, createBenchDatabase, seedUserAndLinks, unfinished, type BenchDatabase } from './bench-database.ts';
import { median, percentile, progress, waitFor } from './bench-os.ts';
import { productEnv, startProduct, WEBHOOK_AUTH, type Product } from './bench-product.ts';
import { watchCpu } from './machine-load.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { probe, saturate, steadyRate, type LoadResult, type LoadTarget } from './webhook-load.ts';

export interface IntakeOptions {
  rounds: number;
  connections: number;
  saturateSeconds: number;
  rate: number;
  steadySeconds: number;
}

export const DEFAULT_INTAKE: IntakeOptions = { rounds: 3, connections: 50, saturateSeconds: 5, rate: 1000, steadySeconds: 5 };
const WARM_UP_SECONDS = 2;
const STEADY_MAX_SOCKETS = 50;
const DRAIN_TIMEOUT_MS = 15 * 60_000;

type Name = 'product' | 'minimal' | 'bare';
const NAMES: Name[] = ['product', 'minimal', 'bare'];

export interface RoundFigures {
  /** Answered requests per second with every connection busy. */
  throughput: Record<Name, number>;
  /** p99 latency (ms) at the steady rate. */
  p99: Record<Name, number>;
  /** Requests per second actually achieved at the steady rate. */
  achievedRate: Record<Name, number>;
}

export interface IntakeReport {
  options: IntakeOptions;
  rounds: RoundFigures[];
  medians: {
    throughput: Record<Name, number>;
    p99: Record<Name, number>;
    productOverMinimal: number;
    productOverBare: number;
  };
  peakRss: Record<Name, number>;
  rssRatio: number;
  /** p99 (ms) of the bare app alone at the steady rate, the product idle, one per round: the machine's floor. */
  bareAlone: { p99: number; rounds: number[] };
  readyz: { samples: number; p99: number; max: number };
  acknowledged: number;
  /** Acknowledged webhooks not in the events table, or not processed, at the end. */
  unprocessed: number;
  /** Seconds the product's worker needed after the last round to finish what was acknowledged. */
  drainAfterLoadSeconds: number;
  /** Events the worker processed per second over the whole run. */
  eventsPerSecond: number;
  otherStatuses: Record<string, number>;
  errors: number;
  othersCpuShare: number;
}

interface Servers {
  product: Product;
  minimal: ServerProcess;
  bare: ServerProcess;
}

/** Enough links for every webhook the product will be sent, each a case of its own. */
function linkPool(options: IntakeOptions): string[] {
  const perRound = options.saturateSeconds * 12_000 + options.steadySeconds * options.rate;
  return Array.from({ length: perRound * options.rounds + WARM_UP_SECONDS * 12_000 }, () => randomUUID());
}

function targets(servers: Servers, links: string[], acknowledged: Set<string>): Record<Name, LoadTarget> {
  let nextLink = 0;
  const productNext = () => {
    const body = benchWebhook(links[nextLink++ % links.length]!);
    return { id: body.webhook_id, body: JSON.stringify(body) };
  };
  const yardstickNext = () => {
    const body = benchWebhook(randomUUID());
    return { id: body.webhook_id, body: JSON.stringify(body) };
  };
  return {
    product: { url: servers.product.url, authorization: WEBHOOK_AUTH, next: productNext, acknowledged },
    minimal: { url: servers.minimal.url, authorization: WEBHOOK_AUTH, next: yardstickNext },
    bare: { url: servers.bare.url, authorization: WEBHOOK_AUTH, next: yardstickNext },
  };
}

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);

async function unprocessedOf(bench: BenchDatabase, acknowledged: Set<string>): Promise<number> {
  const ids = [...acknowledged];
  let done = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const row = (await bench.db('events').whereIn('webhook_id', ids.slice(i, i + 500)).where('state', 'done').count({ n: '*' }).first()) as {
      n: number | string;
    };
    done += Number(row.n);
  }
  return ids.length - done;
}

async function eventRate(bench: BenchDatabase): Promise<number> {
  const row = (await bench.db('events').where('state', 'done').min({ first: 'processed_at' }).max({ last: 'processed_at' }).count({ n: '*' }).first()) as {
    first: number | string;
    last: number | string;
    n: number | string;
  };
  const seconds = (Number(row.last) - Number(row.first)) / 1000;
  return seconds > 0 ? Number(row.n) / seconds : Number.NaN;
}

/** One app's turn in a round: every connection busy, then the steady rate. */
async function roundOf(target: LoadTarget, options: IntakeOptions): Promise<{ busy: LoadResult; steady: LoadResult }> {
  const busy = await saturate(target, options.connections, options.saturateSeconds);
  const steady = await steadyRate(target, options.rate, options.steadySeconds, STEADY_MAX_SOCKETS);
  return { busy, steady };
}

/** p99 of one app alone at the steady rate, in rounds as the others'. */
async function floorOf(name: Name, target: LoadTarget, options: IntakeOptions): Promise<number[]> {
  progress(`intake: the ${name} app alone, the product idle`);
  const p99s: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const { steady } = await roundOf(target, options);
    p99s.push(percentile(steady.latencies, 99));
  }
  return p99s;
}

export async function intakeBench(options: IntakeOptions = DEFAULT_INTAKE): Promise<IntakeReport> {
  const bench = await createBenchDatabase('sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-intake-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const links = linkPool(options);
    progress(`intake: registering ${links.length.toLocaleString('en-US')} links`);
    await seedUserAndLinks(bench, links, Date.now());
    const product = await startProduct(productEnv({ dataDir: dir, databaseUrl: bench.url }));
    started.push(product);
    const minimal = await startServerProcess('minimal', './sqlite-insert-server', [join(dir, 'minimal.db')]);
    started.push(minimal);
    const bare = await startServerProcess('bare', './bare-server');
    started.push(bare);
    const servers: Servers = { product, minimal, bare };
    const cpu = watchCpu(() => [product.pid, minimal.pid, bare.pid]);
    const acknowledged = new Set<string>();
    const load = targets(servers, links, acknowledged);
    let endReadyProbe!: () => void;
    const readyProbe = probe(`${product.url}/readyz`, 100, new Promise<void>((resolve) => (endReadyProbe = resolve)));

    progress(`intake: warming up, ${WARM_UP_SECONDS} s each`);
    const all: LoadResult[] = [];
    for (const name of NAMES) all.push(await saturate(load[name], options.connections, WARM_UP_SECONDS));
    const rounds: RoundFigures[] = [];
    for (let round = 0; round < options.rounds; round++) {
      progress(`intake: round ${round + 1} of ${options.rounds}`);
      const figures: RoundFigures = { throughput: {} as Record<Name, number>, p99: {} as Record<Name, number>, achievedRate: {} as Record<Name, number> };
      for (const name of rotate(NAMES, round)) {
        const { busy, steady } = await roundOf(load[name], options);
        figures.throughput[name] = busy.requests / busy.seconds;
        figures.p99[name] = percentile(steady.latencies, 99);
        figures.achievedRate[name] = steady.requests / steady.seconds;
        all.push(busy, steady);
      }
      rounds.push(figures);
    }
    const othersCpuShare = cpu.othersShare();
    const yardstickRss = { minimal: minimal.peakRss(), bare: bare.peakRss() };
    await minimal.stop();

    progress('intake: waiting for the product to process everything it acknowledged');
    const drainStarted = performance.now();
    await waitFor('the worker to finish', async () => (await unfinished(bench, 'events')) === 0, DRAIN_TIMEOUT_MS, 250);
    const drainAfterLoadSeconds = (performance.now() - drainStarted) / 1000;
    endReadyProbe();
    const ready = await readyProbe;
    const bareAlone = await floorOf('bare', load.bare, options);
    const peakRss = { product: product.peakRss(), ...yardstickRss };
    const byName = (pick: (r: RoundFigures) => Record<Name, number>) =>
      Object.fromEntries(NAMES.map((name) => [name, median(rounds.map((r) => pick(r)[name]))])) as Record<Name, number>;
    const otherStatuses: Record<string, number> = {};
    for (const result of all) for (const [status, n] of Object.entries(result.otherStatuses)) otherStatuses[status] = (otherStatuses[status] ?? 0) + n;
    return {
      options,
      rounds,
      medians: {
        throughput: byName((r) => r.throughput),
        p99: byName((r) => r.p99),
        productOverMinimal: median(rounds.map((r) => r.throughput.product / r.throughput.minimal)),
        productOverBare: median(rounds.map((r) => r.throughput.product / r.throughput.bare)),
      },
      peakRss,
      rssRatio: peakRss.product / peakRss.bare,
      bareAlone: { p99: median(bareAlone), rounds: bareAlone },
      readyz: { samples: ready.length, p99: percentile(ready, 99), max: Math.max(...ready) },
      acknowledged: acknowledged.size,
      unprocessed: await unprocessedOf(bench, acknowledged),
      drainAfterLoadSeconds,
      eventsPerSecond: await eventRate(bench),
      otherStatuses,
      errors: all.reduce((sum, r) => sum + r.errors, 0),
      othersCpuShare,
    };
  } finally {
    for (const server of started.reverse()) await server.stop();
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
