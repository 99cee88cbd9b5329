// The worker's reminder round: each due case is claimed (cases/case-reminders.ts), then, in one
// transaction, reminded, expired or rescheduled as reminderStep says. The schedule lives in the
// database, so a restart misses nothing and two workers never send the same reminder.
import type { Knex } from 'knex';
import { addTimeline, findCase, transitionCase } from '../cases/case-repository.ts';
import { claimDueCases, readReminderState, saveReminderProgress } from '../cases/case-reminders.ts';
import { ACTIONABLE_STATUSES } from '../cases/case-types.ts';
import type { Clock } from '../clock.ts';
import { jobLogger, type Logger } from '../logger.ts';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { enqueueMessage } from '../outbox/outbox-repository.ts';
import { findUserById } from '../users/user-repository.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';
import { reminderCase, timeZoneOf } from '../reminders/reminder-repository.ts';
import { reminderStep, type ReminderConfig } from '../reminders/reminder-schedule.ts';

export interface ReminderTaskDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  config: ReminderConfig;
  channelPolicy: ChannelPolicy;
  leaseMs: number;
}

const BATCH = 20;

async function advanceCase(deps: ReminderTaskDeps, caseId: number, now: number): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const theCase = await findCase(trx, caseId);
    const state = await readReminderState(trx, caseId);
    if (!theCase || !state) return;
    const user = theCase.userId === null ? undefined : await findUserById(trx, theCase.userId);
    const step = reminderStep(reminderCase(theCase, state), timeZoneOf(theCase, user), now, deps.config);
    switch (step.type) {
      case 'none':
        return saveReminderProgress(trx, caseId, { nextReminderAt: null });
      case 'wait':
        return saveReminderProgress(trx, caseId, { nextReminderAt: step.at });
      case 'expire':
        if (await transitionCase(trx, caseId, ACTIONABLE_STATUSES, 'expired', now)) {
          await addTimeline(trx, caseId, 'expired', now, { reason: 'no_answer', reminders_sent: state.remindersSent });
        }
        return saveReminderProgress(trx, caseId, { nextReminderAt: null });
      case 'remind': {
        await enqueueMessage(trx, { caseId, template: 'reminder', policy: deps.channelPolicy }, now);
        return saveReminderProgress(trx, caseId, { remindersSent: step.remindersSent, nextReminderAt: step.next });
      }
    }
  });
}

export function reminderTask(deps: ReminderTaskDeps): WorkerTask {
  return {
    name: 'reminders',
    async run() {
      const now = deps.clock.now();
      const ids = await claimDueCases(deps.db, now, deps.leaseMs, BATCH);
      for (const id of ids) {
        try {
          await advanceCase(deps, id, now);
        } catch (err) {
          // The claim pushed next_reminder_at a lease ahead: the case is tried again then.
          jobLogger(deps.logger, 'reminder', id).error('reminder step failed', { case_id: id, err });
        }
      }
      return ids.length;
    },
  };
}
