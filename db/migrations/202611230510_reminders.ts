// Reminders and expiry: the user's time zone (quiet hours), each case's reminder schedule, the
// channel that last failed for good, and a way to find a message from Twilio's status callback.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.string('time_zone', 64).nullable();
  });
  await db.schema.alterTable('cases', (t) => {
    // When the schedule counts from: the last first-message (template "remediation") sent.
    t.bigInteger('reminder_anchor').nullable();
    t.integer('reminder_count').notNullable().defaultTo(0);
    // When the worker should look at the case again; also the claim (see reminder-repository.ts).
    t.bigInteger('next_reminder_at').nullable().index();
    t.bigInteger('expires_at').nullable();
    t.string('failed_channel', 8).nullable();
  });
  await db.schema.alterTable('outbox', (t) => {
    t.index(['provider_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('outbox', (t) => {
    t.dropIndex(['provider_id']);
  });
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex(['next_reminder_at']);
    for (const column of ['reminder_anchor', 'reminder_count', 'next_reminder_at', 'expires_at', 'failed_channel']) t.dropColumn(column);
  });
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('time_zone');
  });
}
