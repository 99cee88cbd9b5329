// Outbound webhooks to the operator's backend (issue 9 §1): one row per event, written in the
// transaction of the change that causes it, then claimed and delivered by the worker like the
// outbox (server/db/claim.ts). `payload` is the exact body every attempt sends, and `webhook_id`
// the Standard Webhooks id every attempt carries, so the operator can drop repeats.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('webhook_deliveries', (t) => {
    t.increments('id');
    t.string('webhook_id', 40).notNullable().unique();
    t.string('type', 32).notNullable();
    t.text('payload').notNullable();
    // When the event happened (the payload's `timestamp`).
    t.bigInteger('created_at').notNullable();
    // pending | running | done | failed
    t.string('state', 16).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('available_at').notNullable();
    t.bigInteger('lease_until').nullable();
    t.string('lease_owner', 100).nullable();
    t.string('last_error', 500).nullable();
    // What the endpoint answered last: its status code and the start of its body.
    t.integer('last_status').nullable();
    t.string('last_body', 200).nullable();
    t.bigInteger('last_attempt_at').nullable();
    t.bigInteger('delivered_at').nullable();
    t.index(['available_at', 'id'], 'webhook_deliveries_pending_claim_index', { predicate: db.whereRaw("state = 'pending'") });
    t.index(['lease_until'], 'webhook_deliveries_running_lease_index', { predicate: db.whereRaw("state = 'running'") });
    // The operator's list filtered by status, newest first.
    t.index(['state', 'id'], 'webhook_deliveries_state_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('webhook_deliveries');
}
