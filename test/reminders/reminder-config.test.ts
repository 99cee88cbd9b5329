import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';

const base = { NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'relink-config-')), APP_SECRET: 'x'.repeat(40) };

describe('reminder configuration', () => {
  test('defaults: reminders after 24 h and 72 h, consent reminders 3 and 1 days before, expiry after 7 days', () => {
    const { reminders } = loadConfig(base);
    assert.deepEqual(reminders.reminderHours, [24, 72]);
    assert.deepEqual(reminders.consentReminderDays, [3, 1]);
    assert.equal(reminders.expiryMs, 7 * 86_400_000);
  });

  test('the operator sets the schedule in any order, or none at all', () => {
    const { reminders } = loadConfig({ ...base, REMINDER_SCHEDULE_HOURS: '48, 12', CONSENT_REMINDER_DAYS: 'none', CASE_EXPIRY_DAYS: '3' });
    assert.deepEqual(reminders.reminderHours, [12, 48]);
    assert.deepEqual(reminders.consentReminderDays, []);
    assert.equal(reminders.expiryMs, 3 * 86_400_000);
  });

  test('a bad value stops start-up and names the variable', () => {
    assert.throws(() => loadConfig({ ...base, REMINDER_SCHEDULE_HOURS: '24,soon' }), /REMINDER_SCHEDULE_HOURS/);
    assert.throws(() => loadConfig({ ...base, CONSENT_REMINDER_DAYS: '-1' }), /CONSENT_REMINDER_DAYS/);
    assert.throws(() => loadConfig({ ...base, CASE_EXPIRY_DAYS: '0' }), /CASE_EXPIRY_DAYS/);
  });
});
