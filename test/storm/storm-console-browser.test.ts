// The storm guard in the operator console, in real headless Chromium: while a bank is held every page
// carries the banner, the case list and case page say the message is held, the storms page lists the
// bank with its counts, and its release (asked, confirmed, CSRF-protected) sends the held e-mails
// through the real SMTP server. Every page is checked with axe-core, on a laptop and on a phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { launchBrowser, screenshot, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { ADMIN_PASSWORD, signedInAgent } from '../support/console-session.ts';
import { getApi, postWebhook, putLink, putUser } from '../support/operator-calls.ts';
import { until } from '../support/send-checks.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 }, isMobile: false, hasTouch: false, locale: 'en-US' };
const BANK = 'erebor_mx_retail';

let t: TestApp;
let smtp: SmtpTestServer;
let browser: Browser;

before(async () => {
  smtp = await startSmtpServer();
  t = await startTestApp({ publicUrlIsServer: true, env: { ADMIN_PASSWORD, SMTP_URL: smtp.url, STORM_GUARD: '2/10m' } });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
  await smtp?.close();
});

/** `n` cases of the bank, each e-mailed or held as the guard decides; their ids. */
async function cases(n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const externalId = `storm-${randomUUID().slice(0, 8)}`;
    const linkId = randomUUID();
    await putUser(t.app, externalId, { email: `${externalId}@example.com`, locale: 'en' }).expect(201);
    await putLink(t.app, linkId, { external_id: externalId, institution: BANK, institution_display_name: 'Erebor' }).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    const [theCase] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
    ids.push(theCase!.id);
  }
  return ids;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${t.url}/admin/sign-in`);
  await page.locator('#password').fill(ADMIN_PASSWORD);
  await page.locator('main form button[type="submit"]').click();
  await page.locator('main[data-page="cases"]').waitFor();
}

describe('a storm in the console', () => {
  let held: number[];
  before(async () => {
    held = (await cases(4)).slice(2);
    assert.equal(smtp.messages.length, 2);
  });

  for (const [device, options] of [
    ['laptop', LAPTOP],
    ['phone', { locale: 'pt-BR' }],
  ] as const) {
    test(`the banner, the held case and the storms page pass axe-core, on a ${device}`, async () => {
      const { context } = await phoneContext(browser, { ...options, bypassCSP: true });
      const page = await context.newPage();
      await signIn(page);
      for (const path of ['/admin/cases', `/admin/cases/${held[0]}`, '/admin/storms', `/admin/storms?confirm=${BANK}`, '/admin/funnel']) {
        await page.goto(`${t.url}${path}`);
        assert.equal(await page.locator('[data-storm-banner]').count(), 1, `${path} has the banner`);
        assert.deepEqual(await seriousAxeViolations(page), [], path);
      }
      await context.close();
    });
  }

  test('a release without the form’s CSRF token is refused', async () => {
    const agent = await signedInAgent(t.app);
    await agent.post(`/admin/storms/${BANK}/release`).type('form').send({ confirm: 'yes' }).expect(403);
    await getApi(t.app, '/storms').expect(200).expect((res) => assert.equal(res.body.storms.length, 1));
  });

  test('the operator sees what is held, releases it with confirmation, and the held e-mails arrive', async () => {
    const { context, problems } = await phoneContext(browser, LAPTOP);
    const page = await context.newPage();
    await signIn(page);
    const banner = page.locator('[data-storm-banner]');
    assert.match((await banner.textContent()) ?? '', /holding messages for 1 bank/);
    const heldRow = page.locator(`.results .case-row[data-case-id="${held[0]}"]`);
    assert.match((await heldRow.locator('.case-summary').textContent()) ?? '', /Message held by the storm guard/);

    await heldRow.getByRole('link').click();
    await page.locator('main[data-page="case"]').waitFor();
    assert.equal(await page.locator('[data-delivery]').first().getAttribute('data-delivery'), 'held');
    assert.match((await page.locator('.timeline').textContent()) ?? '', /held: too many links of this bank broke at once/);

    await banner.getByRole('link').click();
    await page.locator('main[data-page="storms"]').waitFor();
    const row = page.locator(`tr[data-institution="${BANK}"]`);
    assert.equal(await row.locator('[data-held-messages]').textContent(), '2');
    await screenshot(page, 'console-storms');

    await row.locator('[data-action="release"]').click();
    const confirm = page.locator('#confirm');
    await confirm.waitFor();
    assert.match((await confirm.textContent()) ?? '', /2 held messages go out now/);
    await confirm.locator('[data-action="release"]').click();
    await page.getByRole('status').waitFor();
    assert.match((await page.getByRole('status').textContent()) ?? '', /released: 2 messages are on the way/);
    assert.equal(await page.locator('[data-storm-banner]').count(), 0, 'nothing is held any more');
    assert.match((await page.locator('main').textContent()) ?? '', /No bank is on hold/);

    await until(() => smtp.messages.length >= 4, () => t.worker.runOnce());
    for (const id of held) {
      const theCase = (await getApi(t.app, `/cases/${id}`)).body as { status: string; held: boolean; timeline: Array<{ type: string; detail: Record<string, unknown> }> };
      assert.equal(theCase.status, 'notified');
      assert.equal(theCase.held, false);
      assert.deepEqual(theCase.timeline.find((e) => e.type === 'storm_released')?.detail, { by: 'console', operator: 'admin', institution: BANK });
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
});
