// The name people know a bank by: the operator's registration of the link, else one made from
// Belvo's institution code ("erebor_mx_retail" → "Erebor").
import type { Knex } from 'knex';
import { readableInstitution } from '../i18n/locale.ts';

export type InstitutionNamer = (linkId: string, code: string | null) => string | null;

export async function institutionNamer(db: Knex, linkIds: readonly string[]): Promise<InstitutionNamer> {
  const rows =
    linkIds.length === 0
      ? []
      : await db('links').whereIn('link_id', linkIds).whereNotNull('institution_display_name').select('link_id', 'institution_display_name');
  const names = new Map(rows.map((r) => [r.link_id, r.institution_display_name]));
  return (linkId, code) => names.get(linkId) ?? readableInstitution(code);
}
