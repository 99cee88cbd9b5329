// A held message never goes out later than its case would have lived: held longer than a case lives
// (the reminder schedule's expiry, counted from when the message was held), its case expires and the
// message is dropped, so that no release can send it. The rows are read from outbox_held_index; each
// change is conditional, so two workers doing this at once expire each case once.
import type { Knex } from 'knex';
import { addTimeline, transitionCase } from '../cases/case-repository.ts';
import { ACTIVE_STATUSES } from '../cases/case-types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { dropHeldMessages, heldSince } from '../outbox/outbox-repository.ts';
import { periodicTask } from '../jobs/periodic-task.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';

const BATCH = 100;
const LOOK_AGAIN_MS = 60_000;

export interface HeldExpiryDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** How long an unanswered case lives (the reminder schedule's expiry). */
  expiryMs: number;
}

/** One batch of messages held since `cutoff` or longer; how many were dropped. */
export async function expireHeldMessages(db: Knex, cutoff: number, now: number): Promise<number> {
  return db.transaction(async (trx) => {
    const held = await heldSince(trx, cutoff, BATCH);
    let dropped = 0;
    for (const message of held) {
      if ((await dropHeldMessages(trx, { id: message.id }, 'case expired while held')).length === 0) continue;
      dropped++;
      if (await transitionCase(trx, message.case_id, ACTIVE_STATUSES, 'expired', now)) {
        await addTimeline(trx, message.case_id, 'expired', now, { reason: 'held_too_long' });
      }
      await addTimeline(trx, message.case_id, 'message_skipped', now, { message_id: message.id, reason: 'case expired' });
    }
    return dropped;
  });
}

export function heldExpiryTask(deps: HeldExpiryDeps): WorkerTask {
  return periodicTask({
    name: 'held-expiry',
    clock: deps.clock,
    everyMs: LOOK_AGAIN_MS,
    async pass(now) {
      const dropped = await expireHeldMessages(deps.db, now - deps.expiryMs, now);
      if (dropped > 0) deps.logger.info('storm guard: messages held longer than a case lives were dropped, their cases expired', { dropped });
      return { handled: dropped, more: dropped === BATCH };
    },
  });
}
