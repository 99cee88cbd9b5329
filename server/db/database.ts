// The knex factory: SQLite (embedded default) or PostgreSQL, chosen by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import knex, { type Knex } from 'knex';
import { createRequire } from 'node:module';
import type { Logger } from '../logger.ts';
import { migrationSource } from './migration-source.ts';
import { startCheckpointer } from './sqlite-checkpointer.ts';
import { SqliteClient } from './sqlite-client.ts';
import type { WriteLock } from './sqlite-write-lock.ts';

export type Database = Knex;

const INT8_OID = 20;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function sqlitePath(url: string): string {
  if (!url.startsWith('file:')) {
    throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)');
  }
  return resolve(url.slice('file:'.length));
}

function sqliteDatabase(url: string, options: DatabaseOptions): Database {
  const filename = sqlitePath(url);
  mkdirSync(dirname(filename), { recursive: true });
  return knex({
    client: SqliteClient as unknown as typeof knex.Client,
    connection: { filename },
    useNullAsDefault: true,
    ...(options.writeLock ? { writeLock: options.writeLock } : {}),
    // One connection per thread: SQLite has one writer anyway, and a single connection makes knex
    // transactions serialise instead of failing with SQLITE_BUSY.
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        // Deleted rows are overwritten with zeros rather than left in free space, so that what an
        // erasure (or retention) deletes is gone from the file, not just unreachable (issue 11).
        conn.pragma('secure_delete = ON');
        // No busy wait inside SQLite: it would block the thread. SqliteClient waits instead.
        conn.pragma('busy_timeout = 0');
        done(null, conn);
      },
    },
  });
}

function postgresDatabase(url: string, options: DatabaseOptions): Database {
  // Required here, not at the top: a SQLite deployment never loads the PostgreSQL driver.
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      // Timestamps are epoch milliseconds in bigint columns; read them back as numbers
      // for this connection only, without touching pg's global parsers.
      types: {
        getTypeParser: (oid: number, format?: string) =>
          oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
      },
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: options.poolSize ?? DEFAULT_POOL_SIZE },
  });
}

const DEFAULT_POOL_SIZE = 10;

export interface DatabaseOptions {
  /** SQLite: the lock this thread shares with the other threads of the process before it writes. */
  writeLock?: WriteLock;
  /** PostgreSQL: connections this thread may hold. */
  poolSize?: number;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  return isPostgresUrl(url) ? postgresDatabase(url, options) : sqliteDatabase(url, options);
}

export interface OpenDatabase {
  db: Database;
  close(): Promise<void>;
}

/**
 * Log pages after which a connection whose checkpoints are the worker thread's copies the log itself:
 * a safety net (40 MB) for while that thread is down, never reached while it runs.
 */
const CHECKPOINT_SAFETY_NET_PAGES = 10_000;

/**
 * The process's database: migrated, and on SQLite with its log checkpoints off the event loop, done
 * by a thread of their own or, where the process has one (`checkpoints: 'worker thread'`), by the
 * worker thread (worker/worker-thread.ts), which saves the process a thread.
 */
export async function openDatabase(
  url: string,
  logger: Logger,
  options: DatabaseOptions & { checkpoints?: 'own thread' | 'worker thread' } = {},
): Promise<OpenDatabase> {
  const db = createDatabase(url, options);
  await migrate(db);
  await refreshPlannerStatistics(db);
  if (!isPostgresUrl(url) && options.checkpoints === 'worker thread') await db.raw(`pragma wal_autocheckpoint = ${CHECKPOINT_SAFETY_NET_PAGES}`);
  const ownThread = !isPostgresUrl(url) && options.checkpoints !== 'worker thread';
  const checkpointer = ownThread ? await startCheckpointer(db, sqlitePath(url), logger) : undefined;
  return {
    db,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

export async function migrate(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export function isSqlite(db: Database): boolean {
  return db.client instanceof SqliteClient;
}

/**
 * SQLite plans its queries from statistics that only ANALYZE writes, and nothing runs it for us:
 * without them a database grown to millions of rows is planned as if it were empty. This is the
 * check SQLite advises for a long-lived connection, done when the database opens and by the
 * worker's housekeeping: every table (0x10000) whose size changed a lot since it was last analysed
 * is analysed again (0x02), reading a bounded sample of each index (0x10). On 1,000,000 events and
 * 1,000,000 cases never analysed it took 145 ms (900 ms unbounded); with nothing to do, under 1 ms.
 * PostgreSQL's autovacuum keeps its own statistics.
 */
export async function refreshPlannerStatistics(db: Database): Promise<void> {
  if (isSqlite(db)) await db.raw('pragma optimize=0x10012');
}

/** A unique-constraint violation, in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
