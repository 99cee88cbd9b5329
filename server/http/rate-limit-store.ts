// An express-rate-limit Store kept in the `rate_limits` table, so a limit holds across every
// instance that shares the database. Each hit is one INSERT … ON CONFLICT DO UPDATE … RETURNING
// (SQLite ≥ 3.35 and PostgreSQL alike): no read-then-write race between instances.
import type { Knex } from 'knex';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Clock } from '../clock.ts';

type Db = Knex | Knex.Transaction;

const DEFAULT_WINDOW_MS = 60_000;

export interface DatabaseRateLimitStoreOptions {
  db: Db;
  clock: Clock;
  /** Keeps the keys of one limiter apart from another's in the shared table (letters, digits, dashes). */
  prefix: string;
}

/** Builds one store per limiter: express-rate-limit refuses a store shared by two limiters. */
export type RateLimitStoreFactory = (prefix: string) => Store;

export class DatabaseRateLimitStore implements Store {
  readonly prefix: string;
  /** Counts live in the shared database, so a key hit on one instance counts on all of them. */
  readonly localKeys = false;
  private readonly db: Db;
  private readonly clock: Clock;
  private windowMs = DEFAULT_WINDOW_MS;

  constructor(options: DatabaseRateLimitStoreOptions) {
    if (!/^[a-z0-9-]{1,40}$/i.test(options.prefix)) throw new Error(`Invalid rate limit prefix: ${options.prefix}`);
    this.db = options.db;
    this.clock = options.clock;
    this.prefix = `${options.prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = (await this.db('rate_limits').where({ key: this.prefix + key }).first()) as
      | { hits: number; reset_at: number }
      | undefined;
    if (!row || Number(row.reset_at) <= this.clock.now()) return undefined;
    return { totalHits: row.hits, resetTime: new Date(Number(row.reset_at)) };
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = this.clock.now();
    const resetAt = now + this.windowMs;
    // A window that has run out starts again at one hit; otherwise the count goes up by one.
    const [row] = await this.db('rate_limits')
      .insert({ key: this.prefix + key, hits: 1, reset_at: resetAt })
      .onConflict('key')
      .merge({
        hits: this.db.raw('case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end', [now]),
        reset_at: this.db.raw('case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end', [now, resetAt]),
      })
      .returning(['hits', 'reset_at']);
    return { totalHits: Number(row!.hits), resetTime: new Date(Number(row!.reset_at)) };
  }

  async decrement(key: string): Promise<void> {
    await this.db('rate_limits')
      .where({ key: this.prefix + key })
      .where('hits', '>', 0)
      .update({ hits: this.db.raw('hits - 1') });
  }

  async resetKey(key: string): Promise<void> {
    await this.db('rate_limits').where({ key: this.prefix + key }).delete();
  }

  async resetAll(): Promise<void> {
    await this.db('rate_limits').where('key', 'like', `${this.prefix}%`).delete();
  }
}

export function databaseRateLimitStores(db: Db, clock: Clock): RateLimitStoreFactory {
  return (prefix) => new DatabaseRateLimitStore({ db, clock, prefix });
}

/** Deletes windows that have run out; the worker calls this now and then. Returns how many went. */
export async function pruneRateLimits(db: Db, now: number): Promise<number> {
  return db('rate_limits').where('reset_at', '<=', now).delete();
}
