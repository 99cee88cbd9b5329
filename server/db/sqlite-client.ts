// knex's better-sqlite3 client, with three changes that matter under load:
// - statements are prepared once per connection and reused (knex prepares and drops one per query,
//   which cost a fifth of the webhook path's CPU);
// - a write transaction takes SQLite's write lock when it begins (BEGIN IMMEDIATE), so it never
//   fails half-way when another connection wrote since it started reading;
// - a connection that finds the database busy waits without blocking its thread (SQLite's own
//   busy handler sleeps inside the call, stalling every request on that thread), and threads of
//   one process take turns through a shared lock first (sqlite-write-lock.ts).
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { WRITE_LOCK_TIMEOUT_MS, type WriteLock } from './sqlite-write-lock.ts';

/** Distinct statements kept per connection; knex's SQL for a query shape does not vary, so few are needed. */
const STATEMENT_CACHE_SIZE = 500;
const MAX_BUSY_PAUSE_MS = 16;
/** Pragmas that write no rows (settings, checkpoints); optimize may write statistics, so it is not one. */
const ROWLESS_PRAGMA = /^\s*pragma\s+(?!optimize\b)/i;

/** What this file uses of better-sqlite3 (the package ships no types). */
interface Connection {
  prepare(sql: string): Statement;
  readonly inTransaction: boolean;
}

interface Statement {
  readonly reader: boolean;
  readonly readonly: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}

interface KnexQuery {
  sql: string;
  bindings?: unknown[];
  response?: unknown;
  context?: { lastID: number | bigint; changes: number };
}

interface KnexClient {
  config: Knex.Config & { writeLock?: WriteLock };
  _formatBindings(bindings: unknown[] | undefined): unknown[];
}

const require = createRequire(import.meta.url);
// knex has no public extension point for how a dialect runs a statement: these are its own classes.
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3/index.js') as new (config: Knex.Config) => KnexClient;
const SqliteTransaction = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction.js') as new (
  ...args: unknown[]
) => { query(connection: unknown, sql: string): Promise<unknown> };

class ImmediateTransaction extends SqliteTransaction {
  begin(connection: unknown): Promise<unknown> {
    return this.query(connection, 'BEGIN IMMEDIATE;');
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** A bounded, least-recently-used set of prepared statements for one connection. */
class StatementCache {
  private readonly statements = new Map<string, Statement>();

  get(connection: Connection, sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = connection.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

// Kept by connection, not on the client: knex runs a transaction's queries through a copy of the client.
const caches = new WeakMap<Connection, StatementCache>();
/** Connections whose thread holds the shared write lock (taken at a write, let go when no transaction is open). */
const holding = new WeakSet<Connection>();

export class SqliteClient extends BetterSqlite3Client {
  transaction(...args: unknown[]) {
    return new ImmediateTransaction(this, ...args);
  }

  async _query(connection: Connection, obj: KnexQuery): Promise<KnexQuery> {
    if (!obj.sql) throw new Error('The query is empty');
    let cache = caches.get(connection);
    if (!cache) caches.set(connection, (cache = new StatementCache()));
    const statement = cache.get(connection, obj.sql);
    const bindings = this._formatBindings(obj.bindings);
    const lock = this.config.writeLock;
    // A pragma that writes no rows never waits for the other threads' writes.
    if (lock && !statement.readonly && !ROWLESS_PRAGMA.test(obj.sql) && !holding.has(connection)) {
      await lock.acquire();
      holding.add(connection);
    }
    try {
      return await this.runWhenFree(connection, statement, bindings, obj);
    } finally {
      if (lock && holding.has(connection) && !connection.inTransaction) {
        holding.delete(connection);
        lock.release();
      }
    }
  }

  /**
   * Another process may hold the write lock: SQLITE_BUSY, retried after a pause that does not
   * block the thread. Only a statement outside a transaction (or the BEGIN that opens one) is
   * retried; it had no effect. Inside BEGIN IMMEDIATE the lock is ours and SQLite is never busy.
   */
  private async runWhenFree(connection: Connection, statement: Statement, bindings: unknown[], obj: KnexQuery): Promise<KnexQuery> {
    const deadline = performance.now() + WRITE_LOCK_TIMEOUT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, MAX_BUSY_PAUSE_MS)) {
      try {
        return run(statement, bindings, obj);
      } catch (err) {
        if (!isBusy(err) || connection.inTransaction || performance.now() + pause > deadline) throw err;
        await sleep(pause);
      }
    }
  }
}

function run(statement: Statement, bindings: unknown[], obj: KnexQuery): KnexQuery {
  if (statement.reader) {
    obj.response = statement.all(bindings);
    return obj;
  }
  const result = statement.run(bindings);
  obj.response = result;
  obj.context = { lastID: result.lastInsertRowid, changes: result.changes };
  return obj;
}
