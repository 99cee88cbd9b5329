// Erasure (server/privacy/erase-user.ts) keeps a person's cases as anonymous counts: the cases and
// their timelines stay, for the funnel and the operator's figures, but nothing in them says who
// they were about. Only cases/ writes the `cases` table, so the writes live here.
import type { Knex } from 'knex';
import { isSqlite } from '../db/database.ts';

export interface CasePerson {
  userId: number;
  externalId: string;
  /** Links registered to the person: a case a webhook opened before they were known is theirs too. */
  linkIds: readonly string[];
}

export interface PersonCase {
  id: number;
  status: string;
}

/**
 * Every case of the person: by their user id, by the external id a webhook named, or, for a case no
 * user was found for, by its link's registration. On PostgreSQL they stay locked until the erasure
 * commits, so that no webhook or submission changes one half-way.
 */
export async function lockCasesOfPerson(trx: Knex.Transaction, person: CasePerson): Promise<PersonCase[]> {
  const query = trx('cases')
    .select('id', 'status')
    .where((q) => {
      q.where({ user_id: person.userId }).orWhere({ external_id: person.externalId });
      if (person.linkIds.length > 0) q.orWhere((byLink) => byLink.whereNull('user_id').whereIn('link_id', person.linkIds));
    })
    .orderBy('id');
  if (!isSqlite(trx)) query.forUpdate();
  return (await query) as PersonCase[];
}

/** Cuts the cases loose from their person and rewrites their details and timelines with `scrub`. */
export async function anonymiseCases(trx: Knex.Transaction, ids: readonly number[], scrub: (text: string) => string): Promise<void> {
  if (ids.length === 0) return;
  await trx('cases').whereIn('id', ids).update({ user_id: null, external_id: null });
  const details = await trx('cases').whereIn('id', ids).select('id', 'details');
  for (const row of details) {
    const clean = scrub(row.details);
    if (clean !== row.details) await trx('cases').where({ id: row.id }).update({ details: clean });
  }
  const entries = await trx('case_timeline').whereIn('case_id', ids).whereNotNull('detail').select('id', 'detail');
  for (const row of entries) {
    if (row.detail === null) continue;
    const clean = scrub(row.detail);
    if (clean !== row.detail) await trx('case_timeline').where({ id: row.id }).update({ detail: clean });
  }
}
