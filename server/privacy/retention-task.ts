// RETENTION_DAYS: closed cases older than that go for good, with their timelines and messages, and so
// do handled events, account fetches, ended operator webhook deliveries and what the dev inbox caught. The worker deletes in small
// batches, each its own short transaction reading its rows from an index, so SQLite's one writer is
// never held for long and PostgreSQL never scans a table; with a long backlog (retention just turned
// on, say) it keeps going round after round until nothing is left, then looks again now and then.
// What expired waited months and can wait a little more: while such a backlog is worked off, a round
// starts only when no event and no message is due, so the purge never slows the work people wait for.
import type { Knex } from 'knex';
import { casesEndedBefore, deleteCases } from '../cases/case-retention.ts';
import { DEV_INBOX_MESSAGES } from '../channels/dev-inbox-channel.ts';
import type { Clock } from '../clock.ts';
import { workIsDue } from '../db/claim.ts';
import { deleteOldestRows, type AgedRows } from '../db/oldest-rows.ts';
import { FINISHED_ACCOUNT_FETCHES } from '../link-data/link-data-repository.ts';
import type { Logger } from '../logger.ts';
import { FINISHED_DELIVERIES } from '../operator-webhooks/delivery-repository.ts';
import { deleteMessagesOfCases } from '../outbox/outbox-repository.ts';
import { HANDLED_EVENTS } from '../webhooks/event-inbox.ts';
import { periodicTask } from '../jobs/periodic-task.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';

/** Cases per transaction: each brings its timeline (a dozen rows or so) and its messages. */
export const CASE_BATCH = 100;
/** Rows per statement for tables whose rows stand alone. */
export const ROW_BATCH = 500;
/** Batches per round before the worker turns to its other work. */
const BATCHES_PER_ROUND = 10;
const LOOK_AGAIN_MS = 10 * 60_000;

export type RetentionCounts = Record<'cases' | 'events' | 'account_fetches' | 'dev_inbox' | 'webhook_deliveries', number>;

export interface RetentionDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** RETENTION_DAYS, in milliseconds. */
  retentionMs: number;
  /** Told what each round deleted, for the metrics page. */
  onDeleted?: (counts: RetentionCounts) => void;
}

/** One batch of ended cases with everything that hangs off them; how many cases went. */
export async function deleteCaseBatch(db: Knex, cutoff: number, limit = CASE_BATCH): Promise<number> {
  return db.transaction(async (trx) => {
    const ids = await casesEndedBefore(trx, cutoff, limit);
    await deleteMessagesOfCases(trx, ids);
    await deleteCases(trx, ids);
    return ids.length;
  });
}

const STANDALONE: Array<[keyof RetentionCounts, AgedRows]> = [
  ['events', HANDLED_EVENTS],
  ['account_fetches', FINISHED_ACCOUNT_FETCHES],
  ['dev_inbox', DEV_INBOX_MESSAGES],
  ['webhook_deliveries', FINISHED_DELIVERIES],
];

/** Up to `batches` batches of everything older than `cutoff`; what went, and whether more is left. */
export async function deleteExpired(db: Knex, cutoff: number, batches = BATCHES_PER_ROUND): Promise<{ counts: RetentionCounts; more: boolean }> {
  const counts: RetentionCounts = { cases: 0, events: 0, account_fetches: 0, dev_inbox: 0, webhook_deliveries: 0 };
  let more = false;
  for (let i = 0; i < batches; i++) {
    const deleted = await deleteCaseBatch(db, cutoff);
    counts.cases += deleted;
    if (deleted < CASE_BATCH) break;
    more = i === batches - 1;
  }
  for (const [name, rows] of STANDALONE) {
    for (let i = 0; i < batches; i++) {
      const deleted = await deleteOldestRows(db, rows, cutoff, ROW_BATCH);
      counts[name] += deleted;
      if (deleted < ROW_BATCH) break;
      more ||= i === batches - 1;
    }
  }
  return { counts, more };
}

async function liveWorkIsDue(db: Knex, now: number): Promise<boolean> {
  return (await workIsDue(db, 'events', now)) || (await workIsDue(db, 'outbox', now));
}

export function retentionTask(deps: RetentionDeps): WorkerTask {
  let catchingUp = false;
  return periodicTask({
    name: 'retention',
    clock: deps.clock,
    everyMs: LOOK_AGAIN_MS,
    async pass(now) {
      if (catchingUp && (await liveWorkIsDue(deps.db, now))) return { handled: 0, more: true };
      const { counts, more } = await deleteExpired(deps.db, now - deps.retentionMs);
      catchingUp = more;
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      if (total > 0) {
        deps.logger.info('retention: deleted what is older than RETENTION_DAYS', { ...counts, more });
        deps.onDeleted?.(counts);
      }
      return { handled: total, more };
    },
  });
}
