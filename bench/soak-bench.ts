// The product (`npm start`, SQLite, worker on) under a steady 200 webhooks a second for 30 minutes:
// does its memory level off? Resident memory is read every 10 s; the report compares the last third
// of the run with the middle third, and gives the slope of the last ten minutes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchWebhook, createBenchDatabase, seedUserAndLinks, unfinished } from './bench-database.ts';
import { percentile, progress, waitFor } from './bench-os.ts';
import { productEnv, startProduct, WEBHOOK_AUTH } from './bench-product.ts';
import { steadyRate } from './webhook-load.ts';

export interface SoakOptions {
  minutes: number;
  rate: number;
}

export const DEFAULT_SOAK: SoakOptions = { minutes: 30, rate: 200 };
const SAMPLE_EVERY_MS = 10_000;
/** A level is what moves less than this between the middle and the last third of the run. */
const LEVEL_TOLERANCE = 0.05;

export interface SoakFigures {
  options: SoakOptions;
  /** [seconds since start, RSS in bytes]. */
  samples: Array<[number, number]>;
  middleThirdPeak: number;
  lastThirdPeak: number;
  levelsOff: boolean;
  /** MiB per minute over the last ten minutes (least squares). */
  lastTenMinutesSlope: number;
  p99: number;
  acknowledged: number;
  unprocessed: number;
}

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/**
 * Memory is the soak's question: a worker that has not caught up within ten minutes (a machine
 * busy with other work) is reported as its count of unprocessed events, not a failed run.
 */
async function waitForWorker(bench: Awaited<ReturnType<typeof createBenchDatabase>>): Promise<void> {
  try {
    await waitFor('the worker to finish', async () => (await unfinished(bench, 'events')) === 0, 10 * 60_000, 250);
  } catch (err) {
    progress(`soak: ${(err as Error).message}; reporting what it had not processed`);
  }
}

export async function soakBench(options: SoakOptions = DEFAULT_SOAK): Promise<SoakFigures> {
  const bench = await createBenchDatabase('sqlite');
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-soak-'));
  try {
    const links = Array.from({ length: Math.ceil(options.rate * options.minutes * 60 * 1.01) }, () => randomUUID());
    progress(`soak: registering ${links.length.toLocaleString('en-US')} links`);
    await seedUserAndLinks(bench, links, Date.now());
    const product = await startProduct(productEnv({ dataDir: dir, databaseUrl: bench.url }));
    const acknowledged = new Set<string>();
    const latencies: number[] = [];
    const samples: Array<[number, number]> = [];
    const started = performance.now();
    const sampler = setInterval(() => samples.push([(performance.now() - started) / 1000, product.rss()]), SAMPLE_EVERY_MS);
    let next = 0;
    try {
      for (let minute = 0; minute < options.minutes; minute++) {
        const result = await steadyRate(
          {
            url: product.url,
            authorization: WEBHOOK_AUTH,
            acknowledged,
            next: () => {
              const body = benchWebhook(links[next++ % links.length]!);
              return { id: body.webhook_id, body: JSON.stringify(body) };
            },
          },
          options.rate,
          60,
          50,
        );
        for (const ms of result.latencies) latencies.push(ms);
        const rss = samples.at(-1)?.[1] ?? 0;
        progress(`soak: minute ${minute + 1} of ${options.minutes}, RSS ${(rss / 1048576).toFixed(0)} MiB, p99 ${percentile(result.latencies, 99).toFixed(1)} ms`);
      }
      await waitForWorker(bench);
    } finally {
      clearInterval(sampler);
      await product.stop();
    }
    const total = samples.at(-1)?.[0] ?? 0;
    const peakBetween = (from: number, to: number) => Math.max(...samples.filter(([t]) => t >= from && t < to).map(([, rss]) => rss));
    const middleThirdPeak = peakBetween(total / 3, (2 * total) / 3);
    const lastThirdPeak = peakBetween((2 * total) / 3, total + 1);
    const lastTen = samples.filter(([t]) => t >= total - 600).map(([t, rss]): [number, number] => [t / 60, rss / 1048576]);
    let done = 0;
    const ids = [...acknowledged];
    for (let i = 0; i < ids.length; i += 500) {
      done += Number(((await bench.db('events').whereIn('webhook_id', ids.slice(i, i + 500)).where('state', 'done').count({ n: '*' }).first()) as { n: number | string }).n);
    }
    return {
      options,
      samples,
      middleThirdPeak,
      lastThirdPeak,
      levelsOff: lastThirdPeak <= middleThirdPeak * (1 + LEVEL_TOLERANCE),
      lastTenMinutesSlope: slope(lastTen),
      p99: percentile(latencies, 99),
      acknowledged: acknowledged.size,
      unprocessed: acknowledged.size - done,
    };
  } finally {
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
