// The reminder columns of a case (migration 202611230510_reminders.ts). The worker finds due cases
// by next_reminder_at and claims each with a conditional update on the value it read: of two
// workers that read the same value only one update matches, and the claim pushes next_reminder_at
// a lease ahead, so a worker that dies mid-way leaves the case to be taken again.
import type { Knex } from 'knex';
import { ACTIONABLE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import type { UserRecord } from '../users/user-repository.ts';
import {
  nextReminderAt,
  reminderSchedule,
  replannedReminders,
  userTimeZone,
  type ReminderCase,
  type ReminderConfig,
} from './reminder-schedule.ts';

type Db = Knex | Knex.Transaction;

export interface ReminderState {
  anchorAt: number | null;
  remindersSent: number;
  nextReminderAt: number | null;
  expiresAt: number | null;
}

interface ReminderRow {
  reminder_anchor: number | string | null;
  reminder_count: number;
  next_reminder_at: number | string | null;
  expires_at: number | string | null;
}

// PostgreSQL's bigint arrives as a string.
const ms = (value: number | string | null) => (value === null ? null : Number(value));

export async function readReminderState(db: Db, caseId: number): Promise<ReminderState | undefined> {
  const row = (await db('cases')
    .where({ id: caseId })
    .first('reminder_anchor', 'reminder_count', 'next_reminder_at', 'expires_at')) as ReminderRow | undefined;
  return (
    row && {
      anchorAt: ms(row.reminder_anchor),
      remindersSent: row.reminder_count,
      nextReminderAt: ms(row.next_reminder_at),
      expiresAt: ms(row.expires_at),
    }
  );
}

export function reminderCase(theCase: CaseRecord, state: Pick<ReminderState, 'anchorAt' | 'remindersSent'>): ReminderCase {
  const consent = theCase.details.consent;
  return {
    kind: theCase.kind,
    status: theCase.status,
    anchorAt: state.anchorAt,
    remindersSent: state.remindersSent,
    consent: consent && { webhookCode: consent.webhookCode, dueDate: consent.dueDate },
  };
}

export function timeZoneOf(theCase: CaseRecord, user: UserRecord | undefined): string {
  return userTimeZone(user?.timeZone, theCase.institution);
}

/** When the case would expire if its first message went out at `anchorAt`. */
export function plannedExpiry(theCase: CaseRecord, user: UserRecord | undefined, anchorAt: number, config: ReminderConfig): number | undefined {
  return reminderSchedule(reminderCase(theCase, { anchorAt, remindersSent: 0 }), timeZoneOf(theCase, user), config)?.expiresAt;
}

/** The case's expiry never moves earlier, so links already sent keep working as long as they were promised to. */
function keptExpiry(planned: number | null, current: number | null | undefined): number | null {
  return planned === null ? current ?? null : Math.max(planned, current ?? 0);
}

/** A first message went out: the schedule (re)starts from now. */
export async function startReminders(
  trx: Db,
  theCase: CaseRecord,
  user: UserRecord | undefined,
  now: number,
  config: ReminderConfig,
): Promise<void> {
  const state = await readReminderState(trx, theCase.id);
  const planned = reminderCase(theCase, { anchorAt: now, remindersSent: 0 });
  const tz = timeZoneOf(theCase, user);
  const expiresAt = reminderSchedule(planned, tz, config)?.expiresAt ?? null;
  await trx('cases')
    .where({ id: theCase.id })
    .update({
      reminder_anchor: now,
      reminder_count: 0,
      next_reminder_at: nextReminderAt(planned, tz, now, config),
      expires_at: keptExpiry(expiresAt, state?.expiresAt),
    });
}

/** The case's consent due date moved (`theCase` carries the new one): its reminders are planned again from the same first message. */
export async function replanReminders(
  trx: Db,
  theCase: CaseRecord,
  user: UserRecord | undefined,
  now: number,
  config: ReminderConfig,
): Promise<void> {
  const state = await readReminderState(trx, theCase.id);
  if (!state || state.anchorAt === null) return;
  const plan = replannedReminders(reminderCase(theCase, state), timeZoneOf(theCase, user), now, config);
  await trx('cases')
    .where({ id: theCase.id })
    .update({
      reminder_count: plan.remindersSent,
      next_reminder_at: plan.nextReminderAt,
      expires_at: keptExpiry(plan.expiresAt, state.expiresAt),
    });
}

/** Due cases, each claimed by this worker alone until `now + leaseMs`. */
export async function claimDueCases(db: Knex, now: number, leaseMs: number, limit: number): Promise<number[]> {
  const due = (await db('cases')
    .where('next_reminder_at', '<=', now)
    .whereIn('status', ACTIONABLE_STATUSES)
    .orderBy('next_reminder_at')
    .limit(limit)
    .select('id', 'next_reminder_at')) as Array<{ id: number; next_reminder_at: number | string }>;
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
