// The journeys through Belvo's Connect widget and My Belvo Portal in a real phone-sized browser,
// under the portal's strict CSP, with the simulator's hosted-widget stand-in on its own loopback
// origin speaking Belvo's flat callback parameters: success, exit, an error, a forged success
// callback; renewing a consent with and without the user's CPF; connecting again after a
// consent's accounts are gone, with and without it. Each journey saves a screenshot for the README.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { startPortalTestApp, timelineTypes, type PortalTestApp } from '../support/portal-test-app.ts';
import { tokenCalls, type TokenRequest } from '../support/widget-journey.ts';

const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="56"><rect width="56" height="56" fill="#0a7"/></svg>';

let t: PortalTestApp;
let browser: Browser;
before(async () => {
  t = await startPortalTestApp({ publicUrlIsServer: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const statusOf = async (caseId: number) => (await t.db('cases').where({ id: caseId }).first())!.status as string;

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

/** A user the operator registered with their CPF and full name. */
const WITH_CPF = { email: 'br@example.com', name: 'Ana Souza', document: { type: 'CPF' as const, number: '52998224725' } };

/** My Belvo Portal stands in on its own host; the context reaches nothing outside loopback otherwise. */
const MY_BELVO_PORTAL = 'https://meuportal.belvo.example/';
const MY_BELVO_PORTAL_PAGE =
  '<!doctype html><html lang="pt-BR"><title>My Belvo Portal</title><main><h1>My Belvo Portal</h1></main></html>';

async function openCase(token: string, options: { bypassCSP?: boolean } = {}) {
  const { context, problems } = await phoneContext(browser, options);
  await context.route('https://logo.example/**', (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }));
  await context.route(`${MY_BELVO_PORTAL}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: MY_BELVO_PORTAL_PAGE }));
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

  test('exit: Belvo\'s flat parameters, back on the case page with a status message, the case still open', async () => {
    const { token, caseId } = await t.createCase();
    const { context, problems, page } = await openCase(token);
    const callbacks: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/widget/') && request.url().includes('/exit')) callbacks.push(new URL(request.url()));
    });
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.getByLabel('Contraseña').fill('wrong-once');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.locator('main[data-state="password"] [role="status"]').waitFor();
    assert.equal(page.url(), `${t.url}/r/${token}`);
    assert.deepEqual([...callbacks[0]!.searchParams.keys()].sort(), [
      'last_encountered_error_code',
      'last_encountered_error_message',
      'meta_data_institution_name',
      'meta_data_step',
    ]);
    const exit = await t.db('case_timeline').where({ case_id: caseId, type: 'widget_exit' }).first();
    const detail = JSON.parse(exit?.detail ?? 'null');
    assert.equal(detail.code, 'login_error');
    assert.equal(detail.step, 'abandonSurvey');
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
    await page.waitForURL(`**/r/${token}`);
    assert.match((await page.getByRole('alert').textContent()) ?? '', /No pudimos confirmar con Belvo/);
    assert.equal(await statusOf(caseId), 'opened');
    await context.close();
  });
});

describe('an error in the widget', () => {
  test('Belvo\'s flat error parameters: an alert on the case page, and the code on the timeline', async () => {
    const { token, caseId } = await t.createCase();
    const { context, problems, page } = await openCase(token);
    const callbacks: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/event')) callbacks.push(new URL(request.url()));
    });
    await page.getByRole('button', { name: 'Continuar con Belvo' }).click();
    await page.getByLabel('Contraseña').fill('down');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.getByRole('alert').waitFor();
    assert.deepEqual(Object.fromEntries(callbacks[0]!.searchParams), {
      error: 'institution_down',
      error_message: 'The financial institution is down, try again later',
    });
    assert.match((await page.getByRole('alert').textContent()) ?? '', /Belvo no pudo reconectar tu cuenta con Erebor México/);
    assert.ok((await timelineTypes(t.db, caseId)).includes('widget_error'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});

describe('the consent journeys in a phone browser', () => {
  test('renewing with the user\'s CPF: the due date, the days left, and straight to this consent in My Belvo Portal', async () => {
    const { token, caseId } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: WITH_CPF,
      details: consentDetails('openfinance_consent_about_to_expire'),
    });
    const { context, problems, page } = await openCase(token);
    assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR');
    assert.match((await page.locator('.lead').textContent()) ?? '', /vence em 25 de novembro de 2026/);
    assert.equal(await page.locator('.days-left').textContent(), 'Faltam 2 dias.');
    assert.match((await page.locator('.renew-how').textContent()) ?? '', /direto a este consentimento/);
    await screenshot(page, 'consent-pt-BR');
    await page.getByRole('button', { name: 'Renovar meu consentimento' }).click();
    await page.waitForURL(`${MY_BELVO_PORTAL}**`);
    const target = new URL(page.url());
    assert.equal(target.searchParams.get('action'), 'renew');
    assert.equal(target.searchParams.get('consent_id'), 'c-1');
    assert.equal(target.searchParams.get('institution_display_name'), 'OF Mockbank');
    assert.ok((target.searchParams.get('access_token') ?? '').length >= 20);
    assert.ok((await timelineTypes(t.db, caseId)).includes('renewal_started'));
    assert.deepEqual(problems, [], 'the CSP let the form go to My Belvo Portal');
    await context.close();
  });

  test('renewing without a CPF: My Belvo Portal\'s public page, and a line on what to look for there', async () => {
    const { token } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com' },
      details: consentDetails('openfinance_consent_expired'),
    });
    const { context, problems, page } = await openCase(token);
    assert.match((await page.locator('.renew-how').textContent()) ?? '', /entre com seu CPF[\s\S]*Meus compartilhamentos/);
    await screenshot(page, 'consent-landing');
    await page.getByRole('link', { name: 'Renovar meu consentimento' }).click();
    await page.waitForURL(`${MY_BELVO_PORTAL}?mode=landing`);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('connecting again with the user\'s CPF: Belvo\'s Open Finance widget in Portuguese, a new link recorded on the case', async () => {
    const { token, caseId, linkId } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: WITH_CPF,
      details: consentDetails('openfinance_consent_with_unrecoverable_resources'),
    });
    const { context, problems, page } = await openCase(token);
    assert.match((await page.locator('h1').textContent()) ?? '', /Sua conexão com o banco OF Mockbank terminou/);
    await screenshot(page, 'reconnect');
    await page.getByRole('button', { name: 'Conectar novamente' }).click();
    await page.locator('main[data-widget-step="password"]').waitFor();
    const tokenRequest = tokenCalls(t).at(-1)!.body as TokenRequest & { widget: { openfinance_feature?: string } };
    assert.equal(tokenRequest.link_id, undefined);
    assert.equal(tokenRequest.widget.openfinance_feature, 'consent_link_creation');
    assert.equal(new URL(page.url()).searchParams.get('locale'), 'pt');
    await page.getByLabel('Senha').fill('new-password');
    await page.getByRole('button', { name: 'Continuar' }).click();
    await page.locator('main[data-state="success"]').waitFor();
    const stored = await t.db('cases').where({ id: caseId }).first();
    const details = typeof stored!.details === 'string' ? JSON.parse(stored!.details) : stored!.details;
    assert.equal(stored!.status, 'resolved');
    assert.match(details.newLinkId, /^[0-9a-f-]{36}$/);
    assert.notEqual(details.newLinkId, linkId);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('connecting again without a CPF: no button Belvo would refuse, the app instead, and the operator told', async () => {
    const { token, caseId } = await t.createCase({
      kind: 'consent',
      institution: 'ofmockbank_br_retail',
      displayName: null,
      user: { email: 'br@example.com' },
      details: consentDetails('openfinance_consent_with_unrecoverable_resources'),
    });
    const { context, problems, page } = await openCase(token);
    assert.equal(await page.getByRole('button').count(), 0);
    assert.match((await page.locator('.in-app').textContent()) ?? '', /abra o app de Demo Fintech e conecte de novo/);
    await screenshot(page, 'reconnect-in-app');
    await waitFor(async () => (await timelineTypes(t.db, caseId)).includes('reconnect_in_app'));
    assert.deepEqual(problems, []);
    await context.close();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('axe-core finds no serious or critical problem', () => {
  const pages: Array<[string, () => Promise<string>]> = [
    ['the password page with the widget offer', async () => `/r/${(await t.createCase()).token}`],
    [
      'the consent page that offers to connect again',
      async () =>
        `/r/${(await t.createCase({ kind: 'consent', user: WITH_CPF, details: consentDetails('openfinance_consent_with_unrecoverable_resources') })).token}`,
    ],
    [
      'the consent page that points to the app',
      async () => `/r/${(await t.createCase({ kind: 'consent', details: consentDetails('openfinance_consent_with_unrecoverable_resources') })).token}`,
    ],
    [
      'the renewal page with a CPF',
      async () => `/r/${(await t.createCase({ kind: 'consent', user: WITH_CPF, details: consentDetails('openfinance_consent_expired') })).token}`,
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
