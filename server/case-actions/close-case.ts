// Closing a case by hand: the operator (API or console) decides a case needs nothing more. Its links
// stop working (the portal refuses ended cases), its reminders stop, and a message still waiting in
// the outbox is skipped when its turn comes (outbox-sender.ts checks the case first).
import type { Knex } from 'knex';
import { addTimeline, findCase, transitionCase } from '../cases/case-repository.ts';
import { ACTIVE_STATUSES, type CaseRecord } from '../cases/case-types.ts';
import { AppError, notFound } from '../errors.ts';
import { saveReminderProgress } from '../cases/case-reminders.ts';
import type { CaseActor } from './case-actor.ts';

export interface CloseRequest {
  actor: CaseActor;
  /** Kept on the timeline, for whoever looks at the case later. */
  reason?: string | undefined;
}

export interface CloseResult {
  theCase: CaseRecord;
  /** False when the case was already closed: closing twice changes nothing. */
  changed: boolean;
}

export const caseEnded = (theCase: CaseRecord, doing: string) =>
  new AppError(409, 'case_ended', `Case ${theCase.id} is ${theCase.status}: there is nothing to ${doing}`, {
    status: theCase.status,
  });

export async function closeCase(db: Knex, caseId: number, request: CloseRequest, now: number): Promise<CloseResult> {
  return db.transaction(async (trx) => {
    const theCase = await findCase(trx, caseId);
    if (!theCase) throw notFound(`No case ${caseId}`);
    if (theCase.status === 'closed') return { theCase, changed: false };
    if (!(await transitionCase(trx, caseId, ACTIVE_STATUSES, 'closed', now))) {
      const current = (await findCase(trx, caseId)) ?? theCase;
      if (current.status === 'closed') return { theCase: current, changed: false };
      throw caseEnded(current, 'close');
    }
    await saveReminderProgress(trx, caseId, { nextReminderAt: null });
    await addTimeline(trx, caseId, 'closed', now, { ...request.actor, ...(request.reason ? { reason: request.reason } : {}) });
    return { theCase: (await findCase(trx, caseId))!, changed: true };
  });
}
