// Drives Belvo's Connect widget the way a browser does, over HTTP: "Continue with Belvo" on a case
// page, the simulator's hosted-widget stand-in, and the redirect back to one of our callbacks.
import assert from 'node:assert/strict';
import request from 'supertest';
import type { SimulatorCall } from '../../server/sandbox/belvo-simulator.ts';
import { csrfOf, type PortalTestApp } from './portal-test-app.ts';

export type Agent = ReturnType<typeof request.agent>;

export interface TokenRequest {
  id: string;
  password: string;
  scopes: string;
  link_id?: string;
  widget: { callback_urls: { success: string; exit: string; event: string } };
}

export interface WidgetVisit {
  agent: Agent;
  /** The hosted widget's URL we redirected to. */
  widgetUrl: URL;
  /** What the simulator received on POST /api/token/ for this visit. */
  tokenRequest: TokenRequest;
  /** Our callbacks for this visit, as paths: /r/<token>/widget/<nonce>/success … */
  callbacks: { success: string; exit: string; event: string };
}

export function tokenCalls(t: PortalTestApp): SimulatorCall[] {
  return t.belvo.simulator.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/api/token'));
}

/** Opens the case page and presses "Continue with Belvo"; fails unless it redirects to the widget. */
export async function startWidget(t: PortalTestApp, token: string, agent: Agent = request.agent(t.app)): Promise<WidgetVisit> {
  const page = await agent.get(`/r/${token}`);
  const started = await agent.post(`/r/${token}/widget`).type('form').send({ _csrf: csrfOf(page.text) });
  assert.equal(started.status, 303, started.text);
  const widgetUrl = new URL(started.headers['location'] as string);
  const tokenRequest = tokenCalls(t).at(-1)!.body as TokenRequest;
  const path = (url: string) => new URL(url).pathname;
  const urls = tokenRequest.widget.callback_urls;
  return { agent, widgetUrl, tokenRequest, callbacks: { success: path(urls.success), exit: path(urls.exit), event: path(urls.event) } };
}

/** Submits the widget's form; returns where the widget sends the browser, or undefined when it stays on its page. */
export async function submitWidget(widgetUrl: URL, fields: Record<string, string>): Promise<URL | undefined> {
  const res = await fetch(new URL('./', widgetUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      access_token: widgetUrl.searchParams.get('access_token') ?? '',
      locale: widgetUrl.searchParams.get('locale') ?? 'es',
      action: 'continue',
      ...fields,
    }),
  });
  return res.status === 303 ? new URL(res.headers.get('location')!) : undefined;
}

/** The path and query of a callback URL, to call on the app through supertest. */
export const pathOf = (url: URL) => url.pathname + url.search;
