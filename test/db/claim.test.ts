// Claiming work: the rows of a dead worker first, then the pending ones in the order they are due;
// and, by the database's own plan, a claim reads the batch it takes, not the backlog or the history.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { claimDueCases } from '../../server/cases/case-reminders.ts';
import { claimBatch, finishClaimsDone } from '../../server/db/claim.ts';
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

test('claims racing over one backlog take every row once', async () => {
  const db = database.db;
  await db('events').delete();
  await insertEvents(db, Array.from({ length: 240 }, (_, n) => eventRow(1000 + n, 'pending', NOW - n)));
  const taken: number[] = [];
  const claimer = async (owner: string) => {
    for (;;) {
      const rows = await claimBatch(db, { table: 'events', owner, now: NOW, leaseMs: 60_000, limit: 7 });
      if (rows.length === 0) return;
      taken.push(...rows.map((row) => row.id));
    }
  };
  await Promise.all(Array.from({ length: 6 }, (_, i) => claimer(`racer-${i}`)));
  assert.equal(taken.length, 240, 'every row claimed');
  assert.equal(new Set(taken).size, 240, 'none claimed twice');
  const left = await db('events').whereNot('state', 'running').count({ n: '*' }).first();
  assert.equal(Number(left!.n), 0);
});

/**
 * The plan of each statement that `claim` runs, as text. PostgreSQL's are its plans as it ran them
 * again (EXPLAIN ANALYZE, in a transaction rolled back), so they show how many rows each step read.
 */
async function plansOf(db: Knex, claim: () => Promise<unknown>): Promise<string[]> {
  const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  // knex reports PostgreSQL's statements with $1-style placeholders; db.raw takes ?.
  const record = (query: { sql: string; bindings?: readonly unknown[] }) =>
    statements.push({ sql: query.sql.replace(/\$\d+/g, '?'), bindings: query.bindings ?? [] });
  db.on('query', record);
  try {
    await claim();
  } finally {
    db.off('query', record);
  }
  if (isSqlite(db)) {
    const plans: string[] = [];
    for (const { sql, bindings } of statements) {
      const rows = (await db.raw(`explain query plan ${sql}`, bindings as Knex.RawBinding[])) as Array<{ detail: string }>;
      plans.push(rows.map((row) => row.detail).join('\n'));
    }
    return plans;
  }
  return postgresPlansAsRun(db, statements);
}

const ROLLBACK = new Error('rollback');

/** Runs the statements again as the claim ran them, and undoes them. */
async function postgresPlansAsRun(db: Knex, statements: Array<{ sql: string; bindings: readonly unknown[] }>): Promise<string[]> {
  const plans: string[] = [];
  await db
    .transaction(async (trx) => {
      for (const { sql, bindings } of statements) {
        const result = (await trx.raw(`explain (analyze) ${sql}`, bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
        plans.push(result.rows.map((row) => row['QUERY PLAN']).join('\n'));
      }
      throw ROLLBACK;
    })
    .catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    });
  return plans;
}

/**
 * No statement reads the table whole or sorts what it found: each walks an index or takes rows by id.
 * `indexes`: each must serve one of the statements (a pattern, where either of two may).
 */
function assertIndexedPlans(table: string, plans: string[], indexes: readonly string[]): void {
  const shown = plans.join('\n\n');
  for (const index of indexes) assert.ok(plans.some((plan) => new RegExp(index).test(plan)), `${index} is used:\n${shown}`);
  for (const plan of plans) {
    assert.match(plan, new RegExp(`${indexes.join('|')}|INTEGER PRIMARY KEY|${table}_pkey`), `uses an index:\n${plan}`);
    assert.doesNotMatch(plan, new RegExp(`Seq Scan on ${table}|SCAN ${table}(?! USING)`), `no table scan:\n${plan}`);
    assert.doesNotMatch(plan, /\bSort\b|TEMP B-TREE/, `no sort of the backlog:\n${plan}`);
  }
}

/** PostgreSQL, as it ran them: no step of any statement read more rows than the batch (twice over, for rows another claim holds). */
function assertReadsTheBatch(plans: string[], limit: number): void {
  for (const plan of plans) {
    for (const [, rows, loops] of plan.matchAll(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/g)) {
      assert.ok(Number(rows) * Number(loops) <= 2 * limit, `reads ${rows} rows (${loops} times) for a batch of ${limit}:\n${plan}`);
    }
  }
}

const HISTORY = { sqlite: 30_000, postgres: 250_000 };
const PENDING_SHARE = 0.2;

/**
 * `count` rows of a table: the first ones done long ago (or, for cases, closed with a reminder time
 * left behind), the rest due now. The database's statistics are taken before the rows due arrive, as
 * after a bank breaks thousands of links at once: the planner believes that almost nothing waits.
 * SQLite gets fewer rows, inserted from here; PostgreSQL makes its own.
 */
async function fillTable(db: Knex, table: string, columns: (n: number, done: boolean) => Record<string, unknown>, sqlColumns: Record<string, string>) {
  const count = isSqlite(db) ? HISTORY.sqlite : HISTORY.postgres;
  const doneBelow = Math.round(count * (1 - PENDING_SHARE));
  if (isSqlite(db)) {
    const rows = Array.from({ length: count }, (_, n) => columns(n, n < doneBelow));
    for (let i = 0; i < doneBelow; i += 400) await db(table).insert(rows.slice(i, Math.min(i + 400, doneBelow)));
    await db.raw('analyze');
    for (let i = doneBelow; i < rows.length; i += 400) await db(table).insert(rows.slice(i, i + 400));
    return;
  }
  const names = Object.keys(sqlColumns);
  const values = names.map((name) => sqlColumns[name]!.replaceAll('$done', `n < ${doneBelow}`));
  const insert = (from: number, to: number) =>
    db.raw(`insert into ${table} (${names.join(', ')}) select ${values.join(', ')} from generate_series(${from}, ${to}) as n`);
  await insert(1, doneBelow - 1);
  await db.raw(`analyze ${table}`);
  await insert(doneBelow, count);
}

const SINCE = NOW - 1_000_000_000;
const claimState = (done: boolean) => (done ? 'done' : 'pending');
const sqlClaimState = "case when $done then 'done' else 'pending' end";

describe('each claim\'s plan, with a long history and a backlog', () => {
  let caseId: number;
  before(async () => {
    const db = database.db;
    await db('events').delete();
    const [row] = await db('cases')
      .insert({ link_id: 'plan-link', kind: 'credentials', status: 'notified', details: '{}', created_at: NOW, updated_at: NOW })
      .returning('id');
    caseId = row!.id;
    await fillTable(db, 'events', (n, done) => eventRow(n, claimState(done), SINCE + n), {
      webhook_id: "'plan-' || n",
      webhook_type: "'LINK'",
      webhook_code: "'invalid_credentials'",
      link_id: "'link-' || n",
      payload: "'{}'",
      received_at: `${SINCE} + n`,
      available_at: `${SINCE} + n`,
      state: sqlClaimState,
    });
    await fillTable(
      db,
      'outbox',
      (n, done) => ({ case_id: caseId, template: 'reminder', channel: 'email', created_at: SINCE + n, available_at: SINCE + n, state: claimState(done) }),
      { case_id: String(caseId), template: "'reminder'", channel: "'email'", created_at: `${SINCE} + n`, available_at: `${SINCE} + n`, state: sqlClaimState },
    );
    await fillTable(
      db,
      'account_fetches',
      (n, done) => ({ link_id: `link-${n}`, created_at: SINCE + n, available_at: SINCE + n, state: claimState(done) }),
      { link_id: "'link-' || n", created_at: `${SINCE} + n`, available_at: `${SINCE} + n`, state: sqlClaimState },
    );
    await fillTable(
      db,
      'webhook_deliveries',
      (n, done) => ({ webhook_id: `msg_plan${n}`, type: 'case.opened', payload: '{}', created_at: SINCE + n, available_at: SINCE + n, state: claimState(done) }),
      {
        webhook_id: "'msg_plan' || n",
        type: "'case.opened'",
        payload: "'{}'",
        created_at: `${SINCE} + n`,
        available_at: `${SINCE} + n`,
        state: sqlClaimState,
      },
    );
    await fillTable(
      db,
      'cases',
      (n, done) => ({
        link_id: `link-${n}`,
        kind: 'credentials',
        status: done ? 'resolved' : 'notified',
        details: '{}',
        created_at: SINCE + n,
        updated_at: SINCE + n,
        next_reminder_at: SINCE + n,
      }),
      {
        link_id: "'link-' || n",
        kind: "'credentials'",
        status: "case when $done then 'resolved' else 'notified' end",
        details: "'{}'",
        created_at: `${SINCE} + n`,
        updated_at: `${SINCE} + n`,
        next_reminder_at: `${SINCE} + n`,
      },
    );
  });

  /**
   * Rows whose lease ran out are looked for among the running ones, by their partial index; the
   * operator's list of deliveries has an index by state that reads those same few rows as well.
   */
  const runningIndexes = (table: string) =>
    table === 'webhook_deliveries' ? 'webhook_deliveries_(running_lease|state)_index' : `${table}_running_lease_index`;

  for (const table of ['events', 'outbox', 'account_fetches', 'webhook_deliveries'] as const) {
    test(`${table}: expired leases, then pending rows, each from its partial index`, async () => {
      const db = database.db;
      const plans = await plansOf(db, () => claimBatch(db, { table, owner: 'plan', now: NOW, leaseMs: 60_000, limit: 20 }));
      assert.ok(plans.length >= 2, 'the claim looks for expired leases, then for pending rows');
      assertIndexedPlans(table, plans, [`${table}_pending_claim_index`, runningIndexes(table)]);
      if (!isSqlite(db)) assertReadsTheBatch(plans, 20);
    });
  }

  test('reminders: due cases from the index of actionable ones, never stepping over the closed history', async () => {
    const db = database.db;
    const plans = await plansOf(db, () => claimDueCases(db, NOW, 60_000, 20));
    assert.ok(plans.length >= 2, 'the claim reads the due cases, then takes each');
    assertIndexedPlans('cases', plans, ['cases_reminder_due_index']);
    if (!isSqlite(db)) assertReadsTheBatch(plans, 20);
  });
});

test('finishing many claims at once gives each row its own values, and leaves a row another worker has retaken', async () => {
  const db = database.db;
  await db('events').delete();
  await insertEvents(db, [1, 2, 3].map((n) => eventRow(2000 + n, 'pending', NOW - n)));
  const mine = await claimBatch<{ id: number; attempts: number; webhook_id: string }>(db, { table: 'events', owner: 'me', now: NOW, leaseMs: 60_000, limit: 3 });
  const [a, b, lost] = mine.sort((x, y) => x.webhook_id.localeCompare(y.webhook_id));
  await db('events').where({ id: lost!.id }).update({ lease_owner: 'other' });
  const finished = await finishClaimsDone(db, 'events', 'me', {
    last_error: { values: new Map([[a!.id, 'first'], [b!.id, 'second'], [lost!.id, 'third']]), type: 'text' },
    available_at: { values: new Map([[a!.id, NOW + 1], [b!.id, NOW + 2], [lost!.id, NOW + 3]]), type: 'bigint' },
  });
  assert.deepEqual([...finished].sort(), [a!.id, b!.id].sort());
  const rows = await db('events').whereIn('id', [a!.id, b!.id, lost!.id]).orderBy('webhook_id').select('state', 'lease_owner', 'last_error', 'available_at');
  assert.deepEqual(
    rows.map((row) => [row.state, row.lease_owner, row.last_error, Number(row.available_at)]),
    [
      ['done', null, 'first', NOW + 1],
      ['done', null, 'second', NOW + 2],
      ['running', 'other', null, NOW - 3],
    ],
  );
});
