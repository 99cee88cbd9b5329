// What the webhook benchmark found, as a table for people and as JSON for machines, and how it
// compares with the targets. Missing a target is a finding, not a failure of the run.

export interface ServerFigures {
  /** Answered requests per second with every connection busy. */
  throughput: number;
  p99Saturated: number;
  /** Requests per second actually achieved in the steady-rate run. */
  steadyRate: number;
  p99Steady: number;
  peakRss: number;
  requests: number;
  otherStatuses: Record<string, number>;
  errors: number;
}

export interface Measurements {
  connections: number;
  targetRate: number;
  portal: ServerFigures;
  bare: ServerFigures;
  /** Webhooks the portal answered 202, over every phase. */
  acknowledged: number;
  /** Rows in the events table at the end. */
  stored: number;
  /** Acknowledged webhooks whose id is not in the events table. */
  missing: number;
  /** Share (0–1) of the machine's CPU that processes other than the benchmark's used meanwhile. */
  othersCpuShare: number;
}

export interface TargetCheck {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

export const TARGETS = { throughputRatio: 0.6, p99SteadyMs: 10, rssRatio: 1.4 } as const;
/** Past this much CPU used by others, the figures say more about the neighbours than the servers. */
const BUSY_MACHINE_SHARE = 0.1;

const ratio = (portal: number, bare: number) => portal / bare;

export function checkTargets(m: Measurements): TargetCheck[] {
  const throughputRatio = ratio(m.portal.throughput, m.bare.throughput);
  const rssRatio = ratio(m.portal.peakRss, m.bare.peakRss);
  return [
    {
      name: 'throughput ratio portal/bare',
      value: throughputRatio.toFixed(2),
      target: `≥ ${TARGETS.throughputRatio}`,
      pass: throughputRatio >= TARGETS.throughputRatio,
    },
    {
      name: `portal p99 at ${m.targetRate} req/s`,
      value: `${m.portal.p99Steady.toFixed(2)} ms`,
      target: `< ${TARGETS.p99SteadyMs} ms`,
      pass: m.portal.p99Steady < TARGETS.p99SteadyMs,
    },
    {
      name: 'peak RSS ratio portal/bare',
      value: rssRatio.toFixed(2),
      target: `≤ ${TARGETS.rssRatio}`,
      pass: rssRatio <= TARGETS.rssRatio,
    },
    {
      name: 'acknowledged webhooks stored',
      value: `${m.acknowledged - m.missing} of ${m.acknowledged}`,
      target: 'all',
      pass: m.acknowledged > 0 && m.missing === 0,
    },
  ];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function unexpected(f: ServerFigures): string {
  const statuses = Object.entries(f.otherStatuses).map(([status, count]) => `${count}×${status}`);
  return statuses.length === 0 && f.errors === 0 ? 'none' : [...statuses, `${f.errors} errors`].join(', ');
}

function row(label: string, portal: string, bare: string, portalOverBare = ''): string {
  return `${label.padEnd(34)}${portal.padStart(12)}${bare.padStart(12)}${portalOverBare.padStart(14)}`;
}

export function formatReport(m: Measurements): string {
  const { portal, bare } = m;
  const lines = [
    row('', 'portal', 'bare', 'portal/bare'),
    row('throughput (req/s)', int(portal.throughput), int(bare.throughput), ratio(portal.throughput, bare.throughput).toFixed(2)),
    row(`p99 latency, ${m.connections} connections (ms)`, ms(portal.p99Saturated), ms(bare.p99Saturated)),
    row(`achieved rate, target ${m.targetRate}/s`, int(portal.steadyRate), int(bare.steadyRate)),
    row(`p99 latency at ${m.targetRate} req/s (ms)`, ms(portal.p99Steady), ms(bare.p99Steady)),
    row('peak RSS (MiB)', mb(portal.peakRss), mb(bare.peakRss), ratio(portal.peakRss, bare.peakRss).toFixed(2)),
    row('requests answered', int(portal.requests), int(bare.requests)),
    row('non-202 answers / errors', unexpected(portal), unexpected(bare)),
    '',
    `portal answered 202: ${int(m.acknowledged)}; rows in events: ${int(m.stored)}; acknowledged but not stored: ${int(m.missing)}`,
  ];
  if (m.stored > m.acknowledged - m.missing) {
    lines.push(
      `(${int(m.stored - (m.acknowledged - m.missing))} stored webhooks were never acknowledged: requests in flight when a timed run closed its connections)`,
    );
  }
  const others = `other processes used ${(m.othersCpuShare * 100).toFixed(0)}% of the machine's CPU during the run`;
  lines.push(m.othersCpuShare > BUSY_MACHINE_SHARE ? `WARNING: ${others}; the figures are unreliable, run again on a quiet machine` : others);
  lines.push('', 'Targets (SQLite):');
  for (const check of checkTargets(m)) {
    lines.push(`${check.pass ? 'PASS' : 'MISS'}  ${check.name}: ${check.value} (target ${check.target})`);
  }
  return lines.join('\n');
}

export function jsonReport(m: Measurements): string {
  return JSON.stringify({ ...m, targets: checkTargets(m) }, null, 2);
}
