// A user's identity document (CPF or CNPJ, digits only): Brazilian Open Finance needs it to renew a
// consent in My Belvo Portal and to connect again through Belvo's widget.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.string('document_type', 8).nullable();
    t.string('document_number', 14).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('document_type');
    t.dropColumn('document_number');
  });
}
