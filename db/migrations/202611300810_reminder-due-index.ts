// The reminder claim reads due cases by next_reminder_at among the actionable ones. A case that
// closed keeps its last next_reminder_at, so an index over every case made each claim step over the
// whole closed history; this one holds the actionable cases alone (server/cases/case-reminders.ts
// states the same condition, word for word, so that both databases use it).
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex(['next_reminder_at']);
    t.index(['next_reminder_at'], 'cases_reminder_due_index', { predicate: db.whereRaw("status in ('open', 'notified', 'opened')") });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex([], 'cases_reminder_due_index');
    t.index(['next_reminder_at']);
  });
}
