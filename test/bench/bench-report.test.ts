// The bench's report reads a missed p99 against what the machine allows: bare Express alone, and
// the minimal durable intake beside the product's worker at work. An engineer reading a MISS must
// be told when no intake could have met the target on that machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport } from '../../bench/bench-report.ts';
import { DEFAULT_INTAKE, type IntakeReport } from '../../bench/intake-bench.ts';

const MIB = 1048576;

/** An intake report with the given p99s (ms): the product's, the minimal's and bare Express's beside the worker, and bare Express's alone. */
function intakeReport(p99: { product: number; minimal: number; bare: number; bareAlone: number }): IntakeReport {
  const round = {
    throughput: { product: 3800, minimal: 3000, bare: 5500 },
    p99: { product: p99.product, minimal: p99.minimal, bare: p99.bare },
    achievedRate: { product: 1000, minimal: 1000, bare: 1000 },
  };
  return {
    options: DEFAULT_INTAKE,
    rounds: [round, round, round],
    medians: { throughput: round.throughput, p99: round.p99, productOverMinimal: 3800 / 3000, productOverBare: 3800 / 5500 },
    peakRss: { product: 150 * MIB, minimal: 140 * MIB, bare: 120 * MIB },
    rssRatio: 1.25,
    bareAlone: { p99: p99.bareAlone, rounds: [p99.bareAlone, p99.bareAlone, p99.bareAlone] },
    readyz: { samples: 1500, p99: 20, max: 50 },
    acknowledged: 1000,
    unprocessed: 0,
    drainAfterLoadSeconds: 60,
    eventsPerSecond: 500,
    otherStatuses: {},
    errors: 0,
    othersCpuShare: 0,
  };
}

const lineOf = (report: string, start: string) => report.split('\n').find((line) => line.startsWith(start));

test('a missed p99 is shown beside the yardsticks: the minimal and bare apps beside the worker, and bare alone', () => {
  const report = formatReport({ intake: intakeReport({ product: 22.03, minimal: 15.12, bare: 13.54, bareAlone: 6.06 }), skipped: [] });
  assert.equal(
    lineOf(report, 'MISS  p99'),
    "MISS  p99 at 1000 webhooks/s with the worker on: 22.03 ms (beside the product's worker at work: minimal 15.12 ms, bare 13.54 ms; bare alone 6.06 ms) (target < 10 ms)",
  );
});

test("the minimal durable intake missing the target beside the worker is called the machine's limit", () => {
  const report = formatReport({ intake: intakeReport({ product: 19.17, minimal: 13.24, bare: 9.73, bareAlone: 5.2 }), skipped: [] });
  assert.match(lineOf(report, 'WARNING') ?? '', /the minimal durable intake misses the p99 target beside the product's worker at work; on this machine no intake that stores what it acknowledges meets it/);
});

test('bare Express missing the target alone is the warning, whatever the worker does', () => {
  const report = formatReport({ intake: intakeReport({ product: 30, minimal: 25, bare: 20, bareAlone: 12 }), skipped: [] });
  const warnings = report.split('\n').filter((line) => line.startsWith('WARNING'));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /bare Express alone misses the p99 target on this machine/);
});

test("where the minimal durable intake meets the target beside the worker, a miss is the product's own: no warning", () => {
  const report = formatReport({ intake: intakeReport({ product: 14, minimal: 9, bare: 8, bareAlone: 4 }), skipped: [] });
  assert.equal(lineOf(report, 'WARNING'), undefined);
  assert.ok(lineOf(report, 'MISS  p99'));
});
