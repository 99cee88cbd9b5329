// The end-user pages as the app serves them (the real createRuntime, through startTestApp), with
// helpers to put a case in the database in any state and to read what a page shows.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { CaseDetails, CaseKind, CaseStatus } from '../../server/cases/case-types.ts';
import { insertCase } from '../../server/cases/case-repository.ts';
import type { Config } from '../../server/config.ts';
import type { PortalLimits } from '../../server/portal/portal-routes.ts';
import type { LinkSigner } from '../../server/cases/signed-link.ts';
import { upsertLink, upsertUser, type UserInput } from '../../server/users/user-repository.ts';
import type { Worker } from '../../server/worker/worker.ts';
import type { RunningBelvoSimulator } from './belvo-simulator-server.ts';
import type { TestDatabase } from './database.ts';
import type { ManualClock } from './manual-clock.ts';
import { startTestApp } from './test-app.ts';

export { APP_SECRET, RENEW_URL } from './test-app.ts';
export const HOUR = 3_600_000;

export interface PortalTestAppOptions {
  limits?: Partial<PortalLimits>;
  /** How long the simulator's `slow` password takes to answer. */
  slowDelayMs?: number;
  /** The Belvo client's timeout. */
  belvoTimeoutMs?: number;
  /** More configuration, e.g. REMEDIATION_PATHS. */
  env?: Record<string, string>;
  /** PUBLIC_URL is the test server itself (browser tests that come back from the Connect widget). */
  publicUrlIsServer?: boolean;
}

export interface CaseSetup {
  kind?: CaseKind;
  status?: CaseStatus;
  details?: CaseDetails;
  institution?: string | null;
  displayName?: string | null;
  /** The user; null for a case without one. */
  user?: UserInput | null;
  failedAttempts?: number;
}

export interface CreatedCase {
  caseId: number;
  linkId: string;
  /** A link valid for a day from now. */
  token: string;
  /** A link that expired an hour ago. */
  expiredToken: string;
}

export interface PortalTestApp {
  app: Express;
  /** Origin of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  db: TestDatabase['db'];
  clock: ManualClock;
  config: Config;
  signer: LinkSigner;
  belvo: RunningBelvoSimulator;
  logs: string[];
  /** The background worker, run by hand with runOnce. */
  worker: Worker;
  createCase(setup?: CaseSetup): Promise<CreatedCase>;
  close(): Promise<void>;
}

export async function startPortalTestApp(options: PortalTestAppOptions = {}): Promise<PortalTestApp> {
  const t = await startTestApp({
    slowDelayMs: options.slowDelayMs ?? 400,
    belvoTimeoutMs: options.belvoTimeoutMs ?? 2_000,
    ...(options.limits ? { portalLimits: options.limits } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.publicUrlIsServer ? { publicUrlIsServer: true } : {}),
  });
  const { clock, signer } = t;
  const db = t.database.db;
  const belvo = t.simulatorServer!;

  async function createCase(setup: CaseSetup = {}): Promise<CreatedCase> {
    const now = clock.now();
    const linkId = randomUUID();
    const institution = setup.institution === undefined ? 'erebor_mx_retail' : setup.institution;
    const userInput = setup.user === undefined ? { email: 'ana@example.com', locale: 'es' as const } : setup.user;
    const externalId = `user-${linkId.slice(0, 8)}`;
    const user = userInput ? (await upsertUser(db, externalId, userInput, now)).user : undefined;
    if (setup.displayName !== null) {
      await upsertLink(
        db,
        { linkId, externalId, institution, institutionDisplayName: setup.displayName ?? 'Erebor México' },
        now,
      );
    }
    const caseId = await insertCase(
      db,
      {
        linkId,
        kind: setup.kind ?? 'credentials',
        status: setup.status ?? 'notified',
        userId: user?.id ?? null,
        externalId: user ? externalId : null,
        institution,
        details: setup.details ?? { errorCode: 'login_error' },
      },
      now,
    );
    if (setup.failedAttempts) await db('cases').where({ id: caseId }).update({ failed_attempts: setup.failedAttempts });
    return { caseId, linkId, token: signer.sign(caseId, now + 24 * HOUR), expiredToken: signer.sign(caseId, now - HOUR) };
  }

  return {
    app: t.app,
    url: t.url,
    db,
    clock,
    config: t.config,
    signer,
    belvo,
    logs: t.logs,
    worker: t.worker,
    createCase,
    close: () => t.close(),
  };
}

type Agent = ReturnType<typeof request.agent>;

/**
 * Posts a form as a browser does (Post/Redirect/Get): the POST must answer 303, and `page` is the
 * GET of where it points, as the browser would show it.
 */
export async function postForm(agent: Agent, path: string, fields: Record<string, string>) {
  const post = await agent.post(path).type('form').send(fields);
  if (post.status !== 303) throw new Error(`POST ${path} answered ${post.status}, not 303: ${post.text.slice(0, 200)}`);
  const location = String(post.headers['location']);
  const page = await agent.get(location);
  return { post, location, page };
}

/** The data-state of a page's <main>. */
export function stateOf(html: string): string | undefined {
  return /<main\b[^>]*\bdata-state="([^"]+)"/.exec(html)?.[1];
}

/** The page's CSRF token, from its first form or, on a page without one, from <main>. */
export function csrfOf(html: string): string {
  const token = (/name="_csrf" value="([^"]+)"/.exec(html) ?? /data-csrf-token="([^"]+)"/.exec(html))?.[1];
  if (!token) throw new Error('The page has no CSRF field');
  return token;
}

/** The text of the element with the given role, tags stripped; undefined when there is none. */
export function roleText(html: string, role: 'alert' | 'status'): string | undefined {
  const match = new RegExp(`<(\\w+)[^>]*role="${role}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match?.[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Everything a GET must leave alone: the case, its timeline and its messages. */
export async function caseSnapshot(db: TestDatabase['db'], caseId: number) {
  return {
    case: await db('cases').where({ id: caseId }).first(),
    timeline: await db('case_timeline').where({ case_id: caseId }).orderBy('id'),
    outbox: await db('outbox').where({ case_id: caseId }).orderBy('id'),
  };
}

export async function timelineTypes(db: TestDatabase['db'], caseId: number): Promise<string[]> {
  const rows = (await db('case_timeline').where({ case_id: caseId }).orderBy('id')) as Array<{ type: string }>;
  return rows.map((r) => r.type);
}
