import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import express from 'express';
import request from 'supertest';
import type { Clock } from '../../server/clock.ts';
import { createDevInboxChannel } from '../../server/channels/dev-inbox-channel.ts';
import { createBrand } from '../../server/brand/brand.ts';
import { createMessageRenderer } from '../../server/messages/render-message.ts';
import { createDevInboxRouter } from '../../server/sandbox/dev-inbox-routes.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const VIEWS = fileURLToPath(new URL('../../views', import.meta.url));
const PORTAL_URL = 'http://localhost:3000/r/tok_abc-123';
const renderMessage = createMessageRenderer(createBrand({ name: 'Demo Fintech', support: {} }));

function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

function inboxApp(testDb: TestDatabase) {
  const app = express();
  app.set('views', VIEWS);
  app.set('view engine', 'ejs');
  app.use(createDevInboxRouter({ db: testDb.db }));
  return app;
}

describe('dev inbox channel and page', () => {
  let testDb: TestDatabase;
  const START = Date.UTC(2026, 10, 23, 3, 0, 0);

  before(async () => {
    testDb = await createTestDatabase();
  });

  after(async () => {
    await testDb.close();
  });

  beforeEach(async () => {
    await testDb.db('dev_inbox').delete();
  });

  /** An e-mail, then an SMS one second later. */
  async function sendBoth() {
    const clock = manualClock(START);
    const email = createDevInboxChannel('email', testDb.db, clock);
    const sms = createDevInboxChannel('sms', testDb.db, clock);
    const ctx = { template: 'remediation', caseKind: 'credentials', locale: 'es', portalUrl: PORTAL_URL, institutionName: 'BBVA <México>' } as const;
    const sentEmail = await email.send(await renderMessage('email', 'ana@example.com', ctx));
    clock.advance(1_000);
    const sentSms = await sms.send(await renderMessage('sms', '+525512345678', ctx));
    return { sentEmail, sentSms };
  }

  test('a sent message is stored, not sent, under its channel with a dev-inbox id', async () => {
    const { sentEmail, sentSms } = await sendBoth();
    const rows = await testDb.db('dev_inbox').orderBy('id');
    assert.equal(rows.length, 2);
    assert.equal(sentEmail.providerId, `dev-inbox-${rows[0]!.id}`);
    assert.equal(sentSms.providerId, `dev-inbox-${rows[1]!.id}`);
    assert.equal(rows[0]!.channel, 'email');
    assert.equal(rows[0]!.recipient, 'ana@example.com');
    assert.ok(rows[0]!.html?.includes(PORTAL_URL));
    assert.equal(rows[1]!.channel, 'sms');
    assert.equal(rows[1]!.subject, null);
    assert.equal(rows[1]!.html, null);
    assert.equal(Number(rows[0]!.created_at), START);
    assert.equal(Number(rows[1]!.created_at), START + 1_000);
  });

  test('GET /dev/inbox.json lists every message newest first', async () => {
    await sendBoth();
    const res = await request(inboxApp(testDb)).get('/dev/inbox.json').expect(200).expect('content-type', /json/);
    const [sms, email] = res.body.messages;
    assert.equal(res.body.messages.length, 2);
    assert.deepEqual(Object.keys(email).sort(), ['channel', 'created_at', 'html', 'id', 'subject', 'text', 'to', 'whatsapp']);
    assert.equal(email.whatsapp, null);
    assert.equal(sms.channel, 'sms');
    assert.equal(sms.to, '+525512345678');
    assert.ok(sms.text.endsWith(PORTAL_URL));
    assert.equal(email.channel, 'email');
    assert.equal(email.subject, 'Demo Fintech: la conexión de tu cuenta de BBVA <México> dejó de funcionar');
    assert.equal(email.created_at, '2026-11-23T03:00:00.000Z');
    assert.ok(sms.id > email.id);
  });

  test('GET /dev/inbox.json?to= keeps one recipient’s messages', async () => {
    await sendBoth();
    const res = await request(inboxApp(testDb)).get('/dev/inbox.json').query({ to: 'ana@example.com' }).expect(200);
    assert.deepEqual(res.body.messages.map((m: { to: string }) => m.to), ['ana@example.com']);
  });

  test('GET /dev/inbox shows each message as a person would see it, with the portal link clickable', async () => {
    await sendBoth();
    const res = await request(inboxApp(testDb)).get('/dev/inbox').expect(200).expect('content-type', /html/);
    const page = res.text;
    assert.match(page, /<html lang="en">/);
    assert.match(page, /<meta name="viewport"/);
    assert.match(page, /<main[ >]/);
    assert.match(page, /<h1>Dev inbox<\/h1>/);
    assert.ok(page.includes('href="/assets/css/dev-inbox.css"'));
    assert.ok(!/<script|<style|style="/.test(page), 'no inline script or style');
    assert.equal(page.split(`<a href="${PORTAL_URL}">${PORTAL_URL}</a>`).length - 1, 2, 'the link in both messages');
    assert.ok(page.includes('Demo Fintech: la conexión de tu cuenta de BBVA &lt;México&gt; dejó de funcionar'));
    assert.ok(page.includes('+525512345678'));
    assert.ok(page.includes('datetime="2026-11-23T03:00:00.000Z"'));
    assert.ok(page.indexOf('+525512345678') < page.indexOf('ana@example.com'), 'newest first');
    assert.match(page, /href="\/dev\/inbox\/\d+\/html"/);
  });

  test('GET /dev/inbox with no messages says so', async () => {
    const res = await request(inboxApp(testDb)).get('/dev/inbox').expect(200);
    assert.match(res.text, /No messages yet/);
  });

  test('GET /dev/inbox/:id/html serves the e-mail HTML under a sandboxing CSP', async () => {
    await sendBoth();
    const [email] = await testDb.db('dev_inbox').where('channel', 'email');
    const res = await request(inboxApp(testDb)).get(`/dev/inbox/${email!.id}/html`).expect(200).expect('content-type', /html/);
    assert.equal(
      res.headers['content-security-policy'],
      "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:",
    );
    assert.equal(res.text, email!.html);
  });

  test('GET /dev/inbox/:id/html answers 404 for an SMS, an unknown id or a malformed id', async () => {
    await sendBoth();
    const [sms] = await testDb.db('dev_inbox').where('channel', 'sms');
    const app = inboxApp(testDb);
    await request(app).get(`/dev/inbox/${sms!.id}/html`).expect(404);
    await request(app).get('/dev/inbox/999999/html').expect(404);
    await request(app).get('/dev/inbox/abc/html').expect(404);
  });

  test('a WhatsApp message is kept with its template and variables, and shown as a WhatsApp bubble with the link as a button', async () => {
    const templates = { credentials: { '*': `HX${'1'.repeat(32)}` }, mfa: { '*': `HX${'2'.repeat(32)}` }, consent: { '*': `HX${'3'.repeat(32)}` }, reminder: { '*': `HX${'4'.repeat(32)}` }, new_link: { '*': `HX${'5'.repeat(32)}` } };
    const whatsapp = createDevInboxChannel('whatsapp', testDb.db, manualClock(START), templates);
    const ctx = { template: 'remediation', caseKind: 'credentials', locale: 'es', portalUrl: PORTAL_URL, institutionName: 'BBVA México' } as const;
    await whatsapp.send(await renderMessage('whatsapp', '+525512345678', ctx));

    const res = await request(inboxApp(testDb)).get('/dev/inbox.json').expect(200);
    const [message] = res.body.messages;
    assert.equal(message.channel, 'whatsapp');
    assert.equal(message.to, '+525512345678');
    assert.equal(message.text.split(PORTAL_URL).length - 1, 1, 'the link once in the text, as in every message');
    assert.deepEqual(message.whatsapp.content_variables, { '1': 'Demo Fintech', '2': 'BBVA México', '3': PORTAL_URL, '4': 'tok_abc-123' });
    assert.equal(message.whatsapp.content_sid, `HX${'1'.repeat(32)}`);
    assert.equal(message.whatsapp.template, 'credentials');

    const page = (await request(inboxApp(testDb)).get('/dev/inbox').expect(200)).text;
    assert.match(page, /<dd>WhatsApp<\/dd>/);
    assert.match(page, /Hola, te escribe <strong>Demo Fintech<\/strong>\./, 'WhatsApp bold, without the asterisks');
    assert.ok(page.includes('La conexión con BBVA México dejó de funcionar'));
    assert.ok(page.includes(`<a class="whatsapp-button" href="${PORTAL_URL}">Abrir mi enlace</a>`));
    assert.ok(!page.includes(`>${PORTAL_URL}<`), 'the link shows as the button, not as text');
  });
});
