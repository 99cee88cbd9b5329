// The funnel page: a period (whole UTC days, the last 30 by default), the stages as server-drawn
// bars, the median time from first message to fix, and the same counts by channel, language, kind
// and institution.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { readableInstitution } from '../i18n/locale.ts';
import { FUNNEL_DIMENSIONS, FUNNEL_STAGES, type FunnelDimension } from './console-copy.ts';
import type { ConsolePage, ConsoleWords } from './console-render.ts';
import { loadFunnelCases } from './funnel-repository.ts';
import { funnelReport, type FunnelCounts } from './funnel-report.ts';

const DAY = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
const PRESETS = [7, 30, 90];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

const day = z.iso.date().transform((value) => Date.parse(value));
const periodQuery = z
  .object({ from: day.optional(), to: day.optional() })
  .refine((p) => p.from === undefined || p.to === undefined || (p.from <= p.to && p.to - p.from < MAX_DAYS * DAY));

/** [from, to) in epoch ms, whole UTC days: `to` is the end of its day. */
export interface Period {
  from: number;
  to: number;
}

export function periodOf(query: Request['query'], now: number): Period | undefined {
  const parsed = periodQuery.safeParse({
    from: query['from'] === '' ? undefined : query['from'],
    to: query['to'] === '' ? undefined : query['to'],
  });
  if (!parsed.success) return undefined;
  const lastDay = parsed.data.to ?? startOfDay(now);
  const firstDay = parsed.data.from ?? lastDay - (DEFAULT_DAYS - 1) * DAY;
  if (firstDay > lastDay) return undefined;
  return { from: firstDay, to: lastDay + DAY };
}

function groupLabel(dimension: FunnelDimension, value: string | null, words: ConsoleWords): string {
  const { copy, format } = words;
  if (value === null) return dimension === 'channel' ? copy.funnel.notMessaged : copy.unknownInstitution;
  switch (dimension) {
    case 'channel':
      return copy.channels[value] ?? value;
    case 'language':
      return format.language(value);
    case 'kind':
      return copy.kinds[value as keyof typeof copy.kinds] ?? value;
    case 'institution':
      return readableInstitution(value) ?? value;
  }
}

function stageCells(counts: FunnelCounts, words: ConsoleWords) {
  const created = counts.stages.created;
  return FUNNEL_STAGES.map((stage) => ({
    count: words.format.number(counts.stages[stage]),
    percent: stage === 'created' || created === 0 ? undefined : words.format.percent(counts.stages[stage] / created),
  }));
}

const medianText = (counts: FunnelCounts, words: ConsoleWords) =>
  counts.medianFixMs === null ? words.copy.none : words.format.duration(counts.medianFixMs);

async function reportView(db: Knex, period: Period, words: ConsoleWords) {
  const { copy, format } = words;
  const report = funnelReport(await loadFunnelCases(db, period));
  const created = report.total.stages.created;
  const summary = copy.funnel.summary(format.day(period.from), format.day(period.to - DAY));
  if (created === 0) return { summary, empty: copy.funnel.empty };
  return {
    summary,
    stages: FUNNEL_STAGES.map((stage) => {
      const count = report.total.stages[stage];
      return {
        key: stage,
        label: copy.funnel.stages[stage],
        help: copy.funnel.stageHelp[stage],
        count: format.number(count),
        share: stage === 'created' ? undefined : copy.funnel.ofCreated(format.percent(count / created)),
        width: Math.round((count / created) * 1000) / 10,
      };
    }),
    median: {
      label: copy.funnel.median,
      value: report.total.medianFixMs === null ? undefined : format.duration(report.total.medianFixMs),
      note: report.total.medianFixMs === null ? copy.funnel.noMedian : copy.funnel.medianOf(report.total.fixes),
    },
    fixedElsewhere: report.fixedElsewhere > 0 ? copy.funnel.fixedElsewhere(report.fixedElsewhere) : undefined,
    columns: [...FUNNEL_STAGES.map((stage) => copy.funnel.stages[stage]), copy.funnel.medianColumn],
    breakdowns: FUNNEL_DIMENSIONS.map((dimension) => ({
      key: dimension,
      heading: copy.funnel.breakdown[dimension],
      dimension: copy.funnel.dimension[dimension],
      rows: report.breakdowns[dimension].map((group) => ({
        label: groupLabel(dimension, group.value, words),
        cells: stageCells(group.counts, words),
        median: medianText(group.counts, words),
      })),
    })),
  };
}

export async function funnelPage(deps: { db: Knex; now: number }, req: Request, words: ConsoleWords): Promise<ConsolePage> {
  const { copy } = words;
  const period = periodOf(req.query, deps.now);
  const today = startOfDay(deps.now);
  const raw = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
  return {
    template: 'funnel',
    status: period ? 200 : 400,
    page: 'funnel',
    title: copy.funnel.title,
    view: {
      copy: copy.funnel,
      form: {
        from: period ? isoDay(period.from) : raw('from'),
        to: period ? isoDay(period.to - DAY) : raw('to'),
      },
      presets: PRESETS.map((days) => ({
        label: copy.funnel.lastDays(days),
        href: `/admin/funnel?from=${isoDay(today - (days - 1) * DAY)}&to=${isoDay(today)}`,
      })),
      invalid: period ? undefined : copy.funnel.badPeriod,
      report: period ? await reportView(deps.db, period, words) : undefined,
    },
  };
}
