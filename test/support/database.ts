// A fresh, migrated database for one test: a temporary SQLite file, or, when DATABASE_URL names
// PostgreSQL, a schema of its own in that database so test files never see each other's rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import pg from 'pg';
import { createDatabase, isPostgresUrl, migrate, type Database } from '../../server/db/database.ts';

export interface TestDatabase {
  db: Database;
  /** The DATABASE_URL-style address of this database (SQLite only; PostgreSQL shares one URL). */
  url: string;
  /** SQLite file path, for tests that read the file itself; undefined on PostgreSQL. */
  file: string | undefined;
  /** The PostgreSQL schema holding this test's tables; undefined on SQLite. */
  schema: string | undefined;
  close(): Promise<void>;
}

export const postgresUrl = (): string | undefined => {
  const url = process.env['DATABASE_URL'];
  return url && isPostgresUrl(url) ? url : undefined;
};

async function sqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'relink-test-'));
  const file = join(dir, 'relink.db');
  const url = `file:${file}`;
  const db = createDatabase(url);
  await migrate(db);
  return {
    db,
    url,
    file,
    schema: undefined,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openTestDatabase(baseUrl, schema);
  await migrate(db);
  return {
    db,
    url: baseUrl,
    file: undefined,
    schema,
    async close() {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: baseUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

/** Another connection to a test's database, e.g. from a child process. */
export function openTestDatabase(url: string, schema: string | undefined): Database {
  const base = createDatabase(url);
  if (schema === undefined) return base;
  const db = knex({ ...base.client.config, searchPath: [schema] });
  void base.destroy();
  return db;
}

export function createTestDatabase(): Promise<TestDatabase> {
  const url = postgresUrl();
  return url ? postgresTestDatabase(url) : sqliteTestDatabase();
}
