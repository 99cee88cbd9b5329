// Showing an operator a person's full contact is itself recorded on the case: who looked, and when.
import type { Knex } from 'knex';
import { addTimeline, findCase } from '../cases/case-repository.ts';
import { notFound } from '../errors.ts';
import type { CaseActor } from './case-actor.ts';

export async function recordContactShown(db: Knex, caseId: number, actor: CaseActor, now: number): Promise<void> {
  if (!(await findCase(db, caseId))) throw notFound(`No case ${caseId}`);
  await addTimeline(db, caseId, 'contact_revealed', now, { ...actor });
}
