// Webhook deliveries that ended (delivered, or failed for good) go with RETENTION_DAYS like handled
// events: a partial index by age over those rows only, so retention reads what it deletes and the
// worker's claims never maintain it.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('webhook_deliveries', (t) => {
    t.index(['created_at'], 'webhook_deliveries_retention_index', { predicate: db.whereRaw("state in ('done', 'failed')") });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('webhook_deliveries', (t) => {
    t.dropIndex([], 'webhook_deliveries_retention_index');
  });
}
