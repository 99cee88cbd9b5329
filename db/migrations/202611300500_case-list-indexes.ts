// Indexes for the console's case list filters (external id, institution) and the funnel's period
// (created_at), so that neither reads the whole cases table.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.index(['created_at']);
    t.index(['external_id']);
    t.index(['institution']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex(['institution']);
    t.dropIndex(['external_id']);
    t.dropIndex(['created_at']);
  });
}
