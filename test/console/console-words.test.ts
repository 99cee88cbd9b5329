// The console's small pure parts: masks, summaries, durations, the sign-in's "next", and that every
// language has every sentence.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TIMELINE_TYPES } from '../../server/cases/case-types.ts';
import type { CaseMessage } from '../../server/console/case-messages.ts';
import { deliveryState } from '../../server/console/case-messages.ts';
import { caseSummary } from '../../server/console/case-summary.ts';
import { consoleCopyFor } from '../../server/console/console-copy.ts';
import { consoleFormat } from '../../server/console/console-format.ts';
import { safeNext } from '../../server/console/console-sign-in.ts';
import { maskEmail, maskPhone } from '../../server/console/contact-mask.ts';
import { LOCALES } from '../../server/i18n/locale.ts';
import { aCase, T0 } from '../support/records.ts';

const HOUR = 3_600_000;

function aMessage(overrides: Partial<CaseMessage> = {}): CaseMessage {
  return {
    id: 1,
    caseId: 7,
    template: 'remediation',
    channel: 'sms',
    state: 'done',
    attempts: 1,
    createdAt: T0,
    sentAt: T0,
    confirmed: null,
    lastError: null,
    ...overrides,
  };
}

const en = consoleCopyFor('en');
const enFormat = consoleFormat('en', en);

describe('contact masks', () => {
  test('show enough to recognise, not to copy', () => {
    assert.equal(maskEmail('ana.maria@example.com'), 'a•••@example.com');
    assert.equal(maskEmail('a@example.com'), '•••@example.com');
    assert.equal(maskPhone('+5215512345678'), '+52•••5678');
  });
});

describe('case summaries', () => {
  test('the issue’s example: messaged by SMS, opened, one wrong password', () => {
    const summary = caseSummary(
      { theCase: aCase({ failedAttempts: 1, status: 'opened' }), messages: [aMessage()], opened: true, now: T0 + 2 * HOUR },
      en,
      enFormat,
    );
    assert.equal(summary, 'Messaged 2 hours ago by SMS, opened, 1 wrong password');
  });

  test('in Spanish and Portuguese too', () => {
    const input = { theCase: aCase({ failedAttempts: 2, kind: 'mfa' as const }), messages: [aMessage()], opened: true, now: T0 + 2 * HOUR };
    const es = consoleCopyFor('es');
    assert.equal(caseSummary(input, es, consoleFormat('es', es)), 'Avisado hace 2 horas por SMS, visto, 2 códigos incorrectos');
    const pt = consoleCopyFor('pt-BR');
    assert.equal(caseSummary(input, pt, consoleFormat('pt-BR', pt)), 'Avisado há 2 horas por SMS, visto, 2 códigos errados');
  });

  test('says when no message reached the person, and how the case ended', () => {
    const say = (theCase: ReturnType<typeof aCase>, messages: CaseMessage[]) =>
      caseSummary({ theCase, messages, opened: false, now: T0 + HOUR }, en, enFormat);
    assert.equal(say(aCase({ status: 'open' }), []), 'Not messaged yet');
    assert.equal(say(aCase({ status: 'open' }), [aMessage({ state: 'pending', sentAt: null, attempts: 0 })]), 'Message waiting to go out');
    assert.equal(say(aCase({ status: 'unreachable' }), [aMessage({ state: 'failed', sentAt: null, channel: 'email' })]), 'Message by e-mail failed, no way to reach the person');
    assert.equal(say(aCase(), [aMessage({ state: 'failed' })]), 'SMS not delivered');
    assert.equal(say(aCase({ status: 'unreachable' }), []), 'No way to reach the person');
    assert.equal(say(aCase({ status: 'resolved', closedAt: T0 + HOUR }), [aMessage()]), 'Messaged 1 hour ago by SMS, fixed now');
  });
});

describe('delivery states', () => {
  test('from the outbox row and what the provider reported', () => {
    assert.equal(deliveryState(aMessage({ state: 'pending', sentAt: null, attempts: 0 })), 'queued');
    assert.equal(deliveryState(aMessage({ state: 'pending', sentAt: null, attempts: 2 })), 'retrying');
    assert.equal(deliveryState(aMessage({ state: 'failed', sentAt: null })), 'failed');
    assert.equal(deliveryState(aMessage({ state: 'done', sentAt: null })), 'skipped');
    assert.equal(deliveryState(aMessage()), 'sent');
    assert.equal(deliveryState(aMessage({ confirmed: 'delivered' })), 'delivered');
    assert.equal(deliveryState(aMessage({ confirmed: 'read' })), 'read');
    assert.equal(deliveryState(aMessage({ state: 'failed' })), 'undelivered', 'accepted, then reported undelivered');
  });
});

describe('durations', () => {
  test('days and hours, hours and minutes, or minutes', () => {
    assert.equal(enFormat.duration(30_000), 'under a minute');
    assert.equal(enFormat.duration(45 * 60_000), '45 min');
    assert.equal(enFormat.duration(90 * 60_000), '1 h 30 min');
    assert.equal(enFormat.duration(2 * HOUR), '2 h');
    assert.equal(enFormat.duration(52 * HOUR), '2 d 4 h');
  });
});

describe('where sign-in leads', () => {
  test('only to a console page', () => {
    assert.equal(safeNext('/admin/cases/12'), '/admin/cases/12');
    assert.equal(safeNext('/admin/cases?q=ana%40example.com&status=open'), '/admin/cases?q=ana%40example.com&status=open');
    for (const bad of ['//evil.example', '/admin//evil.example', 'https://evil.example/admin', '/r/token', '/admin/sign-in', '/admin/../r', undefined, 42]) {
      assert.equal(safeNext(bad), undefined, String(bad));
    }
  });
});

describe('the copy', () => {
  test('every language words every timeline entry', () => {
    for (const locale of LOCALES) {
      const copy = consoleCopyFor(locale);
      const missing = TIMELINE_TYPES.filter((type) => copy.timeline[type] === undefined);
      assert.deepEqual(missing, [], locale);
    }
  });
});
