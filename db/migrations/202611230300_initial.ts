// The first schema. Timestamps are epoch milliseconds (bigint), JSON is text: the same in SQLite
// and PostgreSQL. Work tables (events, outbox) share the claim columns used by server/db/claim.ts.
import type { Knex } from 'knex';

function claimColumns(t: Knex.CreateTableBuilder): void {
  t.string('state', 16).notNullable().defaultTo('pending');
  t.integer('attempts').notNullable().defaultTo(0);
  t.bigInteger('available_at').notNullable();
  t.bigInteger('lease_until').nullable();
  t.string('lease_owner', 64).nullable();
  t.text('last_error').nullable();
  t.index(['state', 'available_at']);
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('external_id', 200).notNullable().unique();
    t.string('email', 320).nullable();
    t.string('phone', 20).nullable();
    t.string('locale', 8).nullable();
    t.string('name', 200).nullable();
    t.string('channels', 32).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await db.schema.createTable('links', (t) => {
    t.string('link_id', 64).primary();
    t.string('external_id', 200).notNullable().index();
    t.string('institution', 120).nullable();
    t.string('institution_display_name', 200).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await db.schema.createTable('events', (t) => {
    t.increments('id');
    t.string('webhook_id', 100).notNullable().unique();
    t.string('webhook_type', 64).notNullable();
    t.string('webhook_code', 100).notNullable();
    t.string('link_id', 64).nullable();
    t.string('object_id', 64).nullable();
    t.text('payload').notNullable();
    t.bigInteger('received_at').notNullable();
    t.bigInteger('processed_at').nullable();
    claimColumns(t);
  });

  await db.schema.createTable('cases', (t) => {
    t.increments('id');
    t.string('link_id', 64).notNullable().index();
    t.string('kind', 16).notNullable();
    t.string('status', 16).notNullable().index();
    t.integer('user_id').nullable().references('users.id');
    t.string('external_id', 200).nullable();
    t.string('institution', 120).nullable();
    // Set to "<link_id>:<kind>" while the case is active and cleared when it closes:
    // the unique index is what keeps one active case per link and kind, across processes.
    t.string('open_key', 100).nullable().unique();
    t.text('details').notNullable();
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.bigInteger('submit_lock_until').nullable();
    t.bigInteger('last_notified_at').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('closed_at').nullable();
  });

  await db.schema.createTable('case_timeline', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().references('cases.id').index();
    t.bigInteger('at').notNullable();
    t.string('type', 40).notNullable();
    t.text('detail').nullable();
  });

  await db.schema.createTable('outbox', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().references('cases.id').index();
    t.string('template', 32).notNullable();
    t.string('channel', 8).notNullable();
    // The message this one replaces on another channel after it failed for good.
    t.integer('fallback_of').nullable();
    t.string('provider_id', 100).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    claimColumns(t);
  });

  await db.schema.createTable('dev_inbox', (t) => {
    t.increments('id');
    t.string('channel', 8).notNullable();
    t.string('recipient', 320).notNullable();
    t.string('subject', 300).nullable();
    t.text('text').notNullable();
    t.text('html').nullable();
    t.bigInteger('created_at').notNullable();
  });

  await db.schema.createTable('sessions', (t) => {
    t.string('sid', 128).primary();
    t.text('sess').notNullable();
    t.bigInteger('expires_at').notNullable().index();
  });

  await db.schema.createTable('rate_limits', (t) => {
    t.string('key', 200).primary();
    t.integer('hits').notNullable();
    t.bigInteger('reset_at').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['rate_limits', 'sessions', 'dev_inbox', 'outbox', 'case_timeline', 'cases', 'events', 'links', 'users']) {
    await db.schema.dropTableIfExists(table);
  }
}
