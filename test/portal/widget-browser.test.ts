// The journeys through Belvo's Connect widget in a real phone-sized browser, under the portal's
// strict CSP, with the simulator's hosted-widget stand-in on its own loopback origin: success,
// exit, a forged success callback, the consent renewal page in Portuguese, and connecting again
// after a consent's accounts are gone. Each journey saves a screenshot for the README.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { startPortalTestApp, type PortalTestApp } from '../support/portal-test-app.ts';
import { tokenCalls, type TokenRequest } from '../support/widget-journey.ts';

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><rect width="56" height="56" fill="#0a7"/></svg>';

let t: PortalTestApp;
let browser: Browser;
before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  t = await startPortalTestApp({ publicUrlIsServer: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const state = (page: Page) => page.locator('main').getAttribute('data-state');
const statusOf = async (caseId: number) => (await t.db('cases').where({ id: caseId }).first()).status as string;
const screenshot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

function consentDetails(webhookCode: string) {
  return {
    consent: {
      consentId: 'c-1',
      webhookCode,
      dueDate: '2026-11-26T02:30:00.000Z',
      institutionDisplayName: 'OF Mockbank',
      institutionLogo: 'https://logo.example/ofmockbank.svg',
      message: null,
    },
  };
}

async function openCase(token: string, options: { bypassCSP?: boolean } = {}) {
  const { context, problems } = await phoneContext(browser, options);
  await context.route('https://logo.example/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }));
  const page = await context.newPage();
  await page.goto(`${t.url}/r/${token}`);
  return { context, problems, page };
}

describe('the Connect widget in a phone browser', () => {
  test('success: "Continuar con Belvo", the password in the widget, and the case is resolved', async () => {
    const { token, caseId } = await t.createCase();
    const { context, problems, page } = await openCase(token);
    await screenshot(page, 'password');
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.locator('main[data-widget-step="password"]').waitFor();
    assert.match((await page.locator('h1').textContent()) ?? '', /erebor_mx_retail/);
    await screenshot(page, 'widget');
    await page.getByLabel('Contraseña').fill('new-password');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    assert.equal(await statusOf(caseId), 'resolved');
    assert.deepEqual(problems, [], 'the CSP let the form go to the widget, and nothing failed');
    await context.close();
  });

  test('MFA in the widget: the password, then the code, then the case is resolved', async () => {
    const { token, caseId } = await t.createCase({
      kind: 'mfa',
      details: { mfa: { session: 's', expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'numeric', value: '12345' } } },
    });
    const { context, page } = await openCase(token);
    await screenshot(page, 'mfa');
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.getByLabel('Contraseña').fill('mfa');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByLabel(/Código de seguridad/).fill('123456');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    assert.equal(await statusOf(caseId), 'resolved');
    await context.close();
  });

  test('exit: back on the case page with a status message, the case still open', async () => {
    const { token, caseId } = await t.createCase();
    const { context, problems, page } = await openCase(token);
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.waitForURL(`**/r/${token}?widget=exited`);
    assert.equal(await state(page), 'password');
    assert.match((await page.getByRole('status').textContent()) ?? '', /Saliste de la ventana de Belvo/);
    assert.equal(await statusOf(caseId), 'opened');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('a forged success callback does not close the case', async () => {
    const { token, caseId, linkId } = await t.createCase();
    const { context, page } = await openCase(token);
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.locator('main[data-widget-step="password"]').waitFor();
    const callbacks = (tokenCalls(t).at(-1)!.body as TokenRequest).widget.callback_urls;
    // Instead of logging in at the bank, go straight to the success callback, as a forger would.
    await page.goto(`${callbacks.success}?link=${linkId}&institution=erebor_mx_retail`);
    await page.waitForURL(`**/r/${token}?widget=notConfirmed`);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /No pudimos confirmar con Belvo/);
    assert.equal(await statusOf(caseId), 'opened');
    await context.close();
  });
});

describe('the consent journeys in a phone browser', () => {
  test('the renewal page in Portuguese: the due date in São Paulo time and the days left', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com' },
      details: consentDetails('openfinance_consent_about_to_expire'),
    });
    const { context, problems, page } = await openCase(token);
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
    assert.match((await page.locator('.lead').textContent()) ?? '', /vence em 25 de novembro de 2026/);
    assert.equal(await page.locator('.days-left').textContent(), 'Faltam 2 dias.');
    assert.ok(await page.getByRole('link', { name: 'Renovar meu consentimento' }).isVisible());
    await screenshot(page, 'consent-pt-BR');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('connecting again after the accounts are gone: a new link, recorded on the case', async () => {
    const { token, caseId, linkId } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com' },
      details: consentDetails('openfinance_consent_with_unrecoverable_resources'),
    });
    const { context, problems, page } = await openCase(token);
    assert.match((await page.locator('h1').textContent()) ?? '', /Sua conexão com o banco OF Mockbank terminou/);
    await screenshot(page, 'reconnect');
    await page.getByRole('button', { name: 'Conectar novamente' }).click();
    assert.equal((tokenCalls(t).at(-1)!.body as TokenRequest).link_id, undefined);
    await page.getByLabel('Senha').fill('new-password');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    const stored = await t.db('cases').where({ id: caseId }).first();
    const details = typeof stored.details === 'string' ? JSON.parse(stored.details) : stored.details;
    assert.equal(stored.status, 'resolved');
    assert.match(details.newLinkId, /^[0-9a-f-]{36}$/);
    assert.notEqual(details.newLinkId, linkId);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('axe-core finds no serious or critical problem', () => {
  const pages: Array<[string, () => Promise<string>]> = [
    ['the password page with the widget offer', async () => `/r/${(await t.createCase()).token}`],
    ['the page after leaving the widget', async () => `/r/${(await t.createCase()).token}?widget=exited`],
    ['the page after a widget error', async () => `/r/${(await t.createCase()).token}?widget=failed`],
    [
      'the consent page that offers to connect again',
      async () => `/r/${(await t.createCase({ kind: 'consent', details: consentDetails('openfinance_consent_with_unrecoverable_resources') })).token}`,
    ],
  ];
  for (const [name, path] of pages) {
    test(name, async () => {
      const { context, page } = await openCase((await path()).replace(/^\/r\//, ''), { bypassCSP: true });
      assert.deepEqual(await seriousAxeViolations(page), []);
      await context.close();
    });
  }
});
