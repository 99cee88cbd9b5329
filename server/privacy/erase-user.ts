// Erasure (DELETE /api/users/:externalId): the person's contact details, name and document go from
// every table, in one transaction. Their open cases close (their links stop working, their reminders
// and queued messages stop) and every case of theirs stays as an anonymous count. The user row goes
// too, and with it the registrations of their links: a webhook naming them later finds nobody, and
// its case is `unreachable` until the operator registers them again. On SQLite the data must also
// leave the files: deleted rows are zeroed (secure_delete, db/database.ts) and the write-ahead log,
// which still holds the pages as they were, is emptied once the transaction has committed.
import type { Knex } from 'knex';
import { ERASURE_ACTOR } from '../case-actions/case-actor.ts';
import { closeCase } from '../case-actions/close-case.ts';
import { anonymiseCases, lockCasesOfPerson } from '../cases/case-erasure.ts';
import { ACTIVE_STATUSES, type CaseStatus } from '../cases/case-types.ts';
import { deleteDevInboxMessagesTo } from '../channels/dev-inbox-channel.ts';
import { isSqlite } from '../db/database.ts';
import { LOG_TRUNCATE_TIMEOUT_MS, truncateWriteAheadLog } from '../db/sqlite-log.ts';
import { AppError, notFound } from '../errors.ts';
import { deleteSessionsOfCases } from '../http/session-store.ts';
import type { Logger } from '../logger.ts';
import { anonymiseDeliveriesOf } from '../operator-webhooks/operator-events.ts';
import { deleteUserAndLinks, linkIdsOfUser, lockUserByExternalId } from '../users/user-repository.ts';
import { personalStrings, personalTextScrubber, personalValues } from './personal-text.ts';

export interface ErasureDeps {
  db: Knex;
  logger: Logger;
}

export interface ErasureResult {
  /** The person's cases, kept as anonymous counts. */
  cases: number;
  /** Those that were still active and are now closed. */
  closed: number;
}

async function eraseRows(trx: Knex.Transaction, externalId: string, now: number): Promise<ErasureResult | undefined> {
  const user = await lockUserByExternalId(trx, externalId);
  if (!user) return undefined;
  const linkIds = await linkIdsOfUser(trx, externalId);
  const cases = await lockCasesOfPerson(trx, { userId: user.id, externalId, linkIds });
  const active = cases.filter((c) => ACTIVE_STATUSES.includes(c.status as CaseStatus));
  for (const c of active) await closeCase(trx, c.id, { actor: ERASURE_ACTOR }, now);
  const ids = cases.map((c) => c.id);
  await anonymiseCases(trx, ids, personalTextScrubber(personalStrings(personalValues(user))));
  // What the operator's endpoint answered may quote anything it was sent, the external id included.
  await anonymiseDeliveriesOf(trx, externalId, personalTextScrubber(personalStrings([...personalValues(user), externalId])));
  await deleteSessionsOfCases(trx, ids);
  await deleteDevInboxMessagesTo(trx, [user.email, user.phone].filter((contact): contact is string => contact !== null));
  await deleteUserAndLinks(trx, user);
  return { cases: ids.length, closed: active.length };
}

export async function eraseUser(deps: ErasureDeps, externalId: string, now: number): Promise<ErasureResult> {
  const result = await deps.db.transaction((trx) => eraseRows(trx, externalId, now));
  if (!result) throw notFound(`No user ${externalId}`);
  // The person is not named in the log: the log outlives the erasure.
  deps.logger.info('erasure: a user and their personal data were deleted', { ...result });
  if (isSqlite(deps.db) && !(await truncateWriteAheadLog(deps.db))) {
    deps.logger.error('erasure: the SQLite write-ahead log stayed busy; the erased data is still in it');
    throw new AppError(
      503,
      'log_busy',
      `The user is erased from every table, but the database's write-ahead log stayed busy for ` +
        `${LOG_TRUNCATE_TIMEOUT_MS / 1000} s and still holds the old rows: erase another user or restart to empty it`,
    );
  }
  return result;
}
