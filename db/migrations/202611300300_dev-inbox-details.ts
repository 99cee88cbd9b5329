// The dev inbox shows a WhatsApp message as the person would see it: besides its text, the
// template, its variables and the button, kept as JSON in `details`.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('dev_inbox', (t) => {
    t.text('details').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('dev_inbox', (t) => {
    t.dropColumn('details');
  });
}
