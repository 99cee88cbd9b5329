// The reminder schedule of a case over its reminder columns, which cases/case-reminders.ts reads
// and saves (only cases/ writes the `cases` table): started by a first message (its plan saved
// with the case's status, outbox/outbox-sender.ts), planned again when a consent's due date moves.
import type { Knex } from 'knex';
import { readReminderState, saveReminderPlan, type ReminderPlan, type ReminderState } from '../cases/case-reminders.ts';
import type { CaseRecord } from '../cases/case-types.ts';
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

/** A first message went out at `now`: the schedule it (re)starts. */
export function firstMessagePlan(theCase: CaseRecord, user: UserRecord | undefined, now: number, config: ReminderConfig): ReminderPlan {
  const planned = reminderCase(theCase, { anchorAt: now, remindersSent: 0 });
  const tz = timeZoneOf(theCase, user);
  return {
    anchorAt: now,
    remindersSent: 0,
    nextReminderAt: nextReminderAt(planned, tz, now, config),
    expiresAt: reminderSchedule(planned, tz, config)?.expiresAt ?? null,
  };
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
  await saveReminderPlan(trx, theCase.id, {
    remindersSent: plan.remindersSent,
    nextReminderAt: plan.nextReminderAt,
    expiresAt: plan.expiresAt,
  });
}
