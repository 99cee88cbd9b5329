// What Belvo's ACCOUNTS and payments webhooks tell the operator. Link account state has its own table
// keyed by link_id, because a link Belvo writes about may never have been registered in `links`.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('link_accounts', (t) => {
    t.string('link_id', 64).primary();
    t.string('last_webhook_id', 100).notNullable();
    t.string('last_code', 100).notNullable();
    t.bigInteger('last_event_at').notNullable();
    t.integer('total_accounts').nullable();
    t.integer('new_accounts').nullable();
    // From GET /api/accounts/?link=…, after new_accounts_available.
    t.integer('accounts_count').nullable();
    t.text('account_ids').nullable();
    t.bigInteger('accounts_fetched_at').nullable();
    t.bigInteger('updated_at').notNullable();
  });

  // A work table, claimed like events and outbox (server/db/claim.ts).
  await db.schema.createTable('account_fetches', (t) => {
    t.increments('id');
    t.string('link_id', 64).notNullable().index();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at').nullable();
    t.string('state', 16).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('available_at').notNullable();
    t.bigInteger('lease_until').nullable();
    t.string('lease_owner', 64).nullable();
    t.text('last_error').nullable();
    t.index(['state', 'available_at']);
  });

  await db.schema.createTable('payments', (t) => {
    t.increments('id');
    // The seeds show one object_id under two types, so the type is part of the key.
    t.string('object_type', 64).notNullable();
    t.string('object_id', 100).notNullable().index();
    t.string('last_code', 100).notNullable();
    t.string('last_webhook_id', 100).notNullable();
    t.integer('events').notNullable().defaultTo(0);
    t.string('status', 64).nullable();
    t.string('failure_code', 100).nullable();
    t.text('failure_message').nullable();
    // What makes one status newer than another: see server/payments/payment-decision.ts.
    t.integer('status_event_id').nullable();
    t.bigInteger('status_at').nullable();
    t.bigInteger('first_seen_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['object_type', 'object_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['payments', 'account_fetches', 'link_accounts']) await db.schema.dropTableIfExists(table);
}
