// Claiming work: the rows of a dead worker first, then the pending ones in the order they are due;
// and, by the database's own plan, a claim reads the batch it takes, not the backlog or the history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { claimBatch } from '../../server/db/claim.ts';
import { isSqlite } from '../../server/db/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

const NOW = 1_800_000_000_000;

function eventRow(n: number, state: string, availableAt: number, extra: Record<string, unknown> = {}) {
  return {
    webhook_id: `claim-${n}`,
    webhook_type: 'LINK',
    webhook_code: 'invalid_credentials',
    link_id: `link-${n}`,
    payload: '{}',
    received_at: availableAt,
    available_at: availableAt,
    state,
    attempts: 0,
    ...extra,
  };
}

async function insertEvents(db: Knex, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) await db('events').insert(rows.slice(i, i + 400));
}

describe('claimBatch', () => {
  test('takes a dead worker\'s rows first, then pending rows that are due, oldest first, never one due later', async () => {
    const db = database.db;
    await db('events').delete();
    await insertEvents(db, [
      eventRow(1, 'pending', NOW - 10),
      eventRow(2, 'pending', NOW + 60_000),
      eventRow(3, 'pending', NOW - 20),
      eventRow(4, 'running', NOW - 100, { lease_until: NOW - 1, lease_owner: 'dead', attempts: 1 }),
      eventRow(5, 'running', NOW - 100, { lease_until: NOW + 30_000, lease_owner: 'alive', attempts: 1 }),
      eventRow(6, 'done', NOW - 500),
    ]);
    const first = await claimBatch<{ id: number; attempts: number; webhook_id: string; lease_owner: string }>(db, {
      table: 'events',
      owner: 'me',
      now: NOW,
      leaseMs: 60_000,
      limit: 2,
    });
    assert.deepEqual(first.map((row) => row.webhook_id).sort(), ['claim-3', 'claim-4']);
    assert.ok(first.every((row) => row.lease_owner === 'me'));
    assert.equal(first.find((row) => row.webhook_id === 'claim-4')!.attempts, 2, 'a retaken row counts the new try');
    const rest = await claimBatch<{ id: number; attempts: number; webhook_id: string }>(db, {
      table: 'events',
      owner: 'me',
      now: NOW,
      leaseMs: 60_000,
      limit: 10,
    });
    assert.deepEqual(rest.map((row) => row.webhook_id), ['claim-1']);
  });
});

/** The plan the database would use for each statement a claim runs, as text. */
async function claimPlans(db: Knex): Promise<string[]> {
  const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  // knex reports PostgreSQL's statements with $1-style placeholders; db.raw takes ?.
  const record = (query: { sql: string; bindings?: readonly unknown[] }) =>
    statements.push({ sql: query.sql.replace(/\$\d+/g, '?'), bindings: query.bindings ?? [] });
  db.on('query', record);
  try {
    await claimBatch(db, { table: 'events', owner: 'plan', now: NOW, leaseMs: 60_000, limit: 20 });
  } finally {
    db.off('query', record);
  }
  const plans: string[] = [];
  for (const { sql, bindings } of statements) {
    if (isSqlite(db)) {
      const rows = (await db.raw(`explain query plan ${sql}`, bindings as Knex.RawBinding[])) as Array<{ detail: string }>;
      plans.push(rows.map((row) => row.detail).join('\n'));
    } else {
      const result = (await db.raw(`explain ${sql}`, bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
      plans.push(result.rows.map((row) => row['QUERY PLAN']).join('\n'));
    }
  }
  return plans;
}

describe('the claim\'s plan, with a long history and a backlog', () => {
  before(async () => {
    const db = database.db;
    await db('events').delete();
    if (isSqlite(db)) {
      const rows = Array.from({ length: 30_000 }, (_, i) => eventRow(i, i < 25_000 ? 'done' : 'pending', NOW - 1_000_000 + i));
      await insertEvents(db, rows);
      await db.raw('analyze');
    } else {
      await db.raw(
        `insert into events (webhook_id, webhook_type, webhook_code, link_id, payload, received_at, available_at, state)
         select 'plan-' || n, 'LINK', 'invalid_credentials', 'link-' || n, '{}', ?::bigint + n, ?::bigint + n,
                case when n < 200000 then 'done' else 'pending' end
         from generate_series(1, 250000) as n`,
        [NOW - 1_000_000, NOW - 1_000_000],
      );
      await db.raw('analyze events');
    }
  });

  test('each statement walks a partial index: no scan of the table, no sort of the backlog', async () => {
    const plans = await claimPlans(database.db);
    assert.ok(plans.length >= 2, 'the claim looks for expired leases, then for pending rows');
    assert.ok(plans.some((plan) => /events_pending_claim_index/.test(plan)), `the pending rows come from their index:\n${plans.join('\n\n')}`);
    assert.ok(plans.some((plan) => /events_running_lease_index/.test(plan)), `expired leases come from theirs:\n${plans.join('\n\n')}`);
    for (const plan of plans) {
      // SQLite reads the candidates first, then updates them by primary key.
      assert.match(plan, /events_(pending_claim|running_lease)_index|INTEGER PRIMARY KEY/, `uses an index:\n${plan}`);
      assert.doesNotMatch(plan, /Seq Scan on events|SCAN events(?! USING)/, `no table scan:\n${plan}`);
      assert.doesNotMatch(plan, /\bSort\b|TEMP B-TREE/, `no sort of the backlog:\n${plan}`);
    }
  });
});
