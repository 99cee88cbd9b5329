// The reminder columns of a case (migration 202611230510_reminders.ts): only cases/ writes the
// `cases` table, so the reminder schedule (server/reminders/) reads and saves its state here. The
// worker finds due cases by next_reminder_at and claims each with a conditional update on the value
// it read: of two workers that read the same value only one update matches, and the claim pushes
// next_reminder_at a lease ahead, so a worker that dies mid-way leaves the case to be taken again.
import type { Knex } from 'knex';
import type { CaseRow } from '../db/tables.ts';
import { isSqlite } from '../db/database.ts';
import { ACTIONABLE_STATUSES } from './case-types.ts';

type Db = Knex | Knex.Transaction;

/**
 * Spelled as the partial index over due reminders spells it (migration
 * 202611300810_reminder-due-index.ts): both databases use a partial index only for a query that
 * states its condition, and SQLite only with the values written out, not bound.
 */
const ACTIONABLE = `status in (${ACTIONABLE_STATUSES.map((status) => `'${status}'`).join(', ')})`;

export interface ReminderState {
  anchorAt: number | null;
  remindersSent: number;
  nextReminderAt: number | null;
  expiresAt: number | null;
}

const REMINDER_COLUMNS = ['reminder_anchor', 'reminder_count', 'next_reminder_at', 'expires_at'] as const;

type ReminderRow = Pick<CaseRow, (typeof REMINDER_COLUMNS)[number]>;

function toReminderState(row: ReminderRow): ReminderState {
  return {
    anchorAt: row.reminder_anchor,
    remindersSent: row.reminder_count,
    nextReminderAt: row.next_reminder_at,
    expiresAt: row.expires_at,
  };
}

export async function readReminderState(db: Db, caseId: number): Promise<ReminderState | undefined> {
  const row = await db('cases').where({ id: caseId }).first(...REMINDER_COLUMNS);
  return row && toReminderState(row);
}

/** The reminder state of several cases at once: one query for a batch of messages. */
export async function readReminderStates(db: Db, caseIds: readonly number[]): Promise<Map<number, ReminderState>> {
  const rows = await db('cases').whereIn('id', [...new Set(caseIds)]).select('id', ...REMINDER_COLUMNS);
  return new Map(rows.map((row) => [row.id, toReminderState(row)]));
}

/** SQL for an expiry that never moves earlier than the one stored, so links already sent keep working as long as they were promised to. */
function laterExpiry(db: Db, planned: number): Knex.Raw {
  return db.raw(`${isSqlite(db) ? 'max' : 'greatest'}(?, coalesce(expires_at, 0))`, [planned]);
}

/** A planned schedule; `anchorAt` only when the schedule (re)starts from a first message. */
export interface ReminderPlan {
  anchorAt?: number;
  remindersSent: number;
  nextReminderAt: number | null;
  expiresAt: number | null;
}

/**
 * The columns a plan sets. The expiry is kept when none is planned, and never moves earlier:
 * decided in the update itself, so nothing needs reading first.
 */
export function reminderPlanColumns(db: Db, plan: ReminderPlan): Record<string, unknown> {
  return {
    ...(plan.anchorAt === undefined ? {} : { reminder_anchor: plan.anchorAt }),
    reminder_count: plan.remindersSent,
    next_reminder_at: plan.nextReminderAt,
    ...(plan.expiresAt === null ? {} : { expires_at: laterExpiry(db, plan.expiresAt) }),
  };
}

export async function saveReminderPlan(trx: Db, caseId: number, plan: ReminderPlan): Promise<void> {
  await trx('cases').where({ id: caseId }).update(reminderPlanColumns(trx, plan));
}

/** Due cases, each claimed by this worker alone until `now + leaseMs`. */
export async function claimDueCases(db: Knex, now: number, leaseMs: number, limit: number): Promise<number[]> {
  const due = await db('cases')
    .where('next_reminder_at', '<=', now)
    .whereRaw(ACTIONABLE)
    .orderBy('next_reminder_at')
    .limit(limit)
    .select('id', 'next_reminder_at');
  const claimed: number[] = [];
  for (const row of due) {
    const count = await db('cases')
      .where({ id: row.id, next_reminder_at: row.next_reminder_at })
      .update({ next_reminder_at: now + leaseMs });
    if (count === 1) claimed.push(row.id);
  }
  return claimed;
}

export async function saveReminderProgress(
  trx: Db,
  caseId: number,
  progress: { remindersSent?: number; nextReminderAt: number | null },
): Promise<void> {
  await trx('cases')
    .where({ id: caseId })
    .update({
      next_reminder_at: progress.nextReminderAt,
      ...(progress.remindersSent === undefined ? {} : { reminder_count: progress.remindersSent }),
    });
}
