// The funnel: for the cases created in a period, how many got how far, overall and split by channel,
// language, kind and institution, with the median time from first message to fix. Pure: the rows
// come from funnel-repository.ts, the drawing from the funnel page.
import type { CaseKind } from '../cases/case-types.ts';
import { FUNNEL_DIMENSIONS, FUNNEL_STAGES, type FunnelDimension, type FunnelStage } from './console-copy.ts';

/** One case, reduced to what the funnel counts. */
export interface FunnelCase {
  kind: CaseKind;
  institution: string | null;
  /** The language its messages and pages speak. */
  language: string;
  /** The channel of its first message that went out or failed; null when none did. */
  channel: string | null;
  stages: Record<FunnelStage, boolean>;
  /** From the first message sent to the fix; null unless fixed after a message. */
  fixMs: number | null;
  /** Fixed because Belvo read the link again, not through our page. */
  fixedElsewhere: boolean;
}

export interface FunnelCounts {
  stages: Record<FunnelStage, number>;
  medianFixMs: number | null;
  /** How many fixes the median is over. */
  fixes: number;
}

export interface FunnelGroup {
  /** The dimension's value; null for "none" (no channel, no institution). */
  value: string | null;
  counts: FunnelCounts;
}

export interface FunnelReport {
  total: FunnelCounts;
  fixedElsewhere: number;
  breakdowns: Record<FunnelDimension, FunnelGroup[]>;
}

/** The middle value, or the mean of the two middle values; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function countsOf(cases: readonly FunnelCase[]): FunnelCounts {
  const stages = Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, cases.filter((c) => c.stages[stage]).length])) as Record<
    FunnelStage,
    number
  >;
  const fixTimes = cases.flatMap((c) => (c.fixMs === null ? [] : [c.fixMs]));
  return { stages, medianFixMs: median(fixTimes), fixes: fixTimes.length };
}

const VALUE_OF: Record<FunnelDimension, (c: FunnelCase) => string | null> = {
  channel: (c) => c.channel,
  language: (c) => c.language,
  kind: (c) => c.kind,
  institution: (c) => c.institution,
};

/** Biggest group first; ties by value, "none" last. */
function groupBy(cases: readonly FunnelCase[], dimension: FunnelDimension): FunnelGroup[] {
  const groups = new Map<string | null, FunnelCase[]>();
  for (const c of cases) {
    const value = VALUE_OF[dimension](c);
    const members = groups.get(value);
    if (members) members.push(c);
    else groups.set(value, [c]);
  }
  return [...groups.entries()]
    .map(([value, members]) => ({ value, counts: countsOf(members) }))
    .sort(
      (a, b) =>
        b.counts.stages.created - a.counts.stages.created ||
        (a.value === null ? 1 : b.value === null ? -1 : a.value.localeCompare(b.value)),
    );
}

export function funnelReport(cases: readonly FunnelCase[]): FunnelReport {
  return {
    total: countsOf(cases),
    fixedElsewhere: cases.filter((c) => c.fixedElsewhere).length,
    breakdowns: Object.fromEntries(FUNNEL_DIMENSIONS.map((d) => [d, groupBy(cases, d)])) as Record<FunnelDimension, FunnelGroup[]>,
  };
}
