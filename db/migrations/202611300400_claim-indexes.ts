// Claiming work costs the batch, not the backlog: each work table gets two partial indexes, one over
// its pending rows in the order they are claimed and one over its running rows by lease expiry, so a
// claim reads the rows it takes and nothing else however many wait or are done. They replace the
// (state, available_at) indexes, which the claim's OR across two states could not use in order.
import type { Knex } from 'knex';

const WORK_TABLES = ['events', 'outbox', 'account_fetches'] as const;

export async function up(db: Knex): Promise<void> {
  for (const table of WORK_TABLES) {
    await db.schema.alterTable(table, (t) => {
      t.dropIndex(['state', 'available_at']);
      t.index(['available_at', 'id'], `${table}_pending_claim_index`, { predicate: db.whereRaw("state = 'pending'") });
      t.index(['lease_until'], `${table}_running_lease_index`, { predicate: db.whereRaw("state = 'running'") });
    });
  }
}

export async function down(db: Knex): Promise<void> {
  for (const table of WORK_TABLES) {
    await db.schema.alterTable(table, (t) => {
      t.dropIndex([], `${table}_running_lease_index`);
      t.dropIndex([], `${table}_pending_claim_index`);
      t.index(['state', 'available_at']);
    });
  }
}
