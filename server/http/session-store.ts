// HTTP sessions in the `sessions` table, so any instance can serve any request. A session is born
// with a browser's first form POST and holds only what the portal needs between that POST and the
// page that shows its result (and a visit to Belvo's widget), never a password.
import type { Knex } from 'knex';
import session, { type SessionData } from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { Clock } from '../clock.ts';

type Db = Knex | Knex.Transaction;

export const SESSION_COOKIE_NAME = 'relink.sid';
/** Long enough to read the message, find the password and come back; short enough to matter little if stolen. */
export const SESSION_MAX_AGE_MS = 24 * 3_600_000;

type Callback = (err?: unknown) => void;

export class DatabaseSessionStore extends session.Store {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor(options: { db: Db; clock: Clock }) {
    super();
    this.db = options.db;
    this.clock = options.clock;
  }

  /** The cookie's remaining lifetime, counted on our clock so that expiry and pruning agree with it. */
  private expiresAt(sess: SessionData): number {
    const remaining = sess.cookie?.maxAge;
    return this.clock.now() + (typeof remaining === 'number' ? Math.max(0, remaining) : SESSION_MAX_AGE_MS);
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.db('sessions')
      .where({ sid })
      .where('expires_at', '>', this.clock.now())
      .first('sess')
      .then((row: { sess: string } | undefined) => callback(null, row ? (JSON.parse(row.sess) as SessionData) : null))
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, sess: SessionData, callback: Callback = () => {}): void {
    this.db('sessions')
      .insert({ sid, sess: JSON.stringify(sess), expires_at: this.expiresAt(sess) })
      .onConflict('sid')
      .merge(['sess', 'expires_at'])
      .then(() => callback())
      .catch((err: unknown) => callback(err));
  }

  override destroy(sid: string, callback: Callback = () => {}): void {
    this.db('sessions')
      .where({ sid })
      .delete()
      .then(() => callback())
      .catch((err: unknown) => callback(err));
  }

  override touch(sid: string, sess: SessionData, callback: () => void = () => {}): void {
    this.db('sessions')
      .where({ sid })
      .update({ expires_at: this.expiresAt(sess) })
      .then(() => callback())
      .catch(() => callback());
  }
}

/**
 * Writes the session now. express-session otherwise saves it while the answer's last byte waits,
 * and a browser follows a 303 as soon as it has the headers: with several database connections,
 * the next page could read the session before it is written.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err) : resolve())));
}

/**
 * Erasure: the sessions of browsers that acted on these cases. The portal keeps a case's id in a
 * session as `caseId` (a result shown after a POST, a visit to Belvo's widget); the LIKE narrows the
 * rows to read, the parsed JSON decides.
 */
export async function deleteSessionsOfCases(db: Db, caseIds: readonly number[]): Promise<void> {
  if (caseIds.length === 0) return;
  const wanted = new Set(caseIds);
  const rows = await db('sessions').where('sess', 'like', '%"caseId":%').select('sid', 'sess');
  const namesACase = (sess: Record<string, unknown>) =>
    Object.values(sess).some((value) => typeof value === 'object' && value !== null && wanted.has(Number((value as { caseId?: unknown }).caseId)));
  const sids = rows.filter((row) => namesACase(JSON.parse(row.sess) as Record<string, unknown>)).map((row) => row.sid);
  if (sids.length > 0) await db('sessions').whereIn('sid', sids).delete();
}

/** Deletes sessions past their expiry; the worker calls this now and then. Returns how many went. */
export async function pruneSessions(db: Db, now: number): Promise<number> {
  return db('sessions').where('expires_at', '<=', now).delete();
}

export interface SessionMiddlewareOptions {
  db: Db;
  secret: string;
  clock: Clock;
}

export function createSessionMiddleware(options: SessionMiddlewareOptions): RequestHandler {
  if (options.secret.length < 32) throw new Error('The session secret must be at least 32 characters');
  return session({
    name: SESSION_COOKIE_NAME,
    secret: options.secret,
    store: new DatabaseSessionStore({ db: options.db, clock: options.clock }),
    resave: false,
    saveUninitialized: false,
    rolling: false,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Secure whenever the request came over https; behind a proxy that needs TRUST_PROXY, without
      // which the cookie still works, just without the flag, rather than silently never being set.
      secure: 'auto',
      maxAge: SESSION_MAX_AGE_MS,
      path: '/',
    },
  });
}
