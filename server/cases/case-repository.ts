// Cases and their timelines in the database. Every state change is a conditional update accepted
// only when exactly one row changed, so concurrent workers and requests cannot both win. Creating a
// case and changing its status record the operator's case.created and case.updated webhooks in the
// same transaction, so no caller has to remember them and none is lost or sent for a rolled-back change.
import type { Knex } from 'knex';
import { z } from 'zod';
import { afterCommit } from '../db/after-commit.ts';
import type { CaseRow } from '../db/tables.ts';
import { recordOperatorEvent } from '../operator-webhooks/operator-events.ts';
import { countCaseStatus } from '../metrics/samples.ts';
import {
  ACTIVE_STATUSES,
  CASE_KINDS,
  CASE_STATUSES,
  TIMELINE_TYPES,
  isClosed,
  type CaseDetails,
  type CaseKind,
  type CaseRecord,
  type CaseStatus,
  type TimelineEntry,
  type TimelineType,
} from './case-types.ts';
import { presentCase } from './case-view.ts';
import { reminderPlanColumns, type ReminderPlan } from './case-reminders.ts';

type Db = Knex | Knex.Transaction;

/**
 * What the details column holds, as insertCase and updateCase write it. Loose: a field this schema
 * does not name yet is kept, not dropped.
 */
const CASE_DETAILS: z.ZodType<CaseDetails> = z.looseObject({
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  mfa: z
    .looseObject({
      session: z.string(),
      expiresAt: z.number().nullable(),
      tokenGenerationData: z
        .looseObject({
          instructions: z.string().optional(),
          type: z.string().optional(),
          value: z.string().optional(),
          expects_user_input: z.boolean().optional(),
        })
        .nullable(),
      source: z.literal('portal').optional(),
    })
    .optional(),
  consent: z
    .looseObject({
      consentId: z.string().nullable(),
      webhookCode: z.string(),
      dueDate: z.string().nullable(),
      institutionDisplayName: z.string().nullable(),
      institutionLogo: z.string().nullable(),
      message: z.string().nullable(),
    })
    .optional(),
  needsPassword2: z.boolean().optional(),
  newLinkId: z.string().optional(),
});
const CASE_KIND = z.enum(CASE_KINDS);
const CASE_STATUS = z.enum(CASE_STATUSES);
const TIMELINE_TYPE = z.enum(TIMELINE_TYPES);
const TIMELINE_DETAIL = z.record(z.string(), z.unknown());

/** Runs `work` in the caller's transaction, or in one of its own. */
function inTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Knex.Transaction) : db.transaction(work);
}


function toRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    linkId: row.link_id,
    kind: CASE_KIND.parse(row.kind),
    status: CASE_STATUS.parse(row.status),
    userId: row.user_id,
    externalId: row.external_id,
    institution: row.institution,
    details: CASE_DETAILS.parse(JSON.parse(row.details)),
    failedAttempts: row.failed_attempts,
    submitLockUntil: row.submit_lock_until,
    lastNotifiedAt: row.last_notified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

export const openKey = (linkId: string, kind: CaseKind) => `${linkId}:${kind}`;

export async function findCase(db: Db, id: number): Promise<CaseRecord | undefined> {
  const row = await db('cases').where({ id }).first();
  return row && toRecord(row);
}

/** Several cases at once, by id: one query for a batch of work. */
export async function findCases(db: Db, ids: readonly number[]): Promise<Map<number, CaseRecord>> {
  const rows = await db('cases').whereIn('id', [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, toRecord(row)]));
}

export async function findActiveCasesForLink(db: Db, linkId: string): Promise<CaseRecord[]> {
  const rows = await db('cases').where({ link_id: linkId }).whereIn('status', ACTIVE_STATUSES).orderBy('id');
  return rows.map(toRecord);
}

export type NewCase = Pick<CaseRecord, 'linkId' | 'kind' | 'status' | 'userId' | 'externalId' | 'institution' | 'details'> & Partial<Pick<CaseRecord, 'lastNotifiedAt'>>;

/**
 * Inserts a case. An active one takes the link-and-kind slot (the unique open_key makes a second
 * active case for the same link and kind fail); one born closed is closed from now.
 */
export async function insertCase(db: Db, draft: NewCase, now: number): Promise<number> {
  const closed = isClosed(draft.status);
  return inTransaction(db, async (trx) => {
    const [row] = await trx('cases')
      .insert({
        link_id: draft.linkId,
        kind: draft.kind,
        status: draft.status,
        user_id: draft.userId,
        external_id: draft.externalId,
        institution: draft.institution,
        open_key: closed ? null : openKey(draft.linkId, draft.kind),
        details: JSON.stringify(draft.details),
        created_at: now,
        updated_at: now,
        closed_at: closed ? now : null,
        last_notified_at: draft.lastNotifiedAt ?? null,
      })
      .returning('*');
    await recordOperatorEvent(trx, { type: 'case.created', data: presentCase(toRecord(row!)) }, now);
    afterCommit(trx, () => countCaseStatus(draft.kind, draft.status));
    return row!.id;
  });
}

export interface CasePatch {
  userId?: number | null;
  externalId?: string | null;
  institution?: string | null;
  details?: CaseDetails;
  failedAttempts?: number;
  lastNotifiedAt?: number | null;
  /** The reminder schedule, in the same update (a first message notifies the case and starts it). */
  reminderPlan?: ReminderPlan;
}

function patchColumns(db: Db, patch: CasePatch): Record<string, unknown> {
  const columns: Record<string, unknown> = patch.reminderPlan ? reminderPlanColumns(db, patch.reminderPlan) : {};
  if (patch.userId !== undefined) columns['user_id'] = patch.userId;
  if (patch.externalId !== undefined) columns['external_id'] = patch.externalId;
  if (patch.institution !== undefined) columns['institution'] = patch.institution;
  if (patch.details !== undefined) columns['details'] = JSON.stringify(patch.details);
  if (patch.failedAttempts !== undefined) columns['failed_attempts'] = patch.failedAttempts;
  if (patch.lastNotifiedAt !== undefined) columns['last_notified_at'] = patch.lastNotifiedAt;
  return columns;
}

export async function updateCase(db: Db, id: number, patch: CasePatch, now: number): Promise<void> {
  await db('cases').where({ id }).update({ ...patchColumns(db, patch), updated_at: now });
}

/**
 * Moves a case from one of `from` to `to`, with an optional patch, in one conditional update on its
 * previous status. False when the case was not in any of `from` (someone else changed it first).
 */
export async function transitionCase(
  db: Db,
  id: number,
  from: readonly CaseStatus[],
  to: CaseStatus,
  now: number,
  patch: CasePatch = {},
): Promise<boolean> {
  const closing = isClosed(to);
  const single = from.length === 1;
  return inTransaction(db, async (trx) => {
    for (;;) {
      // From one status, the conditional update alone decides, and that status is the previous one.
      // From several, the status is read first, for the webhook's previous_status; a change made in
      // between fails the update's condition, and the case is read again.
      const previous = single ? from[0]! : await statusAmong(trx, id, from);
      if (previous === undefined) return false;
      const [row] = await trx('cases')
        .where({ id, status: previous })
        .update({
          ...patchColumns(trx, patch),
          status: to,
          updated_at: now,
          ...(closing ? { open_key: null, closed_at: now, submit_lock_until: null } : {}),
        })
        .returning('*');
      if (!row) {
        if (single) return false;
        continue;
      }
      await recordOperatorEvent(trx, { type: 'case.updated', data: { ...presentCase(toRecord(row)), previous_status: previous } }, now);
      afterCommit(trx, () => countCaseStatus(row.kind, to));
      return true;
    }
  });
}

/** The case's status when it is one of `from`; undefined when it is another, or there is no such case. */
async function statusAmong(trx: Knex.Transaction, id: number, from: readonly CaseStatus[]): Promise<CaseStatus | undefined> {
  const row = await trx('cases').where({ id }).first('status');
  if (!row) return undefined;
  const status = CASE_STATUS.parse(row.status);
  return from.includes(status) ? status : undefined;
}

/** Active cases by kind and status, every pair present (at zero if need be): for the metrics page. */
export async function countActiveCases(db: Db): Promise<Array<{ kind: CaseKind; status: CaseStatus; count: number }>> {
  const rows = (await db('cases')
    .whereIn('status', ACTIVE_STATUSES)
    .groupBy('kind', 'status')
    .select('kind', 'status')
    .count({ count: '*' })) as Array<{ kind: string; status: string; count: number | string }>;
  const counts = new Map(rows.map((row) => [`${row.kind} ${row.status}`, Number(row.count)]));
  return CASE_KINDS.flatMap((kind) => ACTIVE_STATUSES.map((status) => ({ kind, status, count: counts.get(`${kind} ${status}`) ?? 0 })));
}

/** Takes the case's submission lock so that two submissions at once make one Belvo call. */
export async function acquireSubmitLock(db: Db, id: number, now: number, holdMs: number): Promise<boolean> {
  const count = await db('cases')
    .where({ id })
    .where((q) => q.whereNull('submit_lock_until').orWhere('submit_lock_until', '<', now))
    .update({ submit_lock_until: now + holdMs });
  return count === 1;
}

export async function releaseSubmitLock(db: Db, id: number): Promise<void> {
  await db('cases').where({ id }).update({ submit_lock_until: null });
}

export async function addTimeline(
  db: Db,
  caseId: number,
  type: TimelineType,
  now: number,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await db('case_timeline').insert({ case_id: caseId, at: now, type, detail: detail && JSON.stringify(detail) });
}

export interface NewTimelineEntry {
  caseId: number;
  type: TimelineType;
  at: number;
  detail: Record<string, unknown>;
}

/** Entries on any cases, in as few inserts as every database takes. */
export async function addTimelineEntries(db: Db, entries: readonly NewTimelineEntry[]): Promise<void> {
  const rows = entries.map((e) => ({ case_id: e.caseId, at: e.at, type: e.type, detail: JSON.stringify(e.detail) }));
  for (let i = 0; i < rows.length; i += 200) await db('case_timeline').insert(rows.slice(i, i + 200));
}

/** The same entry on many cases at once (an operator's action on a whole institution). */
export async function addTimelineToCases(
  db: Db,
  caseIds: readonly number[],
  type: TimelineType,
  now: number,
  detail: Record<string, unknown>,
): Promise<void> {
  await addTimelineEntries(db, [...new Set(caseIds)].map((caseId) => ({ caseId, type, at: now, detail })));
}

export async function listTimeline(db: Db, caseId: number): Promise<TimelineEntry[]> {
  const rows = await db('case_timeline').where({ case_id: caseId }).orderBy('id');
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    type: TIMELINE_TYPE.parse(r.type),
    detail: r.detail ? TIMELINE_DETAIL.parse(JSON.parse(r.detail)) : null,
  }));
}

/** A case open this long with no message that reached its person needs the operator (issue 10 §3). */
export const NEEDS_ATTENTION_AFTER_MS = 24 * 3_600_000;

export interface CaseFilter {
  linkId?: string;
  status?: CaseStatus;
  kind?: CaseKind;
  /** A Belvo institution code, as the case stores it. */
  institution?: string;
  externalId?: string;
  /** Created at or after this instant (epoch ms). */
  createdFrom?: number;
  /** Created before this instant (epoch ms). */
  createdTo?: number;
  /** What a support agent types: part of an external id, e-mail address or phone number, or the start of a link id. */
  search?: string;
  /** Only the cases that need the operator as of this instant (NEEDS_ATTENTION_AFTER_MS). */
  needsAttentionAt?: number;
}

export interface CasePage extends CaseFilter {
  limit: number;
  /** Cases with an id below this one: keyset pagination, newest first. */
  before?: number;
}

/** `%` and `_` typed by a person are letters, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereMatches(db: Db, query: Knex.QueryBuilder, search: string): void {
  const text = search.trim().toLowerCase();
  const anywhere = `%${escapeLike(text)}%`;
  const digits = text.replace(/\D/g, '');
  // "+52 55 1234 5678" or "5512345678" finds +525512345678; an e-mail address has no place here.
  const phone = /^[+\d\s().-]+$/.test(text) && digits.length >= 4 ? `%${digits}%` : undefined;
  const like = (column: string, pattern: string) => [`lower(${column}) like ? escape ?`, [pattern, '\\']] as const;
  const users = db('users')
    .select('id')
    .where((u) => {
      u.whereRaw(...like('email', anywhere)).orWhereRaw(...like('external_id', anywhere));
      if (phone) u.orWhere('phone', 'like', phone);
    });
  query.where((q) =>
    q
      .whereRaw(...like('cases.external_id', anywhere))
      .orWhereRaw(...like('cases.link_id', `${escapeLike(text)}%`))
      .orWhereIn('cases.user_id', users),
  );
}

/**
 * The messages of the case in the outer query (`cases`) that reached their person: accepted by the
 * provider, and not reported undelivered since (such a message's row turns `failed`).
 */
export function messagesThatReached(db: Db): Knex.QueryBuilder {
  return db('outbox').select(db.raw('1')).whereRaw('outbox.case_id = cases.id').whereNotNull('outbox.sent_at').whereNot('outbox.state', 'failed');
}

/** Open for a day and more, and no message reached the person. */
function whereNeedsAttention(db: Db, query: Knex.QueryBuilder, now: number): void {
  query
    .whereIn('cases.status', ACTIVE_STATUSES)
    .where('cases.created_at', '<=', now - NEEDS_ATTENTION_AFTER_MS)
    .whereNotExists(messagesThatReached(db));
}

function filteredCases(db: Db, filter: CaseFilter) {
  const query = db('cases');
  if (filter.linkId) query.where('cases.link_id', filter.linkId);
  if (filter.status) query.where('cases.status', filter.status);
  if (filter.kind) query.where('cases.kind', filter.kind);
  if (filter.institution) query.where('cases.institution', filter.institution);
  if (filter.externalId) query.where('cases.external_id', filter.externalId);
  if (filter.createdFrom !== undefined) query.where('cases.created_at', '>=', filter.createdFrom);
  if (filter.createdTo !== undefined) query.where('cases.created_at', '<', filter.createdTo);
  if (filter.search?.trim()) whereMatches(db, query, filter.search);
  if (filter.needsAttentionAt !== undefined) whereNeedsAttention(db, query, filter.needsAttentionAt);
  return query;
}

export async function listCases(db: Db, page: CasePage): Promise<CaseRecord[]> {
  const query = filteredCases(db, page).orderBy('cases.id', 'desc').limit(page.limit);
  if (page.before) query.where('cases.id', '<', page.before);
  return (await query).map(toRecord);
}

export async function countCases(db: Db, filter: CaseFilter): Promise<number> {
  const row = (await filteredCases(db, filter).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Every case of one person: by the user record, or by the external id a webhook named before the user was registered. */
export async function listCasesOfUser(db: Db, user: { id: number; externalId: string }): Promise<CaseRecord[]> {
  const rows = await db('cases')
    .where((q) => q.where({ user_id: user.id }).orWhere({ external_id: user.externalId }))
    .orderBy('id', 'desc');
  return rows.map(toRecord);
}

/** The institutions cases name, for a filter's choices. */
export async function listCaseInstitutions(db: Db): Promise<string[]> {
  const rows = await db('cases').distinct('institution').whereNotNull('institution').orderBy('institution');
  return rows.flatMap((r) => (r.institution === null ? [] : [r.institution]));
}
