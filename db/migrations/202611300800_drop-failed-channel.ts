// cases.failed_channel was never read: the channels that failed for a case are those of its failed
// outbox messages (outbox-repository.ts, failedChannels).
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // ALTER TABLE … DROP COLUMN on both databases: knex's SQLite path would copy the whole table.
  await db.raw('alter table cases drop column failed_channel');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.string('failed_channel', 8).nullable();
  });
}
