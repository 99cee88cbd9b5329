// Finding one person's cases by their user id (GET /api/users/:externalId, and erasure, which locks
// them) reads an index rather than the whole cases table.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.index(['user_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex(['user_id']);
  });
}
