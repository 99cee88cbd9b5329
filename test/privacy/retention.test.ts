// RETENTION_DAYS with a controllable clock: what ended long enough ago goes, with its timeline,
// messages and events; what is still open, or ended recently, stays. And by the database's own plans,
// each batch reads its rows from an index, never a whole table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isSqlite } from '../../server/db/database.ts';
import { createLogger } from '../../server/logger.ts';
import { CASE_BATCH, deleteExpired, retentionTask } from '../../server/privacy/retention-task.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { manualClock } from '../support/manual-clock.ts';
import { getApi, postWebhook, putUser } from '../support/operator-calls.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const DAY = 86_400_000;

describe('retention, as the worker runs it', () => {
  let t: TestApp;
  before(async () => {
    // Cases expire after 60 days here, so that an open case is still open when retention runs.
    t = await startTestApp({ env: { RETENTION_DAYS: '30', CASE_EXPIRY_DAYS: '60' } });
  });
  after(() => t.close());

  async function openCase(): Promise<{ id: number; linkId: string }> {
    const externalId = `keep-${randomUUID()}`;
    const linkId = randomUUID();
    await putUser(t.app, externalId, { email: `${externalId}@example.com` }).expect(201);
    await postWebhook(t.app, freshSeedWebhook('link-invalid-credentials', { linkId, externalId })).expect(202);
    await t.worker.runOnce();
    const [found] = (await getApi(t.app, `/cases?link_id=${linkId}`)).body.cases as Array<{ id: number }>;
    return { id: found!.id, linkId };
  }

  /** Belvo reads the bank through the link: the case is fixed elsewhere, and ends now. */
  async function resolveElsewhere(linkId: string): Promise<void> {
    await postWebhook(t.app, freshSeedWebhook('transactions-historical-update', { linkId })).expect(202);
    await t.worker.runOnce();
  }

  const rowsOf = async (table: string, caseId: number) => Number((await t.database.db(table).where({ case_id: caseId }).count({ n: '*' }))[0]!.n);

  test('a case that ended more than RETENTION_DAYS ago goes with its timeline, messages and events; open and recent ones stay', async () => {
    const old = await openCase();
    await resolveElsewhere(old.linkId);
    const stillOpen = await openCase();
    assert.equal((await getApi(t.app, `/cases/${old.id}`)).body.status, 'resolved');
    assert.ok((await rowsOf('outbox', old.id)) > 0 && (await rowsOf('case_timeline', old.id)) > 0);

    t.clock.advance(20 * DAY);
    const recent = await openCase();
    await resolveElsewhere(recent.linkId);

    t.clock.advance(11 * DAY);
    t.logs.length = 0;
    await t.worker.runOnce();

    assert.equal((await getApi(t.app, `/cases/${old.id}`)).status, 404, 'the old case is gone');
    assert.equal(await rowsOf('outbox', old.id), 0, 'its messages are gone');
    assert.equal(await rowsOf('case_timeline', old.id), 0, 'its timeline is gone');
    assert.equal(await t.database.db('events').where({ link_id: old.linkId }).first(), undefined, 'its events are gone');
    assert.equal((await getApi(t.app, `/cases/${stillOpen.id}`)).body.status, 'notified', 'an open case stays, however old');
    assert.equal((await getApi(t.app, `/cases/${recent.id}`)).body.status, 'resolved', 'a case that ended 11 days ago stays');
    assert.ok(await t.database.db('events').where({ link_id: recent.linkId }).first(), "the recent case's events stay");

    const line = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l['msg']).startsWith('retention'));
    assert.ok(line, 'the log says what retention deleted');
    assert.equal(line['cases'], 1);
    assert.ok(Number(line['events']) >= 2, 'the two events of the old case and the ones before them');
  });
});

const NOW = 1_800_000_000_000;

async function seedCases(db: Knex, n: number, closedFrom: number): Promise<void> {
  const rows = Array.from({ length: n }, (_, i) => ({
    link_id: `link-${i}`,
    kind: 'credentials',
    status: 'resolved',
    details: '{}',
    created_at: closedFrom + i,
    updated_at: closedFrom + i,
    closed_at: closedFrom + i,
  }));
  await insertInBatches(db, 'cases', rows);
}

describe('retention in batches', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  test('one round deletes a bounded number of batches and says more is left', async () => {
    await seedCases(database.db, CASE_BATCH * 2 + 10, NOW - 100 * DAY);
    const first = await deleteExpired(database.db, NOW, 1);
    assert.equal(first.counts.cases, CASE_BATCH);
    assert.equal(first.more, true);
    const rest = await deleteExpired(database.db, NOW, 5);
    assert.equal(rest.counts.cases, CASE_BATCH + 10);
    assert.equal(rest.more, false);
  });

  test('while a long backlog is purged, a round waits for due events and messages to be handled first', async () => {
    const db = database.db;
    const clock = manualClock(NOW);
    const lines: string[] = [];
    const retention = retentionTask({ db, clock, logger: createLogger({ write: (line) => lines.push(line) }), retentionMs: 30 * DAY });
    // More than one round holds: ten batches of a hundred cases.
    await seedCases(db, CASE_BATCH * 10 + 50, NOW - 100 * DAY);
    const casesLeft = async () => Number((await db('cases').count({ n: '*' }))[0]!.n);

    assert.ok((await retention.run('test')) > 0, 'the first round deletes');
    assert.equal(await casesLeft(), 50, 'and leaves the rest for later');

    const [due] = await db('events')
      .insert({ webhook_id: `due-${randomUUID()}`, webhook_type: 'LINK', webhook_code: 'invalid_credentials', payload: '{}', received_at: NOW, available_at: NOW, state: 'pending' })
      .returning('id');
    assert.equal(await retention.run('test'), 0, 'nothing is deleted while an event is due');
    assert.equal(await casesLeft(), 50);

    await db('events').where({ id: (due as { id: number }).id }).update({ state: 'done', processed_at: NOW });
    await retention.run('test');
    assert.equal(await casesLeft(), 0, 'once it is handled, the purge goes on');
  });
});

/** In statements of 400 rows: SQLite limits the values one statement may bind. */
async function insertInBatches(db: Knex, table: string, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) await db(table).insert(rows.slice(i, i + 400));
}

/** Each statement a round runs, with the plan the database chose for it. */
async function retentionPlans(db: Knex, cutoff: number): Promise<Array<{ sql: string; plan: string }>> {
  const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
  const record = (query: { sql: string; bindings?: readonly unknown[] }) =>
    statements.push({ sql: query.sql.replace(/\$\d+/g, '?'), bindings: query.bindings ?? [] });
  db.on('query', record);
  try {
    await deleteExpired(db, cutoff, 1);
  } finally {
    db.off('query', record);
  }
  const plans: Array<{ sql: string; plan: string }> = [];
  for (const { sql, bindings } of statements.filter((s) => /^\s*(select|delete)/i.test(s.sql))) {
    if (isSqlite(db)) {
      const rows = (await db.raw(`explain query plan ${sql}`, bindings as Knex.RawBinding[])) as Array<{ detail: string }>;
      plans.push({ sql, plan: rows.map((row) => row.detail).join('\n') });
    } else {
      const result = (await db.raw(`explain ${sql}`, bindings as Knex.RawBinding[])) as { rows: Array<{ 'QUERY PLAN': string }> };
      plans.push({ sql, plan: result.rows.map((row) => row['QUERY PLAN']).join('\n') });
    }
  }
  return plans;
}

describe("retention's plans over a long history", () => {
  let database: TestDatabase;
  const CASES = 60_000;
  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    // Every case ended, one a second apart, and as many of each other kind of row; the oldest tenth
    // is past the cutoff.
    if (isSqlite(db)) {
      await seedCases(db, CASES, NOW - CASES * 1_000);
      const ids = ((await db('cases').select('id')) as Array<{ id: number }>).map((r) => r.id);
      const timeline = ids.flatMap((id) => [0, 1].map(() => ({ case_id: id, at: NOW, type: 'event_received', detail: null })));
      await insertInBatches(db, 'case_timeline', timeline);
      const outbox = ids.map((id) => ({ case_id: id, template: 'remediation', channel: 'email', state: 'done', available_at: NOW, created_at: NOW }));
      await insertInBatches(db, 'outbox', outbox);
      const events = ids.map((id) => ({
        webhook_id: `e-${id}`,
        webhook_type: 'LINK',
        webhook_code: 'invalid_credentials',
        payload: '{}',
        received_at: NOW - (CASES - id) * 1_000,
        available_at: 0,
        state: 'done',
      }));
      await insertInBatches(db, 'events', events);
      const fetches = ids.map((id) => ({ link_id: `link-${id}`, created_at: 0, available_at: 0, state: 'done', finished_at: NOW - (CASES - id) * 1_000 }));
      await insertInBatches(db, 'account_fetches', fetches);
      const inbox = ids.map((id) => ({ channel: 'email', recipient: `r${id}@example.com`, text: '…', created_at: NOW - (CASES - id) * 1_000 }));
      await insertInBatches(db, 'dev_inbox', inbox);
      const deliveries = ids.map((id) => ({
        webhook_id: `msg_${id}`,
        type: 'case.updated',
        payload: '{}',
        created_at: NOW - (CASES - id) * 1_000,
        available_at: 0,
        state: 'done',
      }));
      await insertInBatches(db, 'webhook_deliveries', deliveries);
      await db.raw('analyze');
    } else {
      const from = NOW - CASES * 1_000;
      await db.raw(
        `insert into cases (link_id, kind, status, details, created_at, updated_at, closed_at)
         select 'link-' || n, 'credentials', 'resolved', '{}', ?::bigint + n * 1000, ?::bigint + n * 1000, ?::bigint + n * 1000
         from generate_series(1, ?) as n`,
        [from, from, from, CASES],
      );
      await db.raw(`insert into case_timeline (case_id, at, type) select id, closed_at, 'event_received' from cases, generate_series(1, 2)`);
      await db.raw(
        `insert into outbox (case_id, template, channel, state, available_at, created_at) select id, 'remediation', 'email', 'done', 0, 0 from cases`,
      );
      await db.raw(
        `insert into events (webhook_id, webhook_type, webhook_code, payload, received_at, available_at, state)
         select 'e-' || n, 'LINK', 'invalid_credentials', '{}', ?::bigint + n * 1000, 0, case when n % 50 = 0 then 'pending' else 'done' end
         from generate_series(1, ?) as n`,
        [from, CASES],
      );
      await db.raw(
        `insert into account_fetches (link_id, created_at, available_at, state, finished_at)
         select 'link-' || n, 0, 0, 'done', ?::bigint + n * 1000 from generate_series(1, ?) as n`,
        [from, CASES],
      );
      await db.raw(
        `insert into dev_inbox (channel, recipient, text, created_at)
         select 'email', 'r' || n || '@example.com', '…', ?::bigint + n * 1000 from generate_series(1, ?) as n`,
        [from, CASES],
      );
      await db.raw(
        `insert into webhook_deliveries (webhook_id, type, payload, created_at, available_at, state)
         select 'msg_' || n, 'case.updated', '{}', ?::bigint + n * 1000, 0, case when n % 50 = 0 then 'pending' else 'done' end
         from generate_series(1, ?) as n`,
        [from, CASES],
      );
      await db.raw('analyze');
    }
  });
  after(() => database.close());

  test('every statement of a batch reads an index, never a whole table', async () => {
    const plans = await retentionPlans(database.db, NOW - CASES * 900);
    assert.ok(plans.length >= 6, `a batch of cases and one of each other table:\n${plans.map((p) => p.sql).join('\n')}`);
    for (const { sql, plan } of plans) {
      assert.doesNotMatch(plan, /Seq Scan on \w+|SCAN \w+\b(?! USING)/, `${sql}\n${plan}`);
    }
    const all = plans.map((p) => p.plan).join('\n');
    assert.match(all, /cases_closed_at_index/, 'ended cases come from their index');
    assert.match(all, /events_retention_index/, 'handled events come from theirs');
    assert.match(all, /webhook_deliveries_retention_index/, 'ended webhook deliveries from theirs');
  });
});
