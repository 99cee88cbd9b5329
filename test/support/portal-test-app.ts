// The end-user pages on their own, wired as the app wires them (helmet's strict CSP, /assets,
// body parser, database sessions, CSRF, the portal router), over a fresh test database, a manual
// clock and a real Belvo simulator on loopback. Also listens on a loopback port for browser tests.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import type { CaseDetails, CaseKind, CaseStatus } from '../../server/cases/case-types.ts';
import { insertCase } from '../../server/cases/case-repository.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { csrfProtection } from '../../server/http/csrf.ts';
import { databaseRateLimitStores } from '../../server/http/rate-limit-store.ts';
import { createSessionMiddleware } from '../../server/http/session-store.ts';
import { createLogger } from '../../server/logger.ts';
import { createPortalRouter, type PortalLimits } from '../../server/portal/portal-routes.ts';
import { createLinkSigner, type LinkSigner } from '../../server/portal/signed-link.ts';
import { upsertLink, upsertUser, type UserInput } from '../../server/users/user-repository.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from './belvo-simulator-server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { manualClock, type ManualClock } from './manual-clock.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
export const APP_SECRET = 'portal-test-app-secret-0123456789abcdef';
export const RENEW_URL = 'https://portal.belvo.example/renew';
export const HOUR = 3_600_000;

export interface PortalTestAppOptions {
  limits?: Partial<PortalLimits>;
  /** How long the simulator's `slow` password takes to answer. */
  slowDelayMs?: number;
  /** The Belvo client's timeout. */
  belvoTimeoutMs?: number;
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
  createCase(setup?: CaseSetup): Promise<CreatedCase>;
  close(): Promise<void>;
}

function strictHeaders() {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

export async function startPortalTestApp(options: PortalTestAppOptions = {}): Promise<PortalTestApp> {
  const clock = manualClock();
  const database = await createTestDatabase();
  const db = database.db;
  const belvo = await startBelvoSimulator({ clock, slowDelayMs: options.slowDelayMs ?? 400 });
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-portal-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET,
    OPERATOR_API_KEY: 'portal-test-operator-key-0123456789',
    ADMIN_PASSWORD: 'portal-test-admin-password',
    BELVO_SECRET_ID: belvo.secretId,
    BELVO_SECRET_PASSWORD: belvo.secretPassword,
    BELVO_API_URL: belvo.url,
    MY_BELVO_PORTAL_URL: RENEW_URL,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const signer = createLinkSigner(APP_SECRET);
  const client = createBelvoClient({
    apiUrl: belvo.url,
    secretId: belvo.secretId,
    secretPassword: belvo.secretPassword,
    timeoutMs: options.belvoTimeoutMs ?? 2_000,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  app.use(strictHeaders());
  app.use('/assets', express.static(PUBLIC_DIR, { index: false }));
  app.use(
    '/r',
    express.urlencoded({ extended: false, limit: '16kb' }),
    createSessionMiddleware({ db, secret: APP_SECRET, secureCookies: false, clock }),
    csrfProtection(),
    createPortalRouter({
      db,
      config,
      clock,
      logger,
      belvo: client,
      signer,
      rateLimitStore: databaseRateLimitStores(db, clock),
      // The manual clock never moves on its own, so a file's requests would all share one window.
      limits: { perIp: { limit: 10_000, windowMs: 60_000 }, ...options.limits },
    }),
  );

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;

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
    app,
    url: `http://127.0.0.1:${port}`,
    db,
    clock,
    config,
    signer,
    belvo,
    logs,
    createCase,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await belvo.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
