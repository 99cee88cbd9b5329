// Mass events, send rates and retention (issue 11):
// - `storms`: one row per institution the storm guard has ever held, its state and why; the row
//   is what all instances agree on, and turning it to `holding` is what tells the operator once.
// - `send_slots`: the messages sent within the last second per channel, for rate limits shared by
//   every instance (server/outbox/send-rate.ts); a handful of rows, pruned as it goes.
// - Indexes so that the storm guard counts one institution's recent cases, a release finds the held
//   messages, and retention finds what has aged out, each without reading whole tables.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('storms', (t) => {
    t.string('institution', 120).primary();
    // holding | released
    t.string('state', 16).notNullable();
    // threshold | institution_down
    t.string('reason', 24).notNullable();
    // The cases the guard counted in its window when it started holding.
    t.integer('cases').notNullable().defaultTo(0);
    t.bigInteger('detected_at').notNullable();
    t.bigInteger('released_at').nullable();
    // Cases created before this do not count towards the next storm: a release restarts counting.
    t.bigInteger('counting_since').notNullable().defaultTo(0);
  });

  await db.schema.createTable('send_slots', (t) => {
    t.increments('id');
    t.string('channel', 8).notNullable().index();
    t.bigInteger('started_at').notNullable();
    // Null while the send is in flight.
    t.bigInteger('finished_at').nullable();
  });

  await db.schema.alterTable('cases', (t) => {
    t.index(['institution', 'created_at'], 'cases_institution_created_index');
    t.index(['closed_at'], 'cases_closed_at_index', { predicate: db.whereNotNull('closed_at') });
  });
  await db.schema.alterTable('outbox', (t) => {
    t.index(['case_id'], 'outbox_held_index', { predicate: db.whereRaw("state = 'held'") });
  });
  // Partial, so that the webhook intake, which inserts pending events, never maintains it.
  await db.schema.alterTable('events', (t) => {
    t.index(['received_at'], 'events_retention_index', { predicate: db.whereRaw("state in ('done', 'failed')") });
  });
  await db.schema.alterTable('dev_inbox', (t) => {
    t.index(['created_at'], 'dev_inbox_created_at_index');
  });
  await db.schema.alterTable('account_fetches', (t) => {
    t.index(['finished_at'], 'account_fetches_finished_at_index', { predicate: db.whereNotNull('finished_at') });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('account_fetches', (t) => {
    t.dropIndex([], 'account_fetches_finished_at_index');
  });
  await db.schema.alterTable('dev_inbox', (t) => {
    t.dropIndex([], 'dev_inbox_created_at_index');
  });
  await db.schema.alterTable('events', (t) => {
    t.dropIndex([], 'events_retention_index');
  });
  await db.schema.alterTable('outbox', (t) => {
    t.dropIndex([], 'outbox_held_index');
  });
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex([], 'cases_closed_at_index');
    t.dropIndex([], 'cases_institution_created_index');
  });
  await db.schema.dropTable('send_slots');
  await db.schema.dropTable('storms');
}
