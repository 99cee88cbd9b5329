// A real browser for page tests: Debian's Chromium driven by playwright-core (no browser download),
// phone-sized contexts, and an axe-core check. Pages are served on loopback only.
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 } as const;

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/**
 * A full-page screenshot for README. Every run draws it; only `UPDATE_SCREENSHOTS=1 npm test`
 * writes it to test/screenshots/, so a test run leaves the checkout as it found it.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true });
  if (process.env['UPDATE_SCREENSHOTS'] === '1') writeFileSync(`${SCREENSHOTS}${name}.png`, image);
}

/** Browser tests never skip: without Chromium they fail, saying how to get it. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PhoneContext {
  context: BrowserContext;
  /** Console errors and warnings and page errors, e.g. a script or style the CSP refused. */
  problems: string[];
}

/** A phone-sized context; only loopback is reachable, anything else is answered 'blocked'. */
export async function phoneContext(browser: Browser, options: BrowserContextOptions = {}): Promise<PhoneContext> {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, ...options });
  const problems: string[] = [];
  await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort('blockedbyclient'));
  context.on('page', (page) => {
    page.on('console', (msg) => {
      // A 4xx page is an answer the test expects, not a problem in the page.
      if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
  });
  return { context, problems };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core in the page and returns the serious and critical violations. The page's CSP would
 * refuse the injected script, so open the page in a context made with `bypassCSP: true`.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
