// The operator's events recorded by the changes that cause them, whoever makes them: a case opened
// by Belvo's webhook, notified by the worker, closed by the operator, expired by the reminder task
// or resolved in the portal; a message that failed for good; a link replaced through the widget.
// Each event's data is what the operator's API shows at that moment.
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { saveReminderPlan } from '../../server/cases/case-reminders.ts';
import { transitionCase } from '../../server/cases/case-repository.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startPortalTestApp, type PortalTestApp } from '../support/portal-test-app.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { API_KEY } from '../support/test-app.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';
import { pathOf, startWidget, submitWidget } from '../support/widget-journey.ts';

const WEBHOOK_ENV = { OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/relink', OPERATOR_WEBHOOK_SECRET: newWebhookSecret() };

interface Recorded {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

let t: PortalTestApp;
let smtp: SmtpTestServer;
before(async () => {
  smtp = await startSmtpServer();
  t = await startPortalTestApp({ env: { ...WEBHOOK_ENV, SMTP_URL: smtp.url } });
});
after(async () => {
  await t.close();
  await smtp.close();
});

/** The events recorded since `fromId`, in order. */
async function eventsAfter(fromId: number): Promise<Recorded[]> {
  const rows = (await t.db('webhook_deliveries').where('id', '>', fromId).orderBy('id')) as Array<{ payload: string }>;
  return rows.map((row) => JSON.parse(row.payload) as Recorded);
}

async function lastEventId(): Promise<number> {
  const row = (await t.db('webhook_deliveries').max({ id: 'id' }).first()) as { id: number | null } | undefined;
  return row?.id ?? 0;
}

/**
 * The case as GET /api/cases/:id shows it, without its timeline, nor `held`: whether the storm guard
 * holds a message of the case is the outbox's state, read when the API is asked, not the case's.
 */
async function caseAsApiShows(caseId: number): Promise<Record<string, unknown>> {
  const { timeline: _, held: __, ...shown } = (await getApi(t.app, `/cases/${caseId}`).expect(200)).body as Record<string, unknown>;
  return shown;
}

describe('case events', () => {
  test('a case opened by Belvo\'s webhook, then notified: case.created, then case.updated from open to notified', async () => {
    const since = await lastEventId();
    await putUser(t.app, 'ana', { email: 'ana@example.com' }).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'ana', linkId: randomUUID() })).expect(202);
    await t.worker.runOnce();
    const [created, updated, ...rest] = await eventsAfter(since);
    assert.deepEqual(rest, []);
    assert.equal(created?.type, 'case.created');
    assert.equal(created.data['status'], 'open');
    assert.equal(created.timestamp, new Date(t.clock.now()).toISOString());
    const caseId = created.data['id'] as number;
    assert.equal(updated?.type, 'case.updated');
    assert.equal(updated.data['status'], 'notified');
    assert.deepEqual(updated.data, { ...(await caseAsApiShows(caseId)), previous_status: 'open' });
  });

  test('the operator closing a case: case.updated with the case as the API shows it and its previous status', async () => {
    const { caseId } = await t.createCase();
    const since = await lastEventId();
    await request(t.app).post(`/api/cases/${caseId}/close`).set('Authorization', `Bearer ${API_KEY}`).send({ reason: 'fixed by phone' }).expect(200);
    const events = await eventsAfter(since);
    assert.deepEqual(events.map((e) => e.type), ['case.updated']);
    assert.equal(events[0]!.data['status'], 'closed');
    assert.deepEqual(events[0]!.data, { ...(await caseAsApiShows(caseId)), previous_status: 'notified' });
  });

  test('a case that expires unanswered: case.updated to expired', async () => {
    const { caseId } = await t.createCase({ status: 'notified' });
    // Its first message went out eight days ago, longer than CASE_EXPIRY_DAYS: due for the reminder task now.
    const now = t.clock.now();
    await saveReminderPlan(t.db, caseId, { anchorAt: now - 8 * 86_400_000, remindersSent: 2, nextReminderAt: now, expiresAt: now });
    const since = await lastEventId();
    await t.worker.runOnce();
    const events = (await eventsAfter(since)).filter((e) => e.data['id'] === caseId);
    assert.deepEqual(events.map((e) => [e.type, e.data['previous_status'], e.data['status']]), [['case.updated', 'notified', 'expired']]);
  });

  test('a rolled-back status change records nothing', async () => {
    const { caseId } = await t.createCase();
    const since = await lastEventId();
    await assert.rejects(
      t.db.transaction(async (trx) => {
        assert.equal(await transitionCase(trx, caseId, ['notified'], 'resolved', t.clock.now()), true);
        throw new Error('the rest of the change failed');
      }),
    );
    assert.deepEqual(await eventsAfter(since), []);
    assert.equal((await caseAsApiShows(caseId))['status'], 'notified');
  });
});

describe('message.failed', () => {
  test('an e-mail refused for good, with no other channel: message.failed with the provider\'s code, and the case unreachable', async () => {
    await putUser(t.app, 'bea', { email: 'bea@example.com' }).expect(201);
    smtp.failNext(550);
    const since = await lastEventId();
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'bea', linkId: randomUUID() })).expect(202);
    await t.worker.runOnce();
    const events = await eventsAfter(since);
    const caseId = events[0]!.data['id'];
    assert.deepEqual(
      events.map((e) => e.type),
      ['case.created', 'message.failed', 'case.updated'],
    );
    assert.deepEqual(events[1]!.data, { case_id: caseId, channel: 'email', reason: 'smtp 550' });
    assert.deepEqual([events[2]!.data['previous_status'], events[2]!.data['status']], ['open', 'unreachable']);
    assert.equal(JSON.stringify(events).includes('bea@example.com'), false, 'no contact details in the events');
  });
});

describe('link.replaced', () => {
  test('a consent connected again through the widget: link.replaced with both links, and the case resolved', async () => {
    const { token, caseId, linkId } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com', name: 'Ana Souza', document: { type: 'CPF', number: '52998224725' } },
      details: {
        consent: {
          consentId: 'c-1',
          webhookCode: 'openfinance_consent_with_unrecoverable_resources',
          dueDate: null,
          institutionDisplayName: 'OF Mockbank',
          institutionLogo: null,
          message: null,
        },
      },
    });
    const since = await lastEventId();
    const visit = await startWidget(t, token);
    await fetch(visit.widgetUrl);
    const back = await submitWidget(visit.widgetUrl, { password: 'new-password' });
    const newLinkId = back!.searchParams.get('link')!;
    await visit.agent.get(pathOf(back!)).expect(303);

    const events = await eventsAfter(since);
    // Opening the page first made the case `opened`.
    assert.deepEqual(events.map((e) => e.type), ['case.updated', 'case.updated', 'link.replaced']);
    const shown = await caseAsApiShows(caseId);
    assert.deepEqual(events[1]!.data, { ...shown, previous_status: 'opened' });
    assert.equal(shown['status'], 'resolved');
    assert.deepEqual(events[2]!.data, { old_link_id: linkId, new_link_id: newLinkId, external_id: shown['external_id'] });
  });
});
