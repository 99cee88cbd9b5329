// The person a case is about: the user it names, else one the operator registered since the webhook
// came (by the webhook's external id, or by the link's registration).
import type { Knex } from 'knex';
import type { CaseRecord } from '../cases/case-types.ts';
import { findLink, findUserById, findUserForWebhook, type UserRecord } from '../users/user-repository.ts';

export async function findCasePerson(db: Knex | Knex.Transaction, theCase: CaseRecord): Promise<UserRecord | undefined> {
  if (theCase.userId !== null) return findUserById(db, theCase.userId);
  return findUserForWebhook(db, theCase.externalId, await findLink(db, theCase.linkId));
}
