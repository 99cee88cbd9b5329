// Cases and their timelines in the database. Every state change is a conditional update accepted
// only when exactly one row changed, so concurrent workers and requests cannot both win.
import type { Knex } from 'knex';
import {
  ACTIVE_STATUSES,
  isClosed,
  type CaseDetails,
  type CaseKind,
  type CaseRecord,
  type CaseStatus,
  type TimelineEntry,
  type TimelineType,
} from './case-types.ts';

type Db = Knex | Knex.Transaction;

interface CaseRow {
  id: number;
  link_id: string;
  kind: string;
  status: string;
  user_id: number | null;
  external_id: string | null;
  institution: string | null;
  details: string;
  failed_attempts: number;
  submit_lock_until: number | null;
  last_notified_at: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

function toRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    linkId: row.link_id,
    kind: row.kind as CaseKind,
    status: row.status as CaseStatus,
    userId: row.user_id,
    externalId: row.external_id,
    institution: row.institution,
    details: JSON.parse(row.details) as CaseDetails,
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
  const row = (await db('cases').where({ id }).first()) as CaseRow | undefined;
  return row && toRecord(row);
}

export async function findActiveCasesForLink(db: Db, linkId: string): Promise<CaseRecord[]> {
  const rows = (await db('cases').where({ link_id: linkId }).whereIn('status', ACTIVE_STATUSES).orderBy('id')) as CaseRow[];
  return rows.map(toRecord);
}

export type NewCase = Pick<CaseRecord, 'linkId' | 'kind' | 'status' | 'userId' | 'externalId' | 'institution' | 'details'>;

/**
 * Inserts a case. An active one takes the link-and-kind slot (the unique open_key makes a second
 * active case for the same link and kind fail); one born closed is closed from now.
 */
export async function insertCase(db: Db, draft: NewCase, now: number): Promise<number> {
  const closed = isClosed(draft.status);
  const [row] = (await db('cases')
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
    })
    .returning('id')) as Array<{ id: number }>;
  return row!.id;
}

export interface CasePatch {
  userId?: number | null;
  externalId?: string | null;
  institution?: string | null;
  details?: CaseDetails;
  failedAttempts?: number;
  lastNotifiedAt?: number | null;
}

function patchColumns(patch: CasePatch): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (patch.userId !== undefined) columns['user_id'] = patch.userId;
  if (patch.externalId !== undefined) columns['external_id'] = patch.externalId;
  if (patch.institution !== undefined) columns['institution'] = patch.institution;
  if (patch.details !== undefined) columns['details'] = JSON.stringify(patch.details);
  if (patch.failedAttempts !== undefined) columns['failed_attempts'] = patch.failedAttempts;
  if (patch.lastNotifiedAt !== undefined) columns['last_notified_at'] = patch.lastNotifiedAt;
  return columns;
}

export async function updateCase(db: Db, id: number, patch: CasePatch, now: number): Promise<void> {
  await db('cases').where({ id }).update({ ...patchColumns(patch), updated_at: now });
}

/**
 * Moves a case from one of `from` to `to`, with an optional patch, in one conditional update.
 * False when the case was not in any of `from` (someone else changed it first).
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
  const count = await db('cases')
    .where({ id })
    .whereIn('status', from)
    .update({
      ...patchColumns(patch),
      status: to,
      updated_at: now,
      ...(closing ? { open_key: null, closed_at: now, submit_lock_until: null } : {}),
    });
  return count === 1;
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

export async function listTimeline(db: Db, caseId: number): Promise<TimelineEntry[]> {
  const rows = (await db('case_timeline').where({ case_id: caseId }).orderBy('id')) as Array<{
    id: number;
    at: number;
    type: TimelineType;
    detail: string | null;
  }>;
  return rows.map((r) => ({ id: r.id, at: r.at, type: r.type, detail: r.detail ? JSON.parse(r.detail) : null }));
}

export interface CaseFilter {
  linkId?: string;
  status?: CaseStatus;
  limit: number;
  /** Cases with an id below this one: keyset pagination, newest first. */
  before?: number;
}

export async function listCases(db: Db, filter: CaseFilter): Promise<CaseRecord[]> {
  const query = db('cases').orderBy('id', 'desc').limit(filter.limit);
  if (filter.linkId) query.where({ link_id: filter.linkId });
  if (filter.status) query.where({ status: filter.status });
  if (filter.before) query.where('id', '<', filter.before);
  return ((await query) as CaseRow[]).map(toRecord);
}
