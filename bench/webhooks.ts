// npm run bench [-- --json]: how much of a bare Express app's webhook intake the portal keeps.
// The real portal (SQLite, worker off) and an Express app that only parses JSON run side by side in
// their own processes on loopback; both get the same fresh webhooks, first with every connection
// busy, then at a steady 1,000 requests a second, taking turns so that anything else happening on
// the machine falls on both alike. At the end every webhook the portal acknowledged must be in its
// events table. Progress goes to stderr, the report to stdout.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../server/db/database.ts';
import { formatReport, jsonReport, type Measurements, type ServerFigures } from './bench-report.ts';
import { watchCpu } from './machine-load.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { combine, percentile, saturate, steadyRate, type LoadResult, type LoadTarget } from './webhook-load.ts';

const CONNECTIONS = 50;
const WARM_UP_SECONDS = 3;
/** Each measured phase is split into turns, portal then bare, this many times. */
const TURNS = 2;
const SATURATE_SECONDS = 10;
const STEADY_RATE = 1000;
const STEADY_SECONDS = 10;
const STEADY_MAX_SOCKETS = 50;
/** The whole run takes about a minute; past this something hangs, and the run ends anyway. */
const DEADLINE_MS = 110_000;

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface Pair<T> {
  portal: T;
  bare: T;
}

async function takeTurns(targets: Pair<LoadTarget>, turns: number, run: (target: LoadTarget) => Promise<LoadResult>) {
  const results: Pair<LoadResult[]> = { portal: [], bare: [] };
  for (let turn = 0; turn < turns; turn++) {
    results.portal.push(await run(targets.portal));
    results.bare.push(await run(targets.bare));
  }
  return { portal: combine(results.portal), bare: combine(results.bare) };
}

function figures(server: ServerProcess, saturated: LoadResult, steady: LoadResult, warmUp: LoadResult): ServerFigures {
  const all = combine([warmUp, saturated, steady]);
  return {
    throughput: saturated.requests / saturated.seconds,
    p99Saturated: percentile(saturated.latencies, 99),
    steadyRate: steady.requests / steady.seconds,
    p99Steady: percentile(steady.latencies, 99),
    peakRss: server.peakRss(),
    requests: all.requests,
    otherStatuses: all.otherStatuses,
    errors: all.errors,
  };
}

async function storedWebhookIds(databaseUrl: string): Promise<Set<string>> {
  const db = createDatabase(databaseUrl);
  try {
    const rows = (await db('events').select('webhook_id')) as { webhook_id: string }[];
    return new Set(rows.map((row) => row.webhook_id));
  } finally {
    await db.destroy();
  }
}

async function measure(dataDir: string, servers: Pair<ServerProcess>, authorization: string): Promise<Measurements> {
  const { portal, bare } = servers;
  const cpu = watchCpu(() => [portal.pid, bare.pid]);
  const acknowledged = new Set<string>();
  const targets: Pair<LoadTarget> = {
    portal: { url: portal.url, authorization, acknowledged },
    bare: { url: bare.url, authorization },
  };

  progress(`warming up, ${WARM_UP_SECONDS} s each`);
  const warmUp = await takeTurns(targets, 1, (target) => saturate(target, CONNECTIONS, WARM_UP_SECONDS));
  progress(`${CONNECTIONS} busy connections, ${SATURATE_SECONDS} s each in ${TURNS} turns`);
  const saturated = await takeTurns(targets, TURNS, (target) => saturate(target, CONNECTIONS, SATURATE_SECONDS / TURNS));
  progress(`steady ${STEADY_RATE} requests/s, ${STEADY_SECONDS} s each in ${TURNS} turns`);
  const steady = await takeTurns(targets, TURNS, (target) =>
    steadyRate(target, STEADY_RATE, STEADY_SECONDS / TURNS, STEADY_MAX_SOCKETS),
  );
  const othersCpuShare = cpu.othersShare();
  const portalFigures = figures(portal, saturated.portal, steady.portal, warmUp.portal);
  const bareFigures = figures(bare, saturated.bare, steady.bare, warmUp.bare);
  // Stopping the portal closes its database, so the file is complete for the check below.
  await portal.stop();

  progress('checking the events table');
  const stored = await storedWebhookIds(`file:${join(dataDir, 'bench.db')}`);
  let missing = 0;
  for (const id of acknowledged) if (!stored.has(id)) missing += 1;
  return {
    connections: CONNECTIONS,
    targetRate: STEADY_RATE,
    portal: portalFigures,
    bare: bareFigures,
    acknowledged: acknowledged.size,
    stored: stored.size,
    missing,
    othersCpuShare,
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const deadline = setTimeout(() => {
    progress(`still running after ${DEADLINE_MS / 1000} s: giving up`);
    process.exit(2);
  }, DEADLINE_MS);
  deadline.unref();
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-bench-'));
  const started: ServerProcess[] = [];
  try {
    progress('starting the portal and the bare app');
    const authorization = `Bearer ${randomBytes(24).toString('base64url')}`;
    const portal = await startServerProcess('portal', './portal-server', [dataDir, authorization]);
    started.push(portal);
    const bare = await startServerProcess('bare', './bare-server');
    started.push(bare);
    const measurements = await measure(dataDir, { portal, bare }, authorization);
    process.stdout.write((json ? jsonReport(measurements) : formatReport(measurements)) + '\n');
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    clearTimeout(deadline);
  }
}

main().catch((err: unknown) => {
  progress(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
