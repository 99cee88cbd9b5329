// The operator's brand on every page state, in a phone browser: BRAND_NAME (or its logo, named by
// it) heads the page, BRAND_COLOR colours the header and the primary button with text that keeps
// WCAG AA contrast, support is on every page and is the way forward where a journey ends, and the
// page says the operator never asks for the password by phone, SMS or WhatsApp. Run with a very
// light and a very dark brand colour, each checked by axe-core and by the contrast itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { contrastRatio } from '../../server/brand/brand-colors.ts';
import { launchBrowser, screenshot, phoneContext, seriousAxeViolations } from '../support/browser.ts';
import { startPortalTestApp, type PortalTestApp } from '../support/portal-test-app.ts';

const LOGO_URL = 'https://cdn.fintech.example/logo.svg';
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="36"><rect width="36" height="36" rx="8" fill="#38bdf8"/><text x="44" y="26" font-size="20" font-weight="700" font-family="sans-serif" fill="#ffffff">Fintech Uno</text></svg>';

const BRANDS = [
  { name: 'light', color: '#fff7d6', text: '#000000', logo: false },
  { name: 'dark', color: '#0a1f44', text: '#ffffff', logo: true },
] as const;

const mfa = (t: PortalTestApp) => ({
  kind: 'mfa' as const,
  details: { mfa: { session: 's', expiresAt: t.clock.now() + 600_000, tokenGenerationData: { type: 'numeric', value: '123', instructions: 'Usa el token' } } },
});
const consent = {
  kind: 'consent' as const,
  details: {
    consent: {
      consentId: 'c-1',
      webhookCode: 'openfinance_consent_about_to_expire',
      dueDate: '2026-12-26T10:45:58.000Z',
      institutionDisplayName: 'OF Mockbank',
      institutionLogo: null,
      message: null,
    },
  },
};

/** Every data-state a page can have, and whether it ends the person's journey (support is then its way forward). */
const STATES: Array<{ state: string; endsJourney: boolean; path: (t: PortalTestApp) => Promise<string> }> = [
  { state: 'password', endsJourney: false, path: async (t) => `/r/${(await t.createCase()).token}` },
  { state: 'mfa', endsJourney: false, path: async (t) => `/r/${(await t.createCase(mfa(t))).token}` },
  { state: 'consent', endsJourney: false, path: async (t) => `/r/${(await t.createCase(consent)).token}` },
  { state: 'success', endsJourney: false, path: async (t) => `/r/${(await t.createCase({ status: 'resolved' })).token}` },
  { state: 'error', endsJourney: true, path: async (t) => `/r/${(await t.createCase({ status: 'failed' })).token}` },
  { state: 'expired', endsJourney: true, path: async (t) => `/r/${(await t.createCase()).expiredToken}` },
  { state: 'invalid', endsJourney: true, path: async () => '/r/nonsense' },
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** The colours the browser really painted, and their contrast. */
async function paintedContrast(page: Page, selector: string): Promise<{ background: string; color: string; ratio: number }> {
  const { background, color } = await page.locator(selector).first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { background: style.backgroundColor, color: style.color };
  });
  const hex = (rgb: string) =>
    `#${(rgb.match(/\d+/g) ?? []).slice(0, 3).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`;
  return { background: hex(background), color: hex(color), ratio: contrastRatio(hex(background), hex(color)) };
}

for (const brand of BRANDS) {
  describe(`pages branded with a ${brand.name} colour (${brand.color})`, () => {
    let t: PortalTestApp;
    before(async () => {
      t = await startPortalTestApp({
        env: {
          BRAND_NAME: 'Fintech Uno',
          BRAND_COLOR: brand.color,
          ...(brand.logo ? { BRAND_LOGO_URL: LOGO_URL } : {}),
          SUPPORT_URL: 'https://ayuda.fintech.example/soporte',
          SUPPORT_EMAIL: 'ayuda@fintech.example',
          SUPPORT_PHONE: '+52 55 1234 5678',
        },
      });
    });
    after(() => t?.close());

    async function open(path: string, options: { bypassCSP?: boolean } = {}) {
      const { context, problems } = await phoneContext(browser, { locale: 'es-MX', ...options });
      await context.route(LOGO_URL, (route) => route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }));
      const page = await context.newPage();
      await page.goto(`${t.url}${path}`);
      return { page, context, problems };
    }

    for (const { state, endsJourney, path } of STATES) {
      test(`the ${state} page: brand, support, the never-ask line, readable colours, axe clean`, async () => {
        const { page, context, problems } = await open(await path(t));
        assert.equal(await page.locator('main').getAttribute('data-state'), state);

        assert.match(await page.title(), / · Fintech Uno$/);
        const header = page.locator('header.site-header');
        if (brand.logo) {
          const logo = header.getByRole('img', { name: 'Fintech Uno' });
          assert.ok(await logo.isVisible(), 'the logo, named by the brand');
          assert.ok(await logo.evaluate((img) => (img as HTMLImageElement).naturalWidth > 0), 'the logo loaded under the CSP');
        } else {
          assert.equal((await header.textContent())?.trim(), 'Fintech Uno');
        }
        const painted = await paintedContrast(page, 'header.site-header');
        assert.deepEqual([painted.background, painted.color], [brand.color, brand.text]);
        assert.ok(painted.ratio >= 4.5, `header contrast ${painted.ratio.toFixed(2)}:1`);
        const primary = page.locator('main .primary:visible');
        if ((await primary.count()) > 0) {
          const button = await paintedContrast(page, 'main .primary:visible');
          assert.equal(button.background, brand.color);
          assert.ok(button.ratio >= 4.5, `button contrast ${button.ratio.toFixed(2)}:1`);
        }

        const where = endsJourney ? 'main' : 'footer';
        const support = page.locator(`${where} .support`);
        assert.ok(await support.isVisible(), `support in the ${where}`);
        assert.equal(await page.locator('.support').count(), 1, 'support once per page');
        for (const [name, href] of [
          ['Centro de ayuda: ayuda.fintech.example/soporte', 'https://ayuda.fintech.example/soporte'],
          ['Correo: ayuda@fintech.example', 'mailto:ayuda@fintech.example'],
          ['Teléfono: +52 55 1234 5678', 'tel:+525512345678'],
        ]) {
          assert.equal(await support.getByRole('link', { name }).getAttribute('href'), href);
        }
        assert.match(
          (await page.locator('footer .never-ask').textContent()) ?? '',
          /^Fintech Uno nunca te pedirá tu contraseña por teléfono, por SMS ni como respuesta de WhatsApp\.$/,
        );
        assert.deepEqual(problems, [], 'nothing refused by the CSP, nothing failed');
        await context.close();

        const checked = await open(await path(t), { bypassCSP: true });
        assert.deepEqual(await seriousAxeViolations(checked.page), [], 'axe-core, colour contrast included');
        await checked.context.close();
      });
    }

    test('a phone-sized screenshot of a branded page', async () => {
      const { page, context } = await open(brand.logo ? `/r/${(await t.createCase({ status: 'failed' })).token}` : `/r/${(await t.createCase()).token}`);
      await screenshot(page, `branded-${brand.name}`);
      await context.close();
    });
  });
}
