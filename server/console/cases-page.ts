// The console's first page: cases that need attention, then every case newest first, filtered by
// status, kind, institution and a search (external id, e-mail, phone, link id), paged by keyset.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { countCases, listCaseInstitutions, listCases, type CaseFilter } from '../cases/case-repository.ts';
import { CASE_KINDS, CASE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import { readableInstitution } from '../i18n/locale.ts';
import { casesOpened, listMessagesOfCases } from './case-messages.ts';
import { caseSummary } from './case-summary.ts';
import type { ConsolePage, ConsoleWords } from './console-render.ts';
import { institutionNamer } from './institution-names.ts';

const PAGE_SIZE = 50;
const ATTENTION_SHOWN = 10;

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);

export const casesQuery = z.object({
  q: z.preprocess(blankIsAbsent, z.string().trim().max(200).optional()),
  status: z.preprocess(blankIsAbsent, z.enum(CASE_STATUSES).optional()),
  kind: z.preprocess(blankIsAbsent, z.enum(CASE_KINDS).optional()),
  institution: z.preprocess(blankIsAbsent, z.string().trim().max(120).optional()),
  attention: z.preprocess(blankIsAbsent, z.literal('1').optional()),
  before: z.preprocess(blankIsAbsent, z.coerce.number().int().positive().optional()),
});
type CasesQuery = z.infer<typeof casesQuery>;

export interface CasesPageDeps {
  db: Knex;
  now: number;
}

function filterOf(query: CasesQuery, now: number): CaseFilter {
  return {
    ...(query.q ? { search: query.q } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.institution ? { institution: query.institution } : {}),
    ...(query.attention ? { needsAttentionAt: now } : {}),
  };
}

function hrefWith(query: CasesQuery, changes: Partial<Record<keyof CasesQuery, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...changes })) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `/admin/cases?${search}` : '/admin/cases';
}

async function rowsFor(db: Knex, cases: CaseRecord[], now: number, words: ConsoleWords) {
  const ids = cases.map((c) => c.id);
  const [messages, opened, nameOf] = await Promise.all([
    listMessagesOfCases(db, ids),
    casesOpened(db, ids),
    institutionNamer(
      db,
      cases.map((c) => c.linkId),
    ),
  ]);
  const { copy, format } = words;
  return cases.map((theCase) => {
    const own = messages.filter((m) => m.caseId === theCase.id);
    const last = own.at(-1);
    return {
      id: theCase.id,
      href: `/admin/cases/${theCase.id}`,
      label: copy.cases.caseLabel(theCase.id),
      status: theCase.status,
      statusLabel: copy.statuses[theCase.status],
      kind: copy.kinds[theCase.kind],
      institution: nameOf(theCase.linkId, theCase.institution) ?? copy.unknownInstitution,
      channel: last ? (copy.channels[last.channel] ?? last.channel) : copy.none,
      age: format.duration(now - theCase.createdAt),
      createdAt: format.dateTime(theCase.createdAt),
      linkId: theCase.linkId,
      summary: caseSummary({ theCase, messages: own, opened: opened.has(theCase.id), now }, copy, format),
    };
  });
}

async function choices(db: Knex, words: ConsoleWords) {
  const { copy } = words;
  return {
    statuses: CASE_STATUSES.map((value) => ({ value, label: copy.statuses[value] })),
    kinds: CASE_KINDS.map((value) => ({ value, label: copy.kinds[value] })),
    institutions: (await listCaseInstitutions(db)).map((value) => ({ value, label: `${readableInstitution(value) ?? value} (${value})` })),
  };
}

async function attentionSection(deps: CasesPageDeps, words: ConsoleWords) {
  const filter = { needsAttentionAt: deps.now };
  const [cases, total] = await Promise.all([listCases(deps.db, { ...filter, limit: ATTENTION_SHOWN }), countCases(deps.db, filter)]);
  if (total === 0) return undefined;
  const { cases: copy } = words.copy;
  return {
    heading: copy.attentionHeading,
    intro: copy.attentionIntro,
    rows: await rowsFor(deps.db, cases, deps.now, words),
    more: total > cases.length ? { text: copy.attentionMore(cases.length, total), label: copy.attentionOnly, href: hrefWith({}, { attention: '1' }) } : undefined,
  };
}

export async function casesPage(deps: CasesPageDeps, req: Request, words: ConsoleWords): Promise<ConsolePage> {
  const parsed = casesQuery.safeParse(req.query);
  const query: CasesQuery = parsed.success ? parsed.data : {};
  const filter = filterOf(query, deps.now);
  const cases = await listCases(deps.db, { ...filter, limit: PAGE_SIZE, ...(query.before ? { before: query.before } : {}) });
  const firstPage = query.before === undefined;
  const filtered = Object.keys(filter).length > 0;
  const { copy } = words;
  const last = cases.at(-1);
  // The first page as it opens; a search or a filter is the operator looking for something else.
  const attention = firstPage && !filtered ? await attentionSection(deps, words) : undefined;
  return {
    template: 'cases',
    status: parsed.success ? 200 : 400,
    page: 'cases',
    title: copy.cases.title,
    view: {
      copy: copy.cases,
      invalid: parsed.success ? undefined : copy.case.invalidForm,
      filters: query,
      filtered,
      attentionOn: query.attention !== undefined,
      choices: await choices(deps.db, words),
      attention,
      rows: await rowsFor(deps.db, cases, deps.now, words),
      empty: cases.length > 0 ? undefined : filtered ? copy.cases.emptyFiltered : copy.cases.empty,
      older: cases.length === PAGE_SIZE && last ? hrefWith(query, { before: String(last.id) }) : undefined,
      newest: firstPage ? undefined : hrefWith(query, { before: undefined }),
      clear: filtered ? '/admin/cases' : undefined,
    },
  };
}
