// A fresh, migrated database for one measurement (a SQLite file, or a PostgreSQL schema of its own)
// and the rows a measurement starts from, written straight into the tables the way the product
// writes them: the operator's user and links, Belvo's events waiting, a long history, queued e-mails.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex, { type Knex } from 'knex';
import { workBacklog, type WorkTable } from '../server/db/claim.ts';
import { createDatabase, migrate } from '../server/db/database.ts';
import { freshSeedWebhook } from '../server/sandbox/seed-webhooks.ts';

export const POSTGRES_URL = process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_EXTERNAL_ID = 'bench-user';
export const BENCH_INSTITUTION = 'erebor_mx_retail';
const BATCH = 500;
/** How far back the long history reaches: inside the default RETENTION_DAYS. */
const HISTORY_DAYS = 150;

export type DatabaseKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  kind: DatabaseKind;
  /** DATABASE_URL for the product. */
  url: string;
  /** The bench's own connection. */
  db: Knex;
  close(): Promise<void>;
}

async function sqliteDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-db-'));
  const url = `file:${join(dir, 'relink.db')}`;
  const db = createDatabase(url);
  await migrate(db);
  return {
    kind: 'sqlite',
    url,
    db,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresDatabase(): Promise<BenchDatabase> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const base = createDatabase(POSTGRES_URL);
  await base.raw(`create schema ${schema}`);
  const db = knex({ ...base.client.config, searchPath: [schema] });
  await migrate(db);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    kind: 'postgres',
    url: url.toString(),
    db,
    async close() {
      await db.destroy();
      await base.raw(`drop schema ${schema} cascade`);
      await base.destroy();
    },
  };
}

export function createBenchDatabase(kind: DatabaseKind): Promise<BenchDatabase> {
  return kind === 'sqlite' ? sqliteDatabase() : postgresDatabase();
}

export async function postgresAvailable(): Promise<boolean> {
  const db = createDatabase(POSTGRES_URL);
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

async function insertInBatches(db: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += BATCH) await trx(table).insert(rows.slice(i, i + BATCH));
  });
}

/** `select i from <1..n>` in the database's own words. */
function series(bench: BenchDatabase, n: number): string {
  return bench.kind === 'postgres'
    ? `(select i from generate_series(1, ${n}) as s(i)) as series`
    : `(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${n}) select i from s) as series`;
}

/**
 * PostgreSQL plans from statistics its autovacuum keeps, which in a running deployment exist before
 * any burst of work: the benches take them as a deployment would have them. Never analysed, a table
 * is planned as if nobody knew its size, until autovacuum's first look (within a minute, at a moment
 * no run controls). SQLite's statistics are the product's business.
 */
export async function analyzeOnPostgres(bench: BenchDatabase): Promise<void> {
  if (bench.kind === 'postgres') await bench.db.raw('analyze');
}

/** The operator's user (with an e-mail address) and links it registered, with their bank. */
export async function seedUserAndLinks(bench: BenchDatabase, linkIds: string[], now: number): Promise<number> {
  await bench.db('users')
    .insert({ external_id: BENCH_EXTERNAL_ID, email: 'bench.user@example.com', name: 'Bench', locale: 'es', created_at: now, updated_at: now })
    .onConflict('external_id')
    .ignore();
  const user = (await bench.db('users').where({ external_id: BENCH_EXTERNAL_ID }).first('id')) as { id: number };
  await insertInBatches(
    bench.db,
    'links',
    linkIds.map((linkId) => ({
      link_id: linkId,
      external_id: BENCH_EXTERNAL_ID,
      institution: BENCH_INSTITUTION,
      institution_display_name: 'Erebor',
      created_at: now,
      updated_at: now,
    })),
  );
  return user.id;
}

/** A webhook as Belvo sends it: a broken login for one of the registered links. */
export function benchWebhook(linkId: string) {
  return freshSeedWebhook('link-invalid-credentials', { linkId, externalId: BENCH_EXTERNAL_ID });
}

/** Events recorded and waiting for the worker, one per link, as the intake writes them; their webhook ids. */
export async function insertPendingEvents(bench: BenchDatabase, linkIds: string[], now: number): Promise<Set<string>> {
  const ids = new Set<string>();
  await insertInBatches(
    bench.db,
    'events',
    linkIds.map((linkId) => {
      const body = benchWebhook(linkId);
      ids.add(body.webhook_id);
      return {
        webhook_id: body.webhook_id,
        webhook_type: body.webhook_type,
        webhook_code: body.webhook_code,
        link_id: linkId,
        object_id: null,
        payload: JSON.stringify({ kind: 'invalid_credentials', payload: body }),
        received_at: now,
        available_at: now,
      };
    }),
  );
  return ids;
}

/**
 * `n` events handled and `n` cases resolved over the last 150 days: the history a busy deployment
 * keeps. It lies inside RETENTION_DAYS (180 by default), as a running deployment's does; older rows
 * would have the worker purging them while it is measured.
 */
export async function seedHistory(bench: BenchDatabase, userId: number, n: number, now: number): Promise<void> {
  const from = now - HISTORY_DAYS * 86_400_000;
  const step = Math.floor((HISTORY_DAYS * 86_400_000) / n);
  const at = `${from} + cast(i as bigint) * ${step}`;
  await bench.db.raw(
    `insert into events (webhook_id, webhook_type, webhook_code, link_id, payload, received_at, available_at, processed_at, state, attempts)
     select 'history-' || i, 'LINK', 'invalid_credentials', 'history-link-' || i, '{}', ${at}, ${at}, ${at}, 'done', 1
     from ${series(bench, n)}`,
  );
  await bench.db.raw(
    `insert into cases (link_id, kind, status, user_id, external_id, institution, details, failed_attempts, reminder_count, created_at, updated_at, closed_at)
     select 'history-link-' || i, 'credentials', 'resolved', ${userId}, '${BENCH_EXTERNAL_ID}', '${BENCH_INSTITUTION}', '{}', 0, 0, ${at}, ${at}, ${at}
     from ${series(bench, n)}`,
  );
  // A deployment's history was vacuumed long ago; measured straight after the insert, PostgreSQL's
  // autovacuum would be working through two million new rows beside the worker. SQLite's statistics
  // are the product's own business: it brings them up to date when it opens the database.
  if (bench.kind === 'postgres') await bench.db.raw('vacuum analyze');
}

/** `n` open cases, each with its first e-mail queued and due now. */
export async function seedQueuedEmails(bench: BenchDatabase, userId: number, n: number, now: number): Promise<void> {
  await bench.db.raw(
    `insert into cases (link_id, kind, status, user_id, external_id, institution, open_key, details, failed_attempts, reminder_count, created_at, updated_at)
     select 'drain-link-' || i, 'credentials', 'open', ${userId}, '${BENCH_EXTERNAL_ID}', '${BENCH_INSTITUTION}',
            'drain-link-' || i || ':credentials', '{"errorCode":"login_error"}', 0, 0, ${now}, ${now}
     from ${series(bench, n)}`,
  );
  await bench.db.raw(
    `insert into outbox (case_id, template, channel, state, attempts, available_at, created_at)
     select id, 'remediation', 'email', 'pending', 0, ${now}, ${now} from cases where link_id like 'drain-link-%'`,
  );
}

/**
 * Rows of a work table still waiting or claimed, read the way the product reads its backlog (its
 * partial indexes): a bench polls this while the product runs, and a count over the whole table would
 * take the machine's CPU from what is measured.
 */
export async function unfinished(bench: BenchDatabase, table: WorkTable): Promise<number> {
  return (await workBacklog(bench.db, table)).pending;
}
