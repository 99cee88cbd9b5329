// The console's own session: its own cookie, scoped to /admin, ended after CONSOLE_IDLE_MS without
// a request (the store's expiry, refreshed by every request) and CONSOLE_MAX_AGE_MS after sign-in
// whatever happens. It holds who signed in, an OperatorIdentity, which is all the rest of the console
// reads: another way to sign in (OIDC) or named operators only need to produce another identity.
import type { Knex } from 'knex';
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { Clock } from '../clock.ts';
import { DatabaseSessionStore, saveSession } from '../http/session-store.ts';

export const CONSOLE_COOKIE_NAME = 'relink.console';
export const CONSOLE_IDLE_MS = 30 * 60_000;
export const CONSOLE_MAX_AGE_MS = 12 * 3_600_000;
/** How long "show full contact" lasts for one case before it is masked (and must be asked for) again. */
export const REVEAL_MS = 10 * 60_000;

export interface OperatorIdentity {
  /** Recorded on case timelines: "admin" for the shared ADMIN_PASSWORD; an e-mail or OIDC subject later. */
  id: string;
  /** How the operator proved who they are. */
  method: 'password';
}

/** What the page after a redirect says about the action that caused it. */
export interface ConsoleFlash {
  role: 'status' | 'alert';
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    operator?: OperatorIdentity;
    signedInAt?: number;
    /** Case id → until when its full contact is shown to this operator. */
    revealed?: Record<string, number>;
    flash?: ConsoleFlash;
  }
}

export function createConsoleSession(options: { db: Knex; secret: string; clock: Clock }): RequestHandler {
  if (options.secret.length < 32) throw new Error('The session secret must be at least 32 characters');
  return session({
    name: CONSOLE_COOKIE_NAME,
    secret: options.secret,
    store: new DatabaseSessionStore({ db: options.db, clock: options.clock }),
    resave: false,
    saveUninitialized: false,
    // Every answer pushes the idle expiry (cookie and store) another CONSOLE_IDLE_MS ahead.
    rolling: true,
    unset: 'destroy',
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: CONSOLE_IDLE_MS, path: '/admin' },
  });
}

function promised(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}

export { saveSession } from '../http/session-store.ts';

/** A new session id for the signed-in operator, so a session id planted before sign-in is worth nothing. */
export async function startOperatorSession(req: Request, operator: OperatorIdentity, now: number): Promise<void> {
  await promised((done) => req.session.regenerate(done));
  req.session.operator = operator;
  req.session.signedInAt = now;
  await saveSession(req);
}

export function endOperatorSession(req: Request): Promise<void> {
  return promised((done) => req.session.destroy(done));
}

/** The signed-in operator, or undefined once the session is past its absolute age. */
export function signedInOperator(req: Request, now: number): OperatorIdentity | undefined {
  const { operator, signedInAt } = req.session ?? {};
  if (!operator || signedInAt === undefined || now - signedInAt >= CONSOLE_MAX_AGE_MS) return undefined;
  return operator;
}

/** The browser sent a console cookie the store no longer knows (or no longer accepts): its session ended. */
export function hadSession(req: Request): boolean {
  return (req.get('cookie') ?? '').split(';').some((part) => part.trim().startsWith(`${CONSOLE_COOKIE_NAME}=`));
}

export function revealContact(req: Request, caseId: number, now: number): void {
  const live = Object.entries(req.session.revealed ?? {}).filter(([, until]) => until > now);
  req.session.revealed = { ...Object.fromEntries(live), [String(caseId)]: now + REVEAL_MS };
}

export function contactRevealed(req: Request, caseId: number, now: number): boolean {
  return (req.session.revealed?.[String(caseId)] ?? 0) > now;
}

/** What the next page says; saved at once, since a redirect follows (see saveSession). */
export function setFlash(req: Request, flash: ConsoleFlash): Promise<void> {
  req.session.flash = flash;
  return saveSession(req);
}

export function takeFlash(req: Request): ConsoleFlash | undefined {
  const flash = req.session?.flash;
  if (flash) delete req.session.flash;
  return flash;
}
