// The console in real headless Chromium, on a laptop and on a phone, under the strict CSP: signing
// in, searching, a case page, resending (the second e-mail arrives through a real SMTP server and its
// link works), closing (the link stops working), and the funnel with numbers known in advance, built
// with the test's clock. Every page is checked with axe-core; the screenshots go to README.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { ParsedMail } from 'mailparser';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { launchBrowser, screenshot, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { ADMIN_PASSWORD } from '../support/console-session.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const MINUTE = 60_000;
const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, isMobile: false, hasTouch: false, locale: 'en-US' };

let t: TestApp;
let smtp: SmtpTestServer;
let browser: Browser;

before(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({
    publicUrlIsServer: true,
    env: { ADMIN_PASSWORD, SMTP_URL: smtp.url, MAIL_FROM: 'Relink <no-reply@relink.example.com>' },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

const dataPage = (page: Page) => page.locator('main').getAttribute('data-page');

async function signIn(page: Page): Promise<void> {
  await page.goto(`${t.url}/admin/sign-in`);
  await page.locator('#password').fill(ADMIN_PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  await page.locator('main[data-page="cases"]').waitFor();
}

/** A registered person whose case the worker has e-mailed through the SMTP server; the portal link from that e-mail. */
async function emailedCase(person: Record<string, unknown>, institution = 'erebor_mx_retail') {
  const externalId = `cust-${randomUUID().slice(0, 8)}`;
  const linkId = randomUUID();
  await putUser(t.app, externalId, { locale: 'en', ...person }).expect(201);
  await putLink(t.app, linkId, { external_id: externalId, institution, institution_display_name: 'Erebor' });
  await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
  await t.worker.runOnce();
  const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
  return { caseId: theCase!.id, linkId, externalId };
}

const mailsTo = (address: string) => smtp.messages.filter((m) => m.to && 'text' in m.to && m.to.text === address);
const linkIn = (mail: ParsedMail | undefined) => new RegExp(`${t.url}/r/[A-Za-z0-9_-]{35}`).exec(mail?.text ?? '')?.[0];

async function timelineTypes(caseId: number): Promise<string[]> {
  return ((await getApi(t.app, `/cases/${caseId}`)).body.timeline as Array<{ type: string }>).map((e) => e.type);
}

/** Waits for a condition the app reaches on its own (a page's script reporting a visit, say). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the funnel, with numbers known in advance', () => {
  // Six cases on one day, well before every other case of this file:
  // A, B: e-mailed, opened, fixed 30 and 90 minutes after the message; C: texted, opened only;
  // D: e-mailed, its link fetched by a mail scanner, fixed outside the portal 4 hours later;
  // E: the e-mail bounced (550) and there is no phone; F: nobody is registered for the link.
  const DAY_START = Date.UTC(2026, 9, 5, 0, 0);
  const T = Date.UTC(2026, 9, 5, 9, 0);

  test('counts each stage, leaves out the scanner, and shows the median time to fix', async () => {
    t.clock.set(T);
    smtp.failNext(550);
    const e = await emailedCase({ email: 'e.bounce@example.com' });
    assert.equal(mailsTo('e.bounce@example.com').length, 0);
    const a = await emailedCase({ email: 'a.funnel@example.com' });
    const b = await emailedCase({ email: 'b.funnel@example.com' });
    const c = await emailedCase({ phone: '+5215500001111', channels: ['sms'] });
    const d = await emailedCase({ email: 'd.funnel@example.com' });
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId: randomUUID(), externalId: 'nobody-registered' })).expect(202);
    await t.worker.runOnce();
    assert.equal((await getApi(t.app, `/cases/${e.caseId}`)).body.status, 'unreachable');

    // A mail scanner fetches D's link: a GET, no script, nothing recorded.
    const scanned = await fetch(linkIn(mailsTo('d.funnel@example.com')[0])!);
    assert.equal(scanned.status, 200);

    t.clock.set(T + 10 * MINUTE);
    const { context } = await phoneContext(browser, { locale: 'en-US' });
    const smsRow = await t.database.db('dev_inbox').where({ recipient: '+5215500001111' }).first();
    const links = {
      a: linkIn(mailsTo('a.funnel@example.com')[0])!,
      b: linkIn(mailsTo('b.funnel@example.com')[0])!,
      c: new RegExp(`${t.url}/r/[A-Za-z0-9_-]{35}`).exec(smsRow!.text)![0],
    };
    const pages: Record<string, Page> = {};
    for (const [name, link] of Object.entries(links)) {
      pages[name] = await context.newPage();
      await pages[name]!.goto(link);
    }
    for (const { caseId } of [a, b, c]) {
      await eventually(async () => (await timelineTypes(caseId)).includes('page_opened'), `case ${caseId} to be opened`);
    }

    for (const [name, minutes] of [['a', 30], ['b', 90]] as const) {
      t.clock.set(T + minutes * MINUTE);
      await pages[name]!.locator('#password').fill('my new bank password');
      await pages[name]!.getByRole('button', { name: 'Reconnect' }).click();
      await pages[name]!.locator('main[data-state="success"]').waitFor();
    }
    await context.close();

    t.clock.set(T + 4 * 60 * MINUTE);
    await postWebhook(t.app, freshSeedWebhook('accounts-historical-update', { linkId: d.linkId })).expect(202);
    await t.worker.runOnce();
    assert.equal((await getApi(t.app, `/cases/${d.caseId}`)).body.status, 'resolved');
    assert.ok(!(await timelineTypes(d.caseId)).includes('page_opened'), 'the scanner did not count');

    const laptop = await phoneContext(browser, LAPTOP);
    const page = await laptop.context.newPage();
    await signIn(page);
    const day = new Date(DAY_START).toISOString().slice(0, 10);
    await page.getByRole('link', { name: 'Funnel' }).click();
    await page.locator('#from').fill(day);
    await page.locator('#to').fill(day);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.locator('main[data-page="funnel"] .funnel').waitFor();

    const count = (stage: string) => page.locator(`[data-stage="${stage}"] .stage-count`).textContent();
    assert.deepEqual(
      {
        created: await count('created'),
        messaged: await count('messaged'),
        delivered: await count('delivered'),
        opened: await count('opened'),
        submitted: await count('submitted'),
        resolved: await count('resolved'),
      },
      { created: '6', messaged: '5', delivered: '4', opened: '3', submitted: '2', resolved: '3' },
    );
    assert.equal(await page.locator('.median-value').textContent(), '1 h 30 min');
    assert.match((await page.locator('.report').textContent()) ?? '', /1 case was fixed outside the portal/);
    const channels = page.locator('[data-breakdown="channel"] tbody tr');
    assert.deepEqual(await channels.locator('th').allTextContents(), ['e-mail', 'SMS', 'No message']);
    assert.equal(await channels.first().locator('td').first().textContent(), '4');
    assert.equal(await page.locator('[data-stage="resolved"] .bar-fill').getAttribute('width'), '50');
    await screenshot(page, 'console-funnel');
    assert.deepEqual(laptop.problems, []);
    await laptop.context.close();
  });

  after(() => t.clock.set(Date.UTC(2026, 10, 23, 15, 0)));
});

describe('on a laptop', () => {
  test('signing in: a wrong password is refused with an alert, the right one opens the cases', async () => {
    const { context, problems } = await phoneContext(browser, LAPTOP);
    const page = await context.newPage();
    await page.goto(`${t.url}/admin`);
    assert.equal(await dataPage(page), 'sign-in');
    await page.locator('#password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /not right/);
    await page.locator('#password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main[data-page="cases"]').waitFor();
    assert.equal(new URL(page.url()).pathname, '/admin/cases');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('search finds a person by e-mail; the case page masks their contact until asked, and records the asking', async () => {
    const { caseId, linkId } = await emailedCase({ email: 'lucia.search@example.com', phone: '+5215587654321', name: 'Lucía' });
    await emailedCase({ email: 'someone.else@example.com' });
    t.clock.advance(2 * 60 * MINUTE);
    const { context, problems } = await phoneContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page);
    assert.ok(await page.locator('.attention .case-row').count() > 0, 'the bounced and the unknown cases of the funnel need attention');
    await screenshot(page, 'console-cases');
    await page.getByLabel('Search').fill('lucia.search');
    await page.getByRole('button', { name: 'Show cases' }).click();
    const rows = page.locator('.results .case-row');
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', new RegExp(linkId));
    assert.match((await rows.first().locator('.case-summary').textContent()) ?? '', /Messaged 2 hours ago by e-mail/);

    await rows.first().getByRole('link').click();
    await page.locator('main[data-page="case"]').waitFor();
    const person = page.locator('#person');
    assert.match((await person.textContent()) ?? '', /l•••@example\.com/);
    assert.doesNotMatch((await person.textContent()) ?? '', /lucia\.search@example\.com/);
    assert.equal(await page.locator('[data-delivery]').first().getAttribute('data-delivery'), 'sent');
    await screenshot(page, 'console-case');

    await page.locator('[data-action="reveal-contact"]').click();
    await page.getByRole('status').waitFor();
    assert.match((await person.textContent()) ?? '', /lucia\.search@example\.com/);
    assert.match((await page.locator('.timeline').textContent()) ?? '', /Full contact shown to admin \(console\)/);
    assert.equal((await timelineTypes(caseId)).at(-1), 'contact_revealed');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('resend: after confirming, a second e-mail arrives through SMTP and its fresh link opens the case', async () => {
    const { caseId } = await emailedCase({ email: 'resend.me@example.com' });
    // A minute later, so that the new link's expiry, and so the link itself, differs from the first.
    t.clock.advance(MINUTE);
    const { context, problems } = await phoneContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${t.url}/admin/cases/${caseId}`);
    await page.locator('[data-action="resend"]').click();
    await page.locator('#confirm').waitFor();
    assert.equal(await page.getByLabel('e-mail to r•••@example.com').isChecked(), true);
    assert.equal(mailsTo('resend.me@example.com').length, 1, 'nothing is sent before the confirmation');
    await page.locator('[data-action="resend"]').click();
    assert.match((await page.getByRole('status').textContent()) ?? '', /Message queued: it goes out by e-mail/);

    await t.worker.runOnce();
    const mails = mailsTo('resend.me@example.com');
    assert.equal(mails.length, 2);
    const fresh = linkIn(mails[1]);
    assert.ok(fresh && fresh !== linkIn(mails[0]));
    await page.goto(fresh);
    assert.equal(await page.locator('main').getAttribute('data-state'), 'password');
    await page.goto(`${t.url}/admin/cases/${caseId}`);
    assert.match((await page.locator('.timeline').textContent()) ?? '', /Message sent again by e-mail, asked by admin \(console\)/);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('on a phone, in Spanish', () => {
  test('close: after confirming with a reason, the case is closed and the link in the e-mail stops working', async () => {
    const { caseId } = await emailedCase({ email: 'close.me@example.com', locale: 'es' });
    const link = linkIn(mailsTo('close.me@example.com')[0])!;
    const { context, problems } = await phoneContext(browser, { locale: 'es-MX' });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${t.url}/admin/cases/${caseId}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    await screenshot(page, 'console-case-phone');
    await page.locator('[data-action="close"]').click();
    await page.getByLabel('Motivo (opcional)').fill('La persona ya lo resolvió por teléfono');
    await page.locator('[data-action="close"]').click();
    assert.match((await page.getByRole('status').textContent()) ?? '', /Caso cerrado/);
    assert.equal(await page.locator('[data-status]').getAttribute('data-status'), 'closed');
    assert.equal(await page.locator('[data-action="resend"]').count(), 0);

    await page.goto(link);
    assert.equal(await page.locator('main').getAttribute('data-state'), 'expired');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('every page fits a 360 px screen', async () => {
    const { caseId } = await emailedCase({ email: 'narrow@example.com', phone: '+5215500002222' });
    const { context } = await phoneContext(browser, { viewport: { width: 360, height: 740 }, locale: 'es-MX' });
    const page = await context.newPage();
    await signIn(page);
    for (const path of ['/admin/cases', `/admin/cases/${caseId}`, `/admin/cases/${caseId}?confirm=resend`, '/admin/funnel']) {
      await page.goto(`${t.url}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`);
    }
    await context.close();
  });
});

describe('axe-core finds no serious or critical problem', () => {
  const pages: Array<[string, () => Promise<string>]> = [
    ['the sign-in page', async () => '/admin/sign-in?notice=wrong_password'],
    ['the case list with needs-attention', async () => '/admin/cases'],
    ['a case', async () => `/admin/cases/${(await emailedCase({ email: 'axe@example.com', phone: '+5215500003333' })).caseId}`],
    ['a case asking to confirm a resend', async () => `/admin/cases/${(await emailedCase({ email: 'axe2@example.com' })).caseId}?confirm=resend`],
    ['a case asking to confirm a close', async () => `/admin/cases/${(await emailedCase({ email: 'axe3@example.com' })).caseId}?confirm=close`],
    ['the funnel', async () => '/admin/funnel?from=2026-10-01&to=2026-10-31'],
    ['the not-found page', async () => '/admin/cases/999999'],
  ];
  for (const [name, path] of pages) {
    for (const [device, options] of [
      ['laptop', LAPTOP],
      ['phone', { locale: 'pt-BR' }],
    ] as const) {
      test(`${name}, on a ${device}`, async () => {
        const { context } = await phoneContext(browser, { ...options, bypassCSP: true });
        const page = await context.newPage();
        const target = await path();
        if (!target.startsWith('/admin/sign-in')) await signIn(page);
        await page.goto(`${t.url}${target}`);
        assert.deepEqual(await seriousAxeViolations(page), []);
        await context.close();
      });
    }
  }
});
