import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { instantAt, localTime } from '../../server/reminders/local-time.ts';
import {
  DEFAULT_REMINDER_CONFIG as CONFIG,
  consentDueAt,
  nextReminderAt,
  reminderSchedule,
  reminderStep,
  replannedReminders,
  userTimeZone,
  withinSendWindow,
  type ReminderCase,
} from '../../server/reminders/reminder-schedule.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MX = 'America/Mexico_City'; // UTC-6 all year since 2022
const BR = 'America/Sao_Paulo'; // UTC-3 all year since 2019
const CO = 'America/Bogota'; // UTC-5, never DST
const utc = (iso: string) => Date.parse(iso);

function aCase(overrides: Partial<ReminderCase> = {}): ReminderCase {
  return { kind: 'credentials', status: 'notified', anchorAt: utc('2026-11-23T15:00:00Z'), remindersSent: 0, ...overrides };
}

describe('withinSendWindow (08:00-21:00 local)', () => {
  test('a time inside the window is kept, up to 20:59 local', () => {
    assert.equal(withinSendWindow(utc('2026-11-23T14:00:00Z'), MX, CONFIG), utc('2026-11-23T14:00:00Z')); // 08:00
    assert.equal(withinSendWindow(utc('2026-11-24T02:59:00Z'), MX, CONFIG), utc('2026-11-24T02:59:00Z')); // 20:59
  });

  test('from 21:00 local it moves to 08:00 the next local day', () => {
    assert.equal(withinSendWindow(utc('2026-11-24T03:00:00Z'), MX, CONFIG), utc('2026-11-24T14:00:00Z')); // 21:00 → 08:00
    assert.equal(withinSendWindow(utc('2026-11-24T05:30:00Z'), MX, CONFIG), utc('2026-11-24T14:00:00Z')); // 23:30 → 08:00
  });

  test('before 08:00 local it moves to 08:00 the same local day', () => {
    assert.equal(withinSendWindow(utc('2026-11-24T08:00:00Z'), MX, CONFIG), utc('2026-11-24T14:00:00Z')); // 02:00 → 08:00
    assert.equal(withinSendWindow(utc('2026-11-24T10:59:00Z'), BR, CONFIG), utc('2026-11-24T11:00:00Z')); // 07:59 → 08:00
  });

  test('the same UTC instant is night in one zone and day in another', () => {
    const instant = utc('2026-11-24T01:30:00Z'); // 19:30 Mexico City, 20:30 Bogotá, 22:30 São Paulo
    assert.equal(withinSendWindow(instant, MX, CONFIG), instant);
    assert.equal(withinSendWindow(instant, CO, CONFIG), instant);
    assert.equal(withinSendWindow(instant, BR, CONFIG), utc('2026-11-24T11:00:00Z'));
  });

  test('the night crosses month and year ends (21:30 on 31 December in São Paulo)', () => {
    assert.equal(withinSendWindow(utc('2027-01-01T00:30:00Z'), BR, CONFIG), utc('2027-01-01T11:00:00Z'));
  });

  test('on a day the clocks go forward, 08:00 is found in the new offset', () => {
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; 08:00 EDT is 12:00 UTC.
    assert.equal(withinSendWindow(utc('2026-03-08T07:30:00Z'), 'America/New_York', CONFIG), utc('2026-03-08T12:00:00Z'));
    assert.equal(localTime(instantAt('America/New_York', 2026, 3, 8, 8), 'America/New_York').hour, 8);
  });
});

describe('userTimeZone', () => {
  test('the user’s own zone wins, then the institution’s country, then Mexico City', () => {
    assert.equal(userTimeZone('Europe/Lisbon', 'ofmockbank_br_retail'), 'Europe/Lisbon');
    assert.equal(userTimeZone(null, 'ofmockbank_br_retail'), BR);
    assert.equal(userTimeZone(null, 'bancolombia_co_retail'), CO);
    assert.equal(userTimeZone(null, 'erebor_mx_retail'), MX);
    assert.equal(userTimeZone(null, 'some_bank'), MX);
    assert.equal(userTimeZone(undefined, null), MX);
  });
});

describe('reminderSchedule', () => {
  test('by default: 24 h and 72 h after the first message, expiry after 7 days', () => {
    const anchorAt = utc('2026-11-23T15:00:00Z'); // 09:00 in Mexico City
    assert.deepEqual(reminderSchedule(aCase({ anchorAt }), MX, CONFIG), {
      reminders: [anchorAt + 24 * HOUR, anchorAt + 72 * HOUR],
      expiresAt: anchorAt + 7 * DAY,
    });
  });

  test('a first message sent late in the evening reminds at 08:00, not at night', () => {
    const anchorAt = utc('2026-11-24T04:00:00Z'); // 22:00 on the 23rd in Mexico City
    assert.deepEqual(reminderSchedule(aCase({ anchorAt }), MX, CONFIG)!.reminders, [
      utc('2026-11-25T14:00:00Z'),
      utc('2026-11-27T14:00:00Z'),
    ]);
  });

  test('the operator’s schedule is followed, and a reminder never outlives the case', () => {
    const anchorAt = utc('2026-11-23T15:00:00Z');
    const config = { ...CONFIG, reminderHours: [1, 48, 200], expiryMs: 3 * DAY };
    assert.deepEqual(reminderSchedule(aCase({ anchorAt }), MX, config), {
      reminders: [anchorAt + HOUR, anchorAt + 48 * HOUR],
      expiresAt: anchorAt + 3 * DAY,
    });
  });

  test('with no reminders configured the case only expires', () => {
    const schedule = reminderSchedule(aCase(), MX, { ...CONFIG, reminderHours: [] });
    assert.deepEqual(schedule!.reminders, []);
  });

  test('a closed case, or one never messaged, has no schedule', () => {
    for (const status of ['resolved', 'failed', 'expired', 'unreachable'] as const) {
      assert.equal(reminderSchedule(aCase({ status }), MX, CONFIG), null, status);
    }
    assert.equal(reminderSchedule(aCase({ anchorAt: null }), MX, CONFIG), null);
  });

  const consent = (dueDate: string | null, webhookCode = 'openfinance_consent_about_to_expire') =>
    aCase({ kind: 'consent', consent: { webhookCode, dueDate } });

  test('a consent about to expire reminds 3 days and 1 day before its due date and lives until then', () => {
    const due = '2026-12-03T18:00:00.000Z'; // 15:00 in São Paulo
    assert.deepEqual(reminderSchedule(consent(due), BR, CONFIG), {
      reminders: [utc(due) - 3 * DAY, utc(due) - DAY],
      expiresAt: utc(due),
    });
  });

  test('a consent reminder that would fall at night waits for 08:00', () => {
    const due = '2026-12-03T02:00:00.000Z'; // 23:00 on 2 December in São Paulo
    assert.deepEqual(reminderSchedule(consent(due), BR, CONFIG)!.reminders, [utc('2026-11-30T11:00:00Z'), utc('2026-12-02T11:00:00Z')]);
  });

  test('a consent reminder already in the past when the first message went out is dropped', () => {
    const due = '2026-11-25T18:00:00.000Z'; // two days after the first message
    const schedule = reminderSchedule(consent(due), BR, CONFIG)!;
    assert.deepEqual(schedule.reminders, [utc(due) - DAY]);
    assert.equal(schedule.expiresAt, utc('2026-11-23T15:00:00Z') + 7 * DAY);
  });

  test('a bare due date is due when that day begins for the user', () => {
    assert.equal(consentDueAt('2026-12-03', BR), utc('2026-12-03T03:00:00Z'));
    assert.deepEqual(reminderSchedule(consent('2026-12-03'), BR, CONFIG)!.reminders, [
      utc('2026-11-30T11:00:00Z'),
      utc('2026-12-02T11:00:00Z'),
    ]);
  });

  test('an expired consent, or one with no usable due date, gets the ordinary schedule', () => {
    const anchorAt = utc('2026-11-23T15:00:00Z');
    const ordinary = [anchorAt + 24 * HOUR, anchorAt + 72 * HOUR];
    assert.deepEqual(reminderSchedule(consent('2026-12-03', 'openfinance_consent_expired'), BR, CONFIG)!.reminders, ordinary);
    assert.deepEqual(reminderSchedule(consent(null), BR, CONFIG)!.reminders, ordinary);
    assert.deepEqual(reminderSchedule(consent('2026-11-01T00:00:00Z'), BR, CONFIG)!.reminders, ordinary);
    assert.deepEqual(reminderSchedule(consent('not a date'), BR, CONFIG)!.reminders, ordinary);
  });
});

describe('reminderStep', () => {
  const anchorAt = utc('2026-11-23T15:00:00Z'); // 09:00 in Mexico City
  const first = anchorAt + 24 * HOUR;
  const second = anchorAt + 72 * HOUR;
  const expiry = anchorAt + 7 * DAY;

  test('waits for the first reminder, sends it when due, then waits for the second', () => {
    assert.deepEqual(reminderStep(aCase(), MX, anchorAt + HOUR, CONFIG), { type: 'wait', at: first });
    assert.deepEqual(reminderStep(aCase(), MX, first, CONFIG), { type: 'remind', remindersSent: 1, next: second });
    assert.deepEqual(reminderStep(aCase({ remindersSent: 1 }), MX, first + 1, CONFIG), { type: 'wait', at: second });
    assert.deepEqual(reminderStep(aCase({ remindersSent: 1 }), MX, second, CONFIG), { type: 'remind', remindersSent: 2, next: expiry });
    assert.deepEqual(reminderStep(aCase({ remindersSent: 2 }), MX, second, CONFIG), { type: 'wait', at: expiry });
  });

  test('expires once the expiry passes, whatever was sent', () => {
    assert.deepEqual(reminderStep(aCase({ remindersSent: 2 }), MX, expiry, CONFIG), { type: 'expire' });
    assert.deepEqual(reminderStep(aCase({ remindersSent: 0 }), MX, expiry + DAY, CONFIG), { type: 'expire' });
  });

  test('reminders missed while no worker ran become one reminder, not several in a row', () => {
    const now = second + 2 * HOUR; // 11:00 in Mexico City
    assert.deepEqual(reminderStep(aCase(), MX, now, CONFIG), { type: 'remind', remindersSent: 2, next: expiry });
  });

  test('a reminder overdue at night waits for 08:00 local', () => {
    const night = utc('2026-11-25T05:00:00Z'); // 23:00 on the 24th in Mexico City, after the first reminder
    assert.deepEqual(reminderStep(aCase(), MX, night, CONFIG), { type: 'wait', at: utc('2026-11-25T14:00:00Z') });
  });

  test('nothing for a resolved case or a case never messaged', () => {
    assert.deepEqual(reminderStep(aCase({ status: 'resolved' }), MX, first, CONFIG), { type: 'none' });
    assert.deepEqual(reminderStep(aCase({ anchorAt: null }), MX, first, CONFIG), { type: 'none' });
  });

  test('nextReminderAt: the next instant of interest, now when something is due, null when never', () => {
    assert.equal(nextReminderAt(aCase(), MX, anchorAt, CONFIG), first);
    assert.equal(nextReminderAt(aCase(), MX, first + 5, CONFIG), first + 5);
    assert.equal(nextReminderAt(aCase({ status: 'resolved' }), MX, anchorAt, CONFIG), null);
  });
});

describe('replannedReminders: the consent\'s due date moved', () => {
  // First message 23 Nov 2026 15:00 UTC; due 3 Dec 18:00 UTC (15:00 in São Paulo): reminders 30 Nov and 2 Dec at 18:00 UTC.
  const consent = (dueDate: string, remindersSent: number) =>
    aCase({ kind: 'consent', remindersSent, consent: { webhookCode: 'openfinance_consent_about_to_expire', dueDate } });

  test('moved later after one reminder: the reminders before the new date come back, and the case lives until it', () => {
    const now = utc('2026-12-01T12:00:00Z');
    const plan = replannedReminders(consent('2026-12-20T18:00:00.000Z', 1), BR, now, CONFIG);
    assert.deepEqual(plan, { remindersSent: 0, nextReminderAt: utc('2026-12-17T18:00:00Z'), expiresAt: utc('2026-12-20T18:00:00Z') });
  });

  test('moved earlier with nothing sent yet: one catch-up reminder now, never a burst', () => {
    const now = utc('2026-11-29T12:00:00Z'); // 09:00 in São Paulo
    const plan = replannedReminders(consent('2026-11-30T18:00:00.000Z', 0), BR, now, CONFIG);
    assert.deepEqual(plan, { remindersSent: 0, nextReminderAt: now, expiresAt: utc('2026-11-30T18:00:00Z') });
    assert.deepEqual(reminderStep({ ...consent('2026-11-30T18:00:00.000Z', 0) }, BR, now, CONFIG), {
      type: 'remind',
      remindersSent: 1,
      next: utc('2026-11-29T18:00:00Z'),
    });
  });

  test('moved a little earlier after the first reminder: that one counts, the next is at its new time', () => {
    const now = utc('2026-11-30T20:00:00Z');
    const plan = replannedReminders(consent('2026-12-02T18:00:00.000Z', 1), BR, now, CONFIG);
    assert.deepEqual(plan, { remindersSent: 1, nextReminderAt: utc('2026-12-01T18:00:00Z'), expiresAt: utc('2026-12-02T18:00:00Z') });
  });

  test('a case never messaged has nothing to plan', () => {
    const plan = replannedReminders({ ...consent('2026-12-20T18:00:00.000Z', 0), anchorAt: null }, BR, utc('2026-11-25T12:00:00Z'), CONFIG);
    assert.deepEqual(plan, { remindersSent: 0, nextReminderAt: null, expiresAt: null });
  });
});
