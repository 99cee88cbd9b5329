import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { funnelReport, median, type FunnelCase } from '../../server/console/funnel-report.ts';

const MIN = 60_000;

function aCase(overrides: Partial<FunnelCase> & { reached?: number } = {}): FunnelCase {
  const reached = overrides.reached ?? 1;
  const stages = ['created', 'messaged', 'delivered', 'opened', 'submitted', 'resolved'] as const;
  return {
    kind: 'credentials',
    institution: 'erebor_mx_retail',
    language: 'es',
    channel: reached > 1 ? 'email' : null,
    stages: Object.fromEntries(stages.map((s, i) => [s, i < reached])) as FunnelCase['stages'],
    fixMs: null,
    fixedElsewhere: false,
    ...overrides,
  };
}

describe('median', () => {
  test('the middle value, or the mean of the two middle ones, whatever the order', () => {
    assert.equal(median([]), null);
    assert.equal(median([5]), 5);
    assert.equal(median([90, 30, 240]), 90);
    assert.equal(median([40, 10, 30, 20]), 25);
  });
});

describe('funnelReport', () => {
  test('counts how many cases reached each stage, with the median over fixed cases only', () => {
    const report = funnelReport([
      aCase({ reached: 6, fixMs: 30 * MIN }),
      aCase({ reached: 6, fixMs: 90 * MIN }),
      aCase({ reached: 4 }),
      aCase({ reached: 3, channel: 'sms' }),
      aCase({ reached: 1 }),
    ]);
    assert.deepEqual(report.total.stages, { created: 5, messaged: 4, delivered: 4, opened: 3, submitted: 2, resolved: 2 });
    assert.equal(report.total.medianFixMs, 60 * MIN);
    assert.equal(report.total.fixes, 2);
  });

  test('splits by channel, language, kind and institution, biggest group first and "none" last', () => {
    const report = funnelReport([
      aCase({ reached: 2, channel: 'sms', language: 'pt-BR', kind: 'mfa', institution: null }),
      aCase({ reached: 2, channel: 'email' }),
      aCase({ reached: 2, channel: 'email' }),
      aCase({ reached: 1, channel: null }),
    ]);
    assert.deepEqual(
      report.breakdowns.channel.map((g) => [g.value, g.counts.stages.created]),
      [['email', 2], ['sms', 1], [null, 1]],
    );
    assert.deepEqual(report.breakdowns.language.map((g) => g.value), ['es', 'pt-BR']);
    assert.deepEqual(report.breakdowns.kind.map((g) => g.value), ['credentials', 'mfa']);
    assert.deepEqual(report.breakdowns.institution.map((g) => g.value), ['erebor_mx_retail', null]);
  });

  test('counts the cases fixed outside the portal', () => {
    const report = funnelReport([aCase({ reached: 3, fixedElsewhere: true }), aCase()]);
    assert.equal(report.fixedElsewhere, 1);
    assert.equal(report.total.medianFixMs, null);
  });
});
