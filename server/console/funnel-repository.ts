// The funnel's rows: every case created in a period, with what happened to it, one row per case
// read in one query (correlated subqueries over indexed case_id columns) and counted in funnel-report.ts.
import type { Knex } from 'knex';
import { messagesThatReached } from '../cases/case-repository.ts';
import type { CaseKind, CaseStatus } from '../cases/case-types.ts';
import { resolveLocale } from '../i18n/locale.ts';
import type { FunnelCase } from './funnel-report.ts';

interface FunnelRow {
  kind: CaseKind;
  status: CaseStatus;
  institution: string | null;
  closed_at: number | string | null;
  user_locale: string | null;
  first_sent_at: number | string | null;
  channel: string | null;
  messaged: number | string;
  delivered: number | string;
  opened: number | string;
  submitted: number | string;
  fixed_elsewhere: number | string;
}

const flag = (value: number | string) => Number(value) === 1;
const ms = (value: number | string | null) => (value === null ? null : Number(value));

function ofThisCase(db: Knex, table: 'outbox' | 'case_timeline'): Knex.QueryBuilder {
  return db(table).whereRaw(`${table}.case_id = cases.id`);
}

/** A message that went out or failed for good: the case was messaged, whatever became of it. */
const attempted = (q: Knex.QueryBuilder) => q.whereNotNull('outbox.sent_at').orWhere('outbox.state', 'failed');

function caseRows(db: Knex, from: number, to: number): Knex.QueryBuilder {
  const asFlag = (name: string, sub: Knex.QueryBuilder) => db.raw(`case when exists ? then 1 else 0 end as ${name}`, [sub]);
  const timelineHas = (types: string[]) => ofThisCase(db, 'case_timeline').select(db.raw('1')).whereIn('case_timeline.type', types);
  return db('cases')
    .leftJoin('users', 'users.id', 'cases.user_id')
    .where('cases.created_at', '>=', from)
    .where('cases.created_at', '<', to)
    .select(
      'cases.kind',
      'cases.status',
      'cases.institution',
      'cases.closed_at',
      'users.locale as user_locale',
      ofThisCase(db, 'outbox').min('outbox.sent_at').as('first_sent_at'),
      ofThisCase(db, 'outbox').select('outbox.channel').where(attempted).orderBy('outbox.id').limit(1).as('channel'),
      asFlag('messaged', ofThisCase(db, 'outbox').select(db.raw('1')).where(attempted)),
      asFlag('delivered', messagesThatReached(db)),
      // Only the page's own report (a POST after it is shown) or a submission marks a person:
      // mail scanners fetch links, and a GET records nothing (see server/portal/portal-context.ts).
      asFlag('opened', timelineHas(['page_opened'])),
      asFlag('submitted', timelineHas(['submitted', 'widget_success'])),
      asFlag('fixed_elsewhere', timelineHas(['resolved']).where('case_timeline.detail', 'like', '%"fixed_elsewhere"%')),
    );
}

function toFunnelCase(row: FunnelRow): FunnelCase {
  const resolved = row.status === 'resolved';
  const firstSentAt = ms(row.first_sent_at);
  const fixedAt = ms(row.closed_at);
  return {
    kind: row.kind,
    institution: row.institution,
    language: resolveLocale({ userLocale: row.user_locale, institution: row.institution }),
    channel: row.channel,
    stages: {
      created: true,
      messaged: flag(row.messaged),
      delivered: flag(row.delivered),
      opened: flag(row.opened),
      submitted: flag(row.submitted),
      resolved,
    },
    fixMs: resolved && firstSentAt !== null && fixedAt !== null && fixedAt >= firstSentAt ? fixedAt - firstSentAt : null,
    fixedElsewhere: flag(row.fixed_elsewhere),
  };
}

/** The cases created in [from, to). */
export async function loadFunnelCases(db: Knex, period: { from: number; to: number }): Promise<FunnelCase[]> {
  const rows = (await caseRows(db, period.from, period.to)) as FunnelRow[];
  return rows.map(toFunnelCase);
}
