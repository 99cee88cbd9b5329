// The pages in a real browser on a phone-sized screen (390x844): the flows people go through, under
// the strict CSP, with and without JavaScript; a reload or the back button after a form never
// reaches the bank again; the MFA pages keep the code field in view; pages that make the person
// wait say when and bring the button back; and an axe-core check of every kind of page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, PHONE, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { startPortalTestApp, timelineTypes, type PortalTestApp } from '../support/portal-test-app.ts';


let t: PortalTestApp;
let browser: Browser;

before(async () => {
  t = await startPortalTestApp();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const state = (page: Page) => page.locator('main').getAttribute('data-state');
const putCalls = (linkId: string) => t.belvo.simulator.calls.filter((c) => c.method === 'PUT' && c.linkId === linkId).length;

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><rect width="56" height="56" fill="#0a7"/></svg>';

const consentDetails = () => ({
  consent: {
    consentId: 'c-1',
    webhookCode: 'openfinance_consent_about_to_expire',
    dueDate: '2026-12-26T10:45:58.000Z',
    institutionDisplayName: 'OF Mockbank',
    institutionLogo: 'https://logo.example/ofmockbank.svg',
    message: null,
  },
});

/** The bottom of the element, in CSS pixels from the top of the page as first shown. */
async function bottomOf(page: Page, selector: string): Promise<number> {
  const box = await page.locator(selector).boundingBox();
  assert.ok(box, `${selector} is on the page`);
  return box.y + box.height;
}

describe('in a phone browser', () => {
  test('a wrong password shows the alert, the right one the success page, and the visit is recorded', async () => {
    const { caseId, token } = await t.createCase();
    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    assert.equal(await state(page), 'password');

    const reveal = page.getByRole('button', { name: 'Mostrar contraseña' });
    await reveal.click();
    assert.equal(await page.locator('#password').getAttribute('type'), 'text');
    await reveal.click();
    assert.equal(await page.locator('#password').getAttribute('type'), 'password');

    await page.getByLabel('Tu contraseña de Erebor México').fill('wrong-password');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(page.url(), `${t.url}/r/${token}`, 'the result is a GET of the case page');
    assert.equal(await state(page), 'password');
    assert.match((await page.getByRole('alert').textContent()) ?? '', /no aceptó esa contraseña/);

    await page.getByLabel('Tu contraseña de Erebor México').fill('the-right-one');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    assert.match((await page.locator('h1').textContent()) ?? '', /conectada de nuevo/);

    const types = await timelineTypes(t.db, caseId);
    assert.equal(types[0], 'page_opened', 'the page script reported the visit under the CSP');
    assert.deepEqual(problems, [], 'nothing was refused by the CSP or failed in the page');
    await context.close();
  });

  test('a reload and the back button after a refused password send nothing to the bank again', async () => {
    const { token, linkId } = await t.createCase();
    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    await page.getByLabel('Tu contraseña de Erebor México').fill('wrong-password');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(putCalls(linkId), 1);

    await page.reload();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /no aceptó esa contraseña.*Te quedan 2 intentos/s, 'the result is shown again');
    await page.goBack();
    await page.locator('main[data-state="password"]').waitFor();
    await page.goForward();
    await page.locator('main[data-state="password"]').waitFor();
    await page.reload();
    await page.locator('main[data-state="password"]').waitFor();
    assert.equal(putCalls(linkId), 1, 'one Belvo call, whatever the browser did after it');
    assert.equal((await t.db('cases').where({ link_id: linkId }).first())!.failed_attempts, 1, 'one try spent');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the whole flow works with JavaScript turned off', async () => {
    const { token } = await t.createCase();
    const { context } = await phoneContext(browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    await page.getByLabel('Tu contraseña de Erebor México').fill('mfa');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.locator('main[data-state="mfa"]').waitFor();
    await page.getByLabel('Código').fill('123456');
    await page.getByRole('button', { name: 'Confirmar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    await context.close();
  });

  test('pages fit a 320 px screen with tap targets of at least 44 px', async () => {
    const { token } = await t.createCase({ details: { needsPassword2: true } });
    const { context } = await phoneContext(browser, { viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    for (const target of await page.locator('button:visible, input:visible, a.button').all()) {
      const box = await target.boundingBox();
      assert.ok(box && box.height >= 44, `${await target.evaluate((e) => e.outerHTML.slice(0, 60))} is ${box?.height}px tall`);
    }
    await context.close();
  });
});

describe('the MFA pages on a 390x844 screen', () => {
  test('after the password typed here, the QR page keeps the code field above the fold, our form first', async () => {
    const { token, caseId } = await t.createCase({ user: { email: 'en@example.com', locale: 'en' } });
    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    await page.getByLabel('Your Erebor México password').fill('mfa-qr');
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('main[data-state="mfa"]').waitFor();
    assert.ok(await page.getByRole('img', { name: 'QR code to scan with your Erebor México app' }).isVisible());
    assert.ok((await bottomOf(page, '#token')) <= PHONE.height, 'the code field is visible without scrolling');
    assert.ok((await bottomOf(page, 'form[action$="/token"] button')) <= PHONE.height, 'and so is its button');
    const confirm = page.getByRole('button', { name: 'Confirm' });
    assert.match((await confirm.getAttribute('class')) ?? '', /primary/);
    assert.match((await page.getByRole('button', { name: 'Continue with Belvo' }).getAttribute('class')) ?? '', /secondary/);
    assert.match((await page.locator('.bank-words figcaption').textContent()) ?? '', /In Erebor México's own words:/);
    assert.match((await page.locator('.time-left').textContent()) ?? '', /about 1[12] minutes left/);
    assert.equal(await page.getByLabel('Code').getAttribute('autocomplete'), 'one-time-code');
    await screenshot(page, 'mfa-qr');
    assert.deepEqual(await seriousAxeViolationsWithoutCsp(page.url()), []);
    await page.getByLabel('Code').fill('123456');
    await confirm.click();
    await page.locator('main[data-state="success"]').waitFor();
    assert.equal((await t.db('cases').where({ id: caseId }).first())!.status, 'resolved');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a QR challenge from a webhook, with the widget offered first, still shows the code field above the fold', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: {
        mfa: {
          session: 's',
          expiresAt: t.clock.now() + 600_000,
          tokenGenerationData: { type: 'qr', value: 'otp://sandbox', instructions: 'Escanea el código con tu app' },
        },
      },
    });
    const { context } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    assert.ok((await bottomOf(page, '#token')) <= PHONE.height, 'the code field is visible without scrolling');
    await context.close();
  });

  test('a device approval: no field, no words about typing a code, one button that says it was approved', async () => {
    const { token } = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'inputless', expects_user_input: false } } },
    });
    const { context } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    assert.equal(await page.getByRole('textbox').count(), 0);
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /escribe el código/i);
    assert.ok(await page.getByRole('button', { name: 'Ya lo aprobé' }).isVisible());
    await context.close();
  });
});

describe('a page that makes the person wait', () => {
  test('says when to try again, brings the button back at that time, and leads back to the form', async () => {
    const { token } = await t.createCase();
    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    await page.getByLabel('Tu contraseña de Erebor México').fill('down');
    await page.getByRole('button', { name: 'Reconectar' }).click();
    await page.locator('main[data-state="error"]').waitFor();
    assert.match((await page.locator('.retry-at').textContent()) ?? '', /a partir de las 9:15/);
    assert.ok(await page.locator('main .support').isVisible(), 'how to reach support, as the way forward');
    const retry = page.getByRole('link', { name: 'Intentar de nuevo' });
    assert.equal(await retry.isVisible(), false, 'no button before it makes sense');
    await screenshot(page, 'try-later');

    // Almost time: the page now due in two seconds shows its button by itself.
    t.clock.advance(15 * 60_000 - 2_000);
    await page.reload();
    await retry.waitFor({ state: 'visible' });
    t.clock.advance(2_000);
    await retry.click();
    await page.locator('main[data-state="password"]').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });
});

/** axe-core needs its script in the page, which the CSP refuses: a second context without it. */
async function seriousAxeViolationsWithoutCsp(url: string) {
  const { context } = await phoneContext(browser, { bypassCSP: true });
  await context.route('https://logo.example/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }));
  const page = await context.newPage();
  await page.goto(url);
  const violations = await seriousAxeViolations(page);
  await context.close();
  return violations;
}

describe('axe-core finds no serious or critical problem', () => {
  const pages: Array<[string, () => Promise<string>]> = [
    ['the password page with the second password', async () => `/r/${(await t.createCase({ details: { needsPassword2: true } })).token}`],
    [
      'the MFA page with a QR code',
      async () =>
        `/r/${(await t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'qr', value: 'otp://x', instructions: 'Scan it' } } } })).token}`,
    ],
    [
      'the MFA page after our own password form',
      async () =>
        `/r/${(await t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { type: 'numeric', value: '123', instructions: 'Usa el token' }, source: 'portal' } } })).token}`,
    ],
    [
      'the device-approval MFA page',
      async () =>
        `/r/${(await t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { expects_user_input: false } } } })).token}`,
    ],
    ['the consent page', async () => `/r/${(await t.createCase({ kind: 'consent', details: consentDetails() })).token}`],
    ['the expired-link page', async () => `/r/${(await t.createCase()).expiredToken}`],
    ['the already-fixed page', async () => `/r/${(await t.createCase({ status: 'resolved' })).token}`],
    ['a failed case', async () => `/r/${(await t.createCase({ status: 'failed' })).token}`],
    ['the invalid-link page', async () => '/r/nonsense'],
  ];
  for (const [name, path] of pages) {
    test(name, async () => {
      assert.deepEqual(await seriousAxeViolationsWithoutCsp(`${t.url}${await path()}`), []);
    });
  }

  for (const [password, name] of [
    ['wrong', 'the password page with an alert'],
    ['down', 'the bank-is-down page with when to try again'],
    ['unauthorized', 'the apology when Belvo refuses our keys'],
    ['inactive', 'the page for a bank Belvo no longer supports'],
    ['invalid-link', 'the page for a link that cannot be fixed here'],
    ['timeout', 'the page for a bank that took too long'],
  ] as const) {
    test(name, async () => {
      const { token } = await t.createCase();
      const { context } = await phoneContext(browser, { bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${t.url}/r/${token}`);
      await page.getByLabel(/contraseña de Erebor/).fill(password);
      await page.getByRole('button', { name: 'Reconectar' }).click();
      await page.locator(password === 'wrong' ? '[role="alert"]' : 'main[data-state="error"]').waitFor();
      assert.deepEqual(await seriousAxeViolations(page), []);
      await context.close();
    });
  }
});
