// Which person an operator webhook names (its case's or link's external id), so that erasure finds
// the deliveries that name them from an index instead of reading every payload.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('webhook_deliveries', (t) => {
    t.string('external_id', 200).nullable();
    t.index(['external_id'], 'webhook_deliveries_external_id_index', { predicate: db.whereNotNull('external_id') });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('webhook_deliveries', (t) => {
    t.dropIndex([], 'webhook_deliveries_external_id_index');
    t.dropColumn('external_id');
  });
}
