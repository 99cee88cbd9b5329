// What the bench found, as a text report for people and JSON for machines, each figure beside its
// target. Missing a target is a finding to report, not a failure of the run.
import type { ChannelAloneFigures, DrainFigures } from './drain-bench.ts';
import type { IntakeReport } from './intake-bench.ts';
import type { SoakFigures } from './soak-bench.ts';
import type { WorkerFigures } from './worker-bench.ts';
import type { DatabaseKind } from './bench-database.ts';

export interface BenchResults {
  intake?: IntakeReport;
  worker?: Partial<Record<DatabaseKind, WorkerFigures>>;
  drain?: Partial<Record<DatabaseKind, DrainFigures>>;
  /** The drain's yardstick: the e-mail channel alone over the same connections. */
  channelAlone?: ChannelAloneFigures;
  soak?: SoakFigures;
  /** Parts skipped, and why (no PostgreSQL here, say). */
  skipped: string[];
}

export interface TargetCheck {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

export const TARGETS = {
  throughputOverMinimal: 0.6,
  p99Ms: 10,
  rssOverBare: 1.4,
  workerRatio: 0.9,
  drainSeconds: 30,
  readyzMs: 100,
} as const;
/** Past this much CPU used by others, the figures say more about the neighbours than the servers. */
const BUSY_MACHINE_SHARE = 0.1;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
const ms = (n: number) => n.toFixed(2);

function intakeChecks(r: IntakeReport): TargetCheck[] {
  return [
    {
      name: 'ack throughput, product (worker on) / minimal Express + SQLite insert',
      value: r.medians.productOverMinimal.toFixed(2),
      target: `≥ ${TARGETS.throughputOverMinimal}`,
      pass: r.medians.productOverMinimal >= TARGETS.throughputOverMinimal,
    },
    {
      name: `p99 at ${r.options.rate} webhooks/s with the worker on`,
      value: `${ms(r.medians.p99.product)} ms (beside the product's worker at work: minimal ${ms(r.medians.p99.minimal)} ms, bare ${ms(r.medians.p99.bare)} ms; bare alone ${ms(r.bareAlone.p99)} ms)`,
      target: `< ${TARGETS.p99Ms} ms`,
      pass: r.medians.p99.product < TARGETS.p99Ms,
    },
    { name: 'peak RSS, product / bare Express + JSON', value: r.rssRatio.toFixed(2), target: `≤ ${TARGETS.rssOverBare}`, pass: r.rssRatio <= TARGETS.rssOverBare },
    {
      name: '/readyz p99 all along (load and drain)',
      value: `${ms(r.readyz.p99)} ms`,
      target: `< ${TARGETS.readyzMs} ms`,
      pass: r.readyz.p99 < TARGETS.readyzMs,
    },
    {
      name: 'acknowledged webhooks processed by the end',
      value: `${int(r.acknowledged - r.unprocessed)} of ${int(r.acknowledged)}`,
      target: 'all',
      pass: r.acknowledged > 0 && r.unprocessed === 0,
    },
  ];
}

function workerChecks(kind: DatabaseKind, w: WorkerFigures): TargetCheck[] {
  return [
    { name: `worker rate with 1,000,000 stored events and cases / empty (${kind})`, value: w.historyRatio.toFixed(2), target: `≥ ${TARGETS.workerRatio}`, pass: w.historyRatio >= TARGETS.workerRatio },
    { name: `worker rate with a 50,000 backlog / empty (${kind})`, value: w.backlogRatio.toFixed(2), target: `≥ ${TARGETS.workerRatio}`, pass: w.backlogRatio >= TARGETS.workerRatio },
  ];
}

/** The product's settings in a drain, as the report names them. */
function drainSettings(d: DrainFigures): string {
  const settings = Object.entries(d.env).map(([k, v]) => `${k}=${v}`);
  if (d.extraWorkers > 0) settings.push(`${d.extraWorkers} more RELINK_ROLE=worker process${d.extraWorkers > 1 ? 'es' : ''}`);
  return settings.join(' ') || 'default settings';
}

function drainCheck(kind: DatabaseKind, d: DrainFigures): TargetCheck {
  return {
    name: `${int(d.messages)} e-mails drained (${kind}, ${drainSettings(d)})`,
    value: `${d.seconds.toFixed(1)} s`,
    target: `< ${TARGETS.drainSeconds} s`,
    pass: d.seconds < TARGETS.drainSeconds,
  };
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (results.intake) checks.push(...intakeChecks(results.intake));
  for (const [kind, w] of Object.entries(results.worker ?? {})) checks.push(...workerChecks(kind as DatabaseKind, w));
  for (const [kind, d] of Object.entries(results.drain ?? {})) checks.push(drainCheck(kind as DatabaseKind, d));
  if (results.soak) {
    checks.push({
      name: `memory levels off under ${results.soak.options.rate} webhooks/s for ${results.soak.options.minutes} min`,
      value: `last third peak ${mib(results.soak.lastThirdPeak)} MiB vs middle third ${mib(results.soak.middleThirdPeak)} MiB`,
      target: 'within 5%',
      pass: results.soak.levelsOff,
    });
  }
  return checks;
}

function row(label: string, cells: string[]): string {
  return label.padEnd(40) + cells.map((c) => c.padStart(12)).join('');
}

/**
 * What the machine allows, read from the yardsticks. Bare Express alone missing the target: no
 * server meets it here. The minimal durable intake (Express + one SQLite insert, the least an intake
 * that stores what it acknowledges does) missing it in its turns, while the product's worker works
 * off its backlog on the same cores: no intake meets it here while a busy worker shares the cores.
 */
function machineFloorWarnings(r: IntakeReport): string[] {
  if (r.bareAlone.p99 >= TARGETS.p99Ms) {
    return [`WARNING: bare Express alone misses the p99 target on this machine; the product's p99 says more about the machine than about the product`];
  }
  if (r.medians.p99.minimal >= TARGETS.p99Ms) {
    return [
      `WARNING: the minimal durable intake misses the p99 target beside the product's worker at work; on this machine no intake that stores what it acknowledges meets it while a busy worker shares the cores, so the product's p99 with its worker on says more about the machine than about the product`,
    ];
  }
  return [];
}

function intakeText(r: IntakeReport): string[] {
  const m = r.medians;
  const lines = [
    `Intake (SQLite), ${r.options.rounds} rounds, medians: ${r.options.connections} busy connections for ${r.options.saturateSeconds} s, then ${r.options.rate}/s for ${r.options.steadySeconds} s`,
    row('', ['product', 'minimal', 'bare']),
    row('ack throughput (webhooks/s)', [int(m.throughput.product), int(m.throughput.minimal), int(m.throughput.bare)]),
    row(`p99 at ${r.options.rate}/s (ms)`, [ms(m.p99.product), ms(m.p99.minimal), ms(m.p99.bare)]),
    row('peak RSS (MiB)', [mib(r.peakRss.product), mib(r.peakRss.minimal), mib(r.peakRss.bare)]),
    `product / minimal throughput ${m.productOverMinimal.toFixed(2)}, product / bare ${m.productOverBare.toFixed(2)}, peak RSS product / bare ${r.rssRatio.toFixed(2)}`,
    `per round, product / minimal: ${r.rounds.map((x) => (x.throughput.product / x.throughput.minimal).toFixed(2)).join(', ')}; product p99: ${r.rounds.map((x) => ms(x.p99.product)).join(', ')} ms`,
    `the minimal and bare apps took their turns while the product's worker worked off its backlog on the same cores`,
    `bare Express alone at ${r.options.rate}/s, the product idle: p99 ${ms(r.bareAlone.p99)} ms (rounds ${r.bareAlone.rounds.map(ms).join(', ')}): what this machine allows a server that does nothing`,
    `/readyz, asked every 100 ms all along: p99 ${ms(r.readyz.p99)} ms, slowest ${ms(r.readyz.max)} ms (${r.readyz.samples} answers)`,
    `the worker processed ${int(r.eventsPerSecond)} events/s; it finished ${r.drainAfterLoadSeconds.toFixed(1)} s after the last round`,
  ];
  const odd = Object.entries(r.otherStatuses);
  if (odd.length > 0 || r.errors > 0) lines.push(`unexpected answers: ${odd.map(([s, n]) => `${n}×${s}`).join(', ')} ${r.errors} errors`);
  lines.push(...machineFloorWarnings(r));
  const others = `other processes used ${(r.othersCpuShare * 100).toFixed(0)}% of the machine's CPU during the rounds`;
  lines.push(r.othersCpuShare > BUSY_MACHINE_SHARE ? `WARNING: ${others}; the figures are unreliable, run again on a quiet machine` : others);
  return lines;
}

export function formatReport(results: BenchResults): string {
  const lines: string[] = [];
  if (results.intake) lines.push(...intakeText(results.intake), '');
  for (const [kind, w] of Object.entries(results.worker ?? {})) {
    lines.push(`Worker (${kind}), events/s: empty tables ${int(w.empty)}, 1,000,000 stored events and cases ${int(w.history)} (${w.historyRatio.toFixed(2)}x), 50,000 backlog ${int(w.backlog)} (${w.backlogRatio.toFixed(2)}x)`);
    // A run of the product now and then goes at half its pace throughout (README, Performance): the
    // rounds show which figure such a run fell on.
    lines.push(`  per round, empty / history / backlog: ${w.rounds.map((r) => [r.empty, r.history, r.backlog].map(int).join(' / ')).join('; ')}`);
  }
  for (const [kind, d] of Object.entries(results.drain ?? {})) {
    lines.push(`Drain (${kind}, ${drainSettings(d)}): ${int(d.messages)} e-mails in ${d.seconds.toFixed(1)} s (${int(d.perSecond)}/s) over up to ${d.smtpConnections} SMTP connections, where the SMTP server's own delay allows no less than ${d.floorSeconds.toFixed(1)} s; /readyz p99 ${ms(d.readyzP99)} ms, slowest ${ms(d.readyzMax)} ms`);
  }
  if (results.channelAlone) {
    const c = results.channelAlone;
    const ratios = Object.entries(results.drain ?? {}).map(([kind, d]) => `${kind} ${(c.seconds / d.seconds).toFixed(2)}x`);
    lines.push(`Drain yardstick, the e-mail channel alone (no database, no worker): ${int(c.messages)} e-mails in ${c.seconds.toFixed(1)} s over ${c.connections} connections; the product's pace against it: ${ratios.join(', ')}`);
  }
  if (results.soak) {
    const s = results.soak;
    const at = (minute: number) => s.samples.find(([t]) => t >= minute * 60)?.[1];
    const marks = [1, 5, 10, 15, 20, 25, s.options.minutes].map((m) => `${m} min ${at(m) ? mib(at(m)!) : '?'}`);
    lines.push(`Soak: RSS ${marks.join(', ')} MiB; last ten minutes ${s.lastTenMinutesSlope.toFixed(2)} MiB/min; p99 ${ms(s.p99)} ms; ${int(s.acknowledged - s.unprocessed)} of ${int(s.acknowledged)} processed`);
  }
  for (const skipped of results.skipped) lines.push(`Skipped: ${skipped}`);
  lines.push('', 'Targets:');
  for (const check of checkTargets(results)) lines.push(`${check.pass ? 'PASS' : 'MISS'}  ${check.name}: ${check.value} (target ${check.target})`);
  return lines.join('\n');
}

export function jsonReport(results: BenchResults): string {
  return JSON.stringify({ ...results, targets: checkTargets(results) }, null, 2);
}
