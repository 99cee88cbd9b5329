// npm run bench [-- <part>…] [--json]: the product measured as `npm start` runs it.
//   intake  ack throughput and p99 beside bare Express and a minimal Express + SQLite intake, the
//           product's worker on; peak memory; /readyz meanwhile; then the bare app alone, the
//           machine's floor (about 4 minutes)
//   worker  events/s on empty tables, with 1,000,000 stored events and cases, with a 50,000
//           backlog, on SQLite and PostgreSQL (about 5 minutes)
//   drain   10,000 queued e-mails against a local SMTP server taking 50 ms each, on both databases,
//           beside the e-mail channel alone over as many connections; the product with
//           SMTP_MAX_CONNECTIONS=40 and WORKER_THREADS=2 (--drain-env=SMTP_MAX_CONNECTIONS=30,… for
//           other settings, each process's; --drain-env= for the defaults; --drain-workers=1 adds a
//           RELINK_ROLE=worker process beside `npm start`'s)
// --sqlite-only leaves PostgreSQL out.
//   soak    200 webhooks/s for 30 minutes: does memory level off? (not run by default)
// With no part named, runs intake, worker and drain. PostgreSQL is
// BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test); without it those parts are
// skipped and say so. Progress goes to stderr, the report to stdout.
import { formatReport, jsonReport, type BenchResults } from './bench-report.ts';
import { postgresAvailable, type DatabaseKind } from './bench-database.ts';
import { progress } from './bench-os.ts';
import { channelAloneBench, DEFAULT_DRAIN, DRAIN_SETTINGS, drainBench } from './drain-bench.ts';
import { intakeBench } from './intake-bench.ts';
import { soakBench, DEFAULT_SOAK } from './soak-bench.ts';
import { workerBench } from './worker-bench.ts';

const PARTS = ['intake', 'worker', 'drain', 'soak'] as const;
type Part = (typeof PARTS)[number];

/** `--drain-env=SEND_CONCURRENCY=64,SMTP_MAX_CONNECTIONS=40`: settings for the drain's product, in place of DRAIN_SETTINGS. */
function drainEnv(argv: string[]): Record<string, string> {
  const arg = argv.find((a) => a.startsWith('--drain-env='));
  if (!arg) return DRAIN_SETTINGS;
  const pairs = arg.slice('--drain-env='.length).split(',').filter((pair) => pair !== '');
  return Object.fromEntries(
    pairs.map((pair) => {
      const [name, value] = pair.split('=');
      if (!name || value === undefined) throw new Error(`--drain-env takes NAME=value pairs separated by commas: ${pair}`);
      return [name, value];
    }),
  );
}

/** `--drain-workers=1`: worker processes beside the product's own. */
function drainWorkers(argv: string[]): number {
  const arg = argv.find((a) => a.startsWith('--drain-workers='));
  const count = arg ? Number(arg.slice('--drain-workers='.length)) : 0;
  if (!Number.isInteger(count) || count < 0) throw new Error(`--drain-workers takes a whole number: ${arg}`);
  return count;
}

function parseArgs(argv: string[]): { parts: Part[]; json: boolean; soakMinutes: number; drainEnv: Record<string, string>; drainWorkers: number } {
  const json = argv.includes('--json');
  const minutesArg = argv.find((a) => a.startsWith('--minutes='));
  const named = argv.filter((a): a is Part => (PARTS as readonly string[]).includes(a));
  const unknown = argv.filter((a) => !a.startsWith('--') && !(PARTS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`unknown part: ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  return {
    parts: named.length > 0 ? named : ['intake', 'worker', 'drain'],
    json,
    soakMinutes: minutesArg ? Number(minutesArg.slice('--minutes='.length)) : DEFAULT_SOAK.minutes,
    drainEnv: drainEnv(argv),
    drainWorkers: drainWorkers(argv),
  };
}

async function main(): Promise<void> {
  const { parts, json, soakMinutes, drainEnv: env, drainWorkers: extraWorkers } = parseArgs(process.argv.slice(2));
  const results: BenchResults = { skipped: [] };
  const databases: DatabaseKind[] = ['sqlite'];
  if (process.argv.includes('--sqlite-only')) results.skipped.push('PostgreSQL: --sqlite-only');
  else if (parts.some((p) => p === 'worker' || p === 'drain')) {
    if (await postgresAvailable()) databases.push('postgres');
    else results.skipped.push('PostgreSQL did not answer at BENCH_POSTGRES_URL: worker and drain measured on SQLite only');
  }
  if (parts.includes('intake')) results.intake = await intakeBench();
  if (parts.includes('worker')) {
    results.worker = {};
    for (const kind of databases) results.worker[kind] = await workerBench(kind);
  }
  if (parts.includes('drain')) {
    results.drain = {};
    const options = { ...DEFAULT_DRAIN, env, extraWorkers };
    for (const kind of databases) results.drain[kind] = await drainBench(kind, options);
    const connections = Math.max(...Object.values(results.drain).map((d) => d.smtpConnections));
    results.channelAlone = await channelAloneBench(options, connections);
  }
  if (parts.includes('soak')) results.soak = await soakBench({ ...DEFAULT_SOAK, minutes: soakMinutes });
  process.stdout.write((json ? jsonReport(results) : formatReport(results)) + '\n');
}

main().catch((err: unknown) => {
  progress(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
