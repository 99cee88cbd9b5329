// Signing in to the operator console from a test, as a browser would: fetch the sign-in page for its
// CSRF token, post the password, and keep the session cookie in a supertest agent.
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

export const ADMIN_PASSWORD = 'test-admin-password-0123456789';

/** The first form's CSRF token in a page. */
export function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('The page has no CSRF field');
  return token;
}

/** The data-page of a console page's <main>. */
export function pageOf(html: string): string | undefined {
  return /<main\b[^>]*\bdata-page="([^"]+)"/.exec(html)?.[1];
}

export type ConsoleAgent = TestAgent;

/** An agent that is signed in; `headers` go with every request (an address, a language). */
export async function signedInAgent(app: Express, headers: Record<string, string> = {}): Promise<ConsoleAgent> {
  const agent = request.agent(app);
  for (const [name, value] of Object.entries(headers)) agent.set(name, value);
  const page = await agent.get('/admin/sign-in').expect(200);
  const res = await agent.post('/admin/sign-in').type('form').send({ _csrf: csrfIn(page.text), password: ADMIN_PASSWORD });
  if (res.status !== 303 || res.headers['location'] !== '/admin/cases') {
    throw new Error(`Sign-in failed: ${res.status} ${res.headers['location']}`);
  }
  return agent;
}

/** Posts a console form with the CSRF token of the page at `from`. */
export async function postForm(agent: ConsoleAgent, from: string, action: string, fields: Record<string, string> = {}) {
  const page = await agent.get(from).expect(200);
  return agent.post(action).type('form').send({ _csrf: csrfIn(page.text), ...fields });
}
