// When a case reminds its user and when it expires: a pure function of the case, the user's time
// zone, the clock and the operator's schedule, so every rule is tested without a database.
//
// - The schedule counts from the anchor: when the case's first message (template "remediation")
//   went out. A repeated webhook that messages the user again restarts it.
// - Ordinary cases remind `reminderHours` after the anchor and expire `expiryMs` after it.
// - A consent that has not run out yet reminds `consentReminderDays` before its due date instead,
//   and the case lives at least until that date. Reminders that would fall before the anchor are
//   dropped. A consent already expired (or with no due date) gets the ordinary schedule.
// - Nothing is sent outside the quiet-hours window in the user's zone: a reminder due at night is
//   postponed to the window's opening.
import type { CaseKind, CaseStatus } from '../cases/case-types.ts';
import { ACTIONABLE_STATUSES } from '../cases/case-types.ts';
import { countryOfInstitution } from '../i18n/locale.ts';
import { instantAt, localTime } from './local-time.ts';

export interface ReminderConfig {
  /** Hours after the first message; ascending. */
  reminderHours: number[];
  /** Days before a consent's due date; any order. */
  consentReminderDays: number[];
  /** How long after the first message an unanswered case expires. */
  expiryMs: number;
  /** Local hours [start, end) in which a reminder may go out. */
  sendWindow: { startHour: number; endHour: number };
}

export const DEFAULT_REMINDER_CONFIG: ReminderConfig = {
  reminderHours: [24, 72],
  consentReminderDays: [3, 1],
  expiryMs: 7 * 86_400_000,
  sendWindow: { startHour: 8, endHour: 21 },
};

export interface ReminderCase {
  kind: CaseKind;
  status: CaseStatus;
  /** When the first message went out; null while none has. */
  anchorAt: number | null;
  remindersSent: number;
  consent?: { webhookCode: string; dueDate: string | null } | undefined;
}

export interface Schedule {
  reminders: number[];
  expiresAt: number;
}

export type ReminderStep =
  /** Nothing to do until `at`. */
  | { type: 'wait'; at: number }
  /** Send one reminder now; `remindersSent` is the count afterwards, `next` when to look again. */
  | { type: 'remind'; remindersSent: number; next: number }
  | { type: 'expire' }
  /** The case is closed or was never messaged: no schedule. */
  | { type: 'none' };

const COUNTRY_TIME_ZONES = { br: 'America/Sao_Paulo', mx: 'America/Mexico_City', co: 'America/Bogota' } as const;
export const DEFAULT_TIME_ZONE = 'America/Mexico_City';

/** The user's own zone, else the institution's country's, else Mexico City's. */
export function userTimeZone(userZone: string | null | undefined, institution: string | null | undefined): string {
  if (userZone) return userZone;
  const country = countryOfInstitution(institution);
  return country ? COUNTRY_TIME_ZONES[country] : DEFAULT_TIME_ZONE;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The same instant, or the next opening of the send window when it falls outside it. */
export function withinSendWindow(instant: number, timeZone: string, config: ReminderConfig): number {
  const { startHour, endHour } = config.sendWindow;
  const t = localTime(instant, timeZone);
  if (t.hour >= startHour && t.hour < endHour) return instant;
  const day = t.hour < startHour ? t.day : t.day + 1;
  return instantAt(timeZone, t.year, t.month, day, startHour);
}

/** A bare date is due when that day begins for the user; an instant is due at that instant. */
export function consentDueAt(dueDate: string | null | undefined, timeZone: string): number | undefined {
  if (!dueDate) return undefined;
  const bare = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueDate);
  if (bare) return instantAt(timeZone, Number(bare[1]), Number(bare[2]), Number(bare[3]), 0);
  const at = Date.parse(dueDate);
  return Number.isNaN(at) ? undefined : at;
}

function upcomingConsentDue(c: ReminderCase, anchorAt: number, timeZone: string): number | undefined {
  if (c.kind !== 'consent' || !c.consent || c.consent.webhookCode === 'openfinance_consent_expired') return undefined;
  const due = consentDueAt(c.consent.dueDate, timeZone);
  return due !== undefined && due > anchorAt ? due : undefined;
}

/** Every reminder of the case and its expiry, or null when the case has no schedule. */
export function reminderSchedule(c: ReminderCase, timeZone: string, config: ReminderConfig): Schedule | null {
  if (c.anchorAt === null || !ACTIONABLE_STATUSES.includes(c.status)) return null;
  const anchorAt = c.anchorAt;
  const due = upcomingConsentDue(c, anchorAt, timeZone);
  const expiresAt = Math.max(anchorAt + config.expiryMs, due ?? 0);
  const planned =
    due === undefined
      ? config.reminderHours.map((hours) => anchorAt + hours * HOUR)
      : config.consentReminderDays.map((days) => due - days * DAY);
  const reminders = [...new Set(planned.map((at) => withinSendWindow(at, timeZone, config)))]
    .filter((at) => at > anchorAt && at < expiresAt)
    .sort((a, b) => a - b);
  return { reminders, expiresAt };
}

/**
 * What the worker does for the case now. Reminders missed while no worker ran collapse into one,
 * and one that is due while the user sleeps waits for the morning.
 */
export function reminderStep(c: ReminderCase, timeZone: string, now: number, config: ReminderConfig): ReminderStep {
  const schedule = reminderSchedule(c, timeZone, config);
  if (!schedule) return { type: 'none' };
  const { reminders, expiresAt } = schedule;
  if (now >= expiresAt) return { type: 'expire' };
  const due = reminders.filter((at) => at <= now).length;
  const nextAfter = (count: number) => reminders[count] ?? expiresAt;
  if (due <= c.remindersSent) return { type: 'wait', at: nextAfter(c.remindersSent) };
  const sendable = withinSendWindow(now, timeZone, config);
  if (sendable > now) return { type: 'wait', at: Math.min(sendable, expiresAt) };
  return { type: 'remind', remindersSent: due, next: nextAfter(due) };
}

export interface ReplannedReminders {
  remindersSent: number;
  nextReminderAt: number | null;
  expiresAt: number | null;
}

/**
 * The schedule again after the consent's due date moved (`c` carries the new date). Reminders count
 * by position in the schedule, so the count is redone: no more than were sent, and no more than the
 * new schedule has already passed. A date moved later brings back the reminders before it; a date
 * moved earlier sends at most one catch-up reminder, never a burst.
 */
export function replannedReminders(c: ReminderCase, timeZone: string, now: number, config: ReminderConfig): ReplannedReminders {
  const schedule = reminderSchedule(c, timeZone, config);
  if (!schedule) return { remindersSent: c.remindersSent, nextReminderAt: null, expiresAt: null };
  const passed = schedule.reminders.filter((at) => at <= now).length;
  const remindersSent = Math.min(c.remindersSent, passed);
  return {
    remindersSent,
    nextReminderAt: nextReminderAt({ ...c, remindersSent }, timeZone, now, config),
    expiresAt: schedule.expiresAt,
  };
}

/** When the worker should next look at the case; null when never. */
export function nextReminderAt(c: ReminderCase, timeZone: string, now: number, config: ReminderConfig): number | null {
  const step = reminderStep(c, timeZone, now, config);
  if (step.type === 'none') return null;
  return step.type === 'wait' ? step.at : now;
}
