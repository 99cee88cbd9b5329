// Send-rate limits as the provider sees them: the local SMTP and Twilio-compatible servers record
// when each message arrives, and no one-second window may hold more than the limit, whether one
// worker sends or two share the limit through the database.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { decideSlot, STALE_SLOT_MS } from '../../server/outbox/send-rate.ts';
import { createRuntime } from '../../server/runtime.ts';
import { silentLogger } from '../../server/logger.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { openTestDatabase } from '../support/database.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { busiestSecond, until } from '../support/send-checks.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { startTwilioServer, type TwilioTestServer } from '../support/twilio-test-server.ts';

const EMAIL_RATE = 8;
const SMS_RATE = 3;

describe('decideSlot', () => {
  const now = 100_000;
  test('a send may start while fewer slots than the limit count', () => {
    assert.deepEqual(decideSlot([{ started_at: now - 10, finished_at: null }], now, 2), { take: true });
  });

  test('a slot counts until one second after its send ended, not after it started', () => {
    const slots = [{ started_at: now - 5_000, finished_at: now - 400 }];
    assert.deepEqual(decideSlot(slots, now, 1), { take: false, waitMs: 600 });
    assert.deepEqual(decideSlot(slots, now + 600, 1), { take: true });
  });

  test('while every slot is in flight, the wait is a short poll', () => {
    const decision = decideSlot([{ started_at: now - 10, finished_at: null }], now, 1);
    assert.equal(decision.take, false);
    assert.ok(!decision.take && decision.waitMs <= 25);
  });

  test('a slot whose sender died stops counting once it is stale', () => {
    const abandoned = [{ started_at: now - STALE_SLOT_MS - 1_000, finished_at: null }];
    assert.deepEqual(decideSlot(abandoned, now, 1), { take: true });
  });
});

let smtp: SmtpTestServer;
let twilio: TwilioTestServer;
let t: TestApp;

before(async () => {
  smtp = await startSmtpServer();
  twilio = await startTwilioServer();
  t = await startTestApp({
    env: {
      SMTP_URL: smtp.url,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      EMAIL_RATE_PER_SECOND: String(EMAIL_RATE),
      SMS_RATE_PER_SECOND: String(SMS_RATE),
      STORM_GUARD: 'off',
    },
  });
});
after(async () => {
  await t.close();
  await smtp.close();
  await twilio.close();
});
beforeEach(() => {
  smtp.arrivals.length = 0;
  twilio.arrivals.length = 0;
});

/** Opens `n` credentials cases, each for a user of its own reachable as `contact` says; the worker has not run yet. */
async function queueCases(n: number, contact: (i: number) => Record<string, unknown>): Promise<void> {
  for (let i = 0; i < n; i++) {
    const externalId = `rate-${randomUUID()}`;
    await putUser(t.app, externalId, contact(i)).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId })).expect(202);
  }
}

describe('send-rate limits', () => {
  test('e-mails and SMS drain no faster than their limits: no one-second window at the servers holds more', async () => {
    await queueCases(20, (i) => ({ email: `rate${i}@example.com` }));
    await queueCases(9, (i) => ({ phone: `+52155123400${String(i).padStart(2, '0')}`, channels: ['sms'] }));
    const started = Date.now();
    await until(() => smtp.arrivals.length >= 20 && twilio.arrivals.length >= 9, () => t.worker.runOnce());
    assert.ok(busiestSecond(smtp.arrivals) <= EMAIL_RATE, `e-mail: ${busiestSecond(smtp.arrivals)} in one second`);
    assert.ok(busiestSecond(twilio.arrivals) <= SMS_RATE, `SMS: ${busiestSecond(twilio.arrivals)} in one second`);
    // The limits are used, not undershot: 20 e-mails at 8 a second take between two and three seconds.
    assert.equal(busiestSecond(smtp.arrivals), EMAIL_RATE);
    assert.equal(busiestSecond(twilio.arrivals), SMS_RATE);
    // About 3 s on a quiet machine; the bound only catches a limiter that stalls, and leaves room
    // for a machine busy with other work.
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });

  test('two workers with their own database connections share one limit', async () => {
    const other = openTestDatabase(t.database.url, t.database.schema);
    // The second worker signs its e-mails apart, so that the test sees both workers sent.
    const config = { ...t.config, mailFrom: { name: 'Second worker', address: 'second@relink.example.com' } };
    const second = createRuntime({ config, db: other, clock: t.clock, logger: silentLogger, random: () => 0.5 });
    smtp.messages.length = 0;
    try {
      // The first worker takes the first half and sends it while the second takes the other half.
      await queueCases(16, (i) => ({ email: `pair${i}@example.com` }));
      const firstRound = t.worker.runOnce();
      await queueCases(16, (i) => ({ email: `pair${16 + i}@example.com` }));
      await until(() => smtp.arrivals.length >= 32, () => second.worker.runOnce());
      await firstRound;
      assert.equal(smtp.arrivals.length, 32, 'each message went once');
      const bySecond = smtp.messages.filter((mail) => mail.from?.text.includes('second@relink.example.com')).length;
      assert.ok(bySecond > 0 && bySecond < 32, `both workers sent (the second sent ${bySecond})`);
      assert.ok(busiestSecond(smtp.arrivals) <= EMAIL_RATE, `${busiestSecond(smtp.arrivals)} in one second`);
    } finally {
      await second.worker.stop();
      await other.destroy();
    }
  });
});
