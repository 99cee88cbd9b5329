// The pages in a real browser on a phone-sized screen: the flows people go through, under the
// strict CSP, with and without JavaScript, and an axe-core check of every kind of page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phoneContext, seriousAxeViolations } from '../support/browser.ts';
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
    await page.waitForURL(`**/r/${token}/password`);
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

  test('the MFA page shows the challenge and its countdown, and the token resolves the case', async () => {
    const { token, caseId } = await t.createCase({ user: { email: 'en@example.com', locale: 'en' } });
    const { context, problems } = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    await page.getByLabel('Your Erebor México password').fill('mfa-qr');
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('main[data-state="mfa"]').waitFor();
    assert.ok(await page.getByRole('img', { name: 'QR code to scan with your Erebor México app' }).isVisible());
    assert.match((await page.locator('.time-left').textContent()) ?? '', /about 1[12] minutes left/);
    assert.equal(await page.getByLabel('Code').getAttribute('autocomplete'), 'one-time-code');
    await page.getByLabel('Code').fill('123456');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    assert.equal((await t.db('cases').where({ id: caseId }).first()).status, 'resolved');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('the consent page speaks Portuguese, shows the logo and links to the renewal', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com' },
      details: consentDetails(),
    });
    const { context, problems } = await phoneContext(browser);
    await context.route('https://logo.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
    );
    const page = await context.newPage();
    await page.goto(`${t.url}/r/${token}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
    assert.equal(await state(page), 'consent');
    assert.match((await page.locator('.lead').textContent()) ?? '', /vence em 26 de dezembro de 2026/);
    const renew = page.getByRole('link', { name: 'Renovar meu consentimento' });
    assert.equal(await renew.getAttribute('href'), 'https://portal.belvo.example/renew');
    assert.ok(await page.locator('img.institution-logo').evaluate((img: HTMLImageElement) => img.naturalWidth > 0));
    assert.deepEqual(problems, []);
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

describe('axe-core finds no serious or critical problem', () => {
  const pages: Array<[string, () => Promise<string>]> = [
    ['the password page with an alert', async () => `/r/${(await t.createCase({ details: { needsPassword2: true } })).token}`],
    [
      'the MFA page with a QR code',
      async () =>
        `/r/${(await t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'qr', value: 'otp://x', instructions: 'Scan it' } } } })).token}`,
    ],
    [
      'the device-approval MFA page',
      async () =>
        `/r/${(await t.createCase({ kind: 'mfa', details: { mfa: { session: 's', expiresAt: null, tokenGenerationData: { expects_user_input: false } } } })).token}`,
    ],
    ['the consent page', async () => `/r/${(await t.createCase({ kind: 'consent', details: consentDetails() })).token}`],
    ['the expired-link page', async () => `/r/${(await t.createCase()).expiredToken}`],
    ['the already-fixed page', async () => `/r/${(await t.createCase({ status: 'resolved' })).token}`],
    ['the invalid-link page', async () => '/r/nonsense'],
  ];
  for (const [name, path] of pages) {
    test(name, async () => {
      const { context } = await phoneContext(browser, { bypassCSP: true });
      await context.route('https://logo.example/**', (route) =>
        route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
      );
      const page = await context.newPage();
      await page.goto(`${t.url}${await path()}`);
      if (name.includes('alert')) {
        await page.getByLabel(/contraseña de Erebor/).fill('wrong');
        await page.getByLabel('Tu segunda contraseña').fill('x');
        await page.getByRole('button', { name: 'Reconectar' }).click();
        await page.getByRole('alert').waitFor();
      }
      const violations = await seriousAxeViolations(page);
      assert.deepEqual(violations, []);
      await context.close();
    });
  }
});
