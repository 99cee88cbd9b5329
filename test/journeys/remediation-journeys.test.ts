// The product's spine, end to end, as people meet it: Belvo posts a webhook, the worker e-mails the
// user through a real SMTP server, the user opens the link from that e-mail in a phone browser,
// types what the page asks for, and the portal makes the call to (simulated) Belvo.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { launchBrowser, phoneContext } from '../support/browser.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let smtp: SmtpTestServer;
let browser: Browser;

before(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Relink <no-reply@relink.example.com>' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser.close();
  await t.close();
  await smtp.close();
});

/** Registers a user and link, posts the webhook, runs the worker, and returns the link from the e-mail. */
async function linkFromEmail(webhook: { webhook_code: string }, email: string): Promise<string> {
  await t.worker.runOnce();
  const mail = smtp.messages.find((m) => m.to && 'text' in m.to && m.to.text === email);
  assert.ok(mail, `an e-mail reached ${email}`);
  const url = /https:\/\/relink\.example\.com\/r\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
  assert.ok(url, `the e-mail for ${webhook.webhook_code} carries the portal link`);
  // The e-mail names PUBLIC_URL; the browser reaches the same server on loopback.
  return url.replace('https://relink.example.com', t.url);
}

async function newUser(locale: string) {
  const externalId = `user-${randomUUID()}`;
  const email = `${externalId}@example.com`;
  const linkId = randomUUID();
  await putUser(t.app, externalId, { email, locale, name: 'Ana' }).expect(201);
  await putLink(t.app, linkId, { external_id: externalId, institution: 'erebor_mx_retail', institution_display_name: 'Erebor' }).expect(201);
  return { externalId, email, linkId };
}

const state = (page: Page) => page.locator('main').getAttribute('data-state');
const belvoCalls = (linkId: string) => t.simulatorServer!.simulator.calls.filter((c) => c.linkId === linkId);
const caseStatus = async (linkId: string) =>
  ((await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ status: string }>)[0]!.status;

describe('remediation journeys in a phone browser', () => {
  test('invalid_credentials: the e-mailed link asks for the new password, and Belvo gets it', async () => {
    const { externalId, email, linkId } = await newUser('es');
    const webhook = freshSeedWebhook('link-invalid-credentials', { linkId, externalId });
    await postWebhook(t.app, webhook).expect(202);
    const link = await linkFromEmail(webhook, email);

    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(link);
    assert.equal(await state(page), 'password');
    await page.getByLabel(/contraseña/i).fill('my new bank password');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.locator('main[data-state="success"]').waitFor();

    const [put] = belvoCalls(linkId);
    assert.equal(put!.method, 'PUT');
    assert.deepEqual(put!.body, { password: 'my new bank password' });
    assert.equal(await caseStatus(linkId), 'resolved');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('token_required: the page shows the bank challenge, and the token completes Belvo\'s session', async () => {
    const { externalId, email, linkId } = await newUser('pt-BR');
    const mfaSession = t.simulatorServer!.simulator.openMfaSession(linkId, 'numeric');
    const webhook = freshSeedWebhook('link-token-required', { linkId, externalId, mfaSession });
    await postWebhook(t.app, webhook).expect(202);
    const link = await linkFromEmail(webhook, email);

    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(link);
    assert.equal(await state(page), 'mfa');
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
    assert.match((await page.locator('main').textContent()) ?? '', new RegExp(mfaSession.token_generation_data.value!));
    await page.getByLabel('Código').fill('123456');
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.locator('main[data-state="success"]').waitFor();

    const [patch] = belvoCalls(linkId);
    assert.equal(patch!.method, 'PATCH');
    assert.deepEqual(patch!.body, { session: mfaSession.session, token: '123456', link: linkId });
    assert.equal(await caseStatus(linkId), 'resolved');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a password answered with 428 goes straight to the MFA step with the new session', async () => {
    const { externalId, email, linkId } = await newUser('en');
    const webhook = freshSeedWebhook('link-invalid-credentials', { linkId, externalId });
    await postWebhook(t.app, webhook).expect(202);
    const link = await linkFromEmail(webhook, email);

    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel(/password/i).fill('mfa');
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('main[data-state="mfa"]').waitFor();
    await page.getByLabel('Code').fill('123456');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('main[data-state="success"]').waitFor();

    const [put, patch] = belvoCalls(linkId);
    assert.equal(put!.method, 'PUT');
    assert.equal(put!.status, 428);
    assert.equal(patch!.method, 'PATCH');
    assert.equal((patch!.body as { session: string }).session.length, 32);
    assert.equal(await caseStatus(linkId), 'resolved');
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('secrets stay out of the portal', () => {
  test('a canary password and token typed in the browser are nowhere in the logs, the database file or its WAL', async () => {
    const PASSWORD = `Canary-${randomUUID()}`;
    const TOKEN = `${Math.floor(Math.random() * 1e9)}`.padStart(9, '7');
    const { externalId, email, linkId } = await newUser('es');
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    const link = await linkFromEmail({ webhook_code: 'invalid_credentials' }, email);

    const { context } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel(/contraseña/i).fill(`wrong ${PASSWORD}`);
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.locator('[role="alert"]').waitFor();
    const pages = [await page.content()];
    await page.getByLabel(/contraseña/i).fill('mfa');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.getByLabel('Código').fill(TOKEN);
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.locator('[role="alert"]').waitFor();
    pages.push(await page.content());
    await context.close();
    await t.worker.runOnce();

    const sent = JSON.stringify(belvoCalls(linkId).map((c) => c.body));
    assert.ok(sent.includes(PASSWORD) && sent.includes(TOKEN), 'Belvo received both');
    const places: Array<[string, string]> = [['logs', t.logs.join('\n')], ['pages', pages.join('\n')]];
    for (const table of ['events', 'cases', 'case_timeline', 'outbox', 'sessions', 'dev_inbox', 'rate_limits']) {
      places.push([table, JSON.stringify(await t.database.db(table).select())]);
    }
    const file = t.database.file;
    if (file) {
      for (const path of [file, `${file}-wal`]) {
        if (existsSync(path)) places.push([path, readFileSync(path).toString('latin1')]);
      }
    }
    for (const [where, text] of places) {
      assert.ok(!text.includes(PASSWORD), `the password is in ${where}`);
      assert.ok(!text.includes(TOKEN), `the token is in ${where}`);
    }
  });
});
