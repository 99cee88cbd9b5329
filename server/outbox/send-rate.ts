// Send-rate limits per channel (EMAIL_RATE_PER_SECOND, SMS_RATE_PER_SECOND,
// WHATSAPP_RATE_PER_SECOND), shared by every instance through the `send_slots` table.
//
// A send takes a slot before it starts and gives it back when the provider has answered; a slot
// counts against the limit from its start until one second after its end. Counting from the end
// rather than the start is what makes the limit hold as the provider sees it: message N+1 starts
// a second after message 1 was accepted, so whatever the network did to either, no one-second
// window at the provider holds more than N. Slot times come from the database's clock, so that
// instances on machines whose clocks differ a little still agree.
//
// Within one process, the sends waiting on a channel queue in memory and only the first asks the
// database, so a release of thousands of messages does not become thousands of polling queries.
import type { Knex } from 'knex';
import { isSqlite } from '../db/database.ts';
import type { ChannelName } from '../channels/channel.ts';
import type { Logger } from '../logger.ts';

const WINDOW_MS = 1_000;
/** A slot whose send never reported back (its process died) is taken as ended this long after it started. */
export const STALE_SLOT_MS = 2 * 60_000;
/** How soon to ask again when every slot is still in flight and none can say when it will end. */
const IN_FLIGHT_POLL_MS = 25;
/** pg_advisory_xact_lock's first key for these locks; the second is the channel's. */
const LOCK_CLASS = 0x5e4d;
const CHANNEL_LOCK_KEYS: Record<ChannelName, number> = { email: 1, sms: 2, whatsapp: 3 };

export interface SlotRow {
  started_at: number;
  finished_at: number | null;
}

/** When the slot stops counting: one second after its send ended. */
function countsUntil(slot: SlotRow): number {
  return (slot.finished_at ?? slot.started_at + STALE_SLOT_MS) + WINDOW_MS;
}

export type SlotDecision = { take: true } | { take: false; waitMs: number };

/** Whether a send may start at `now` given the channel's slots that still count, and if not, how long to wait. */
export function decideSlot(slots: readonly SlotRow[], now: number, limit: number): SlotDecision {
  const counting = slots.filter((slot) => countsUntil(slot) > now);
  if (counting.length < limit) return { take: true };
  const ended = counting.filter((slot) => slot.finished_at !== null).map((slot) => countsUntil(slot) - now);
  const inFlight = counting.some((slot) => slot.finished_at === null);
  const waitMs = Math.min(ended.length > 0 ? Math.min(...ended) : Infinity, inFlight ? IN_FLIGHT_POLL_MS : Infinity);
  return { take: false, waitMs: Math.max(1, waitMs) };
}

export interface SendSlot {
  /** The provider answered (or the send failed): the slot counts for one more second. */
  release(): Promise<void>;
}

export type SlotAnswer = { slot: SendSlot } | { slot: undefined; waitMs: number };

export interface SendRateLimiter {
  /**
   * A slot on `channel` as soon as the limit allows, or, when it would come later than `maxWaitMs`
   * from now, none and how long the caller should wait before asking again.
   */
  acquire(channel: ChannelName, maxWaitMs: number): Promise<SlotAnswer>;
}

const FREE_SLOT: SendSlot = { release: async () => {} };

/** The database's clock in epoch milliseconds, as SQL. */
function databaseNow(db: Knex): string {
  return isSqlite(db) ? "cast((julianday('now') - 2440587.5) * 86400000 as integer)" : '(extract(epoch from clock_timestamp()) * 1000)::bigint';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSendRateLimiter(db: Knex, limits: Partial<Record<ChannelName, number>>, logger: Logger): SendRateLimiter {
  const queues = new Map<ChannelName, Promise<unknown>>();
  const now = databaseNow(db);

  async function tryTake(channel: ChannelName, limit: number): Promise<{ id: number } | { waitMs: number }> {
    return db.transaction(async (trx) => {
      // SQLite runs one write transaction at a time anyway; PostgreSQL needs the channel's lock.
      if (!isSqlite(db)) await trx.raw('select pg_advisory_xact_lock(?, ?)', [LOCK_CLASS, CHANNEL_LOCK_KEYS[channel]]);
      const [clock] = (await trx.select(trx.raw(`${now} as now`))) as Array<{ now: number | string }>;
      const at = Number(clock!.now);
      const slots = await trx('send_slots').where({ channel }).select('id', 'started_at', 'finished_at');
      const spent = slots.filter((slot) => countsUntil(slot) <= at).map((slot) => slot.id);
      if (spent.length > 0) await trx('send_slots').whereIn('id', spent).delete();
      const decision = decideSlot(slots, at, limit);
      if (!decision.take) return { waitMs: decision.waitMs };
      const [row] = await trx('send_slots').insert({ channel, started_at: at }).returning('id');
      return { id: row!.id };
    });
  }

  /** Waits its turn in this process first: `deadline` counts from when the caller asked. */
  async function waitForSlot(channel: ChannelName, limit: number, deadline: number): Promise<SlotAnswer> {
    for (;;) {
      const taken = await tryTake(channel, limit);
      if ('id' in taken) {
        // Never throws: the message is sent by then, and a failure here must not make it look unsent.
        // A slot left unreleased counts as in flight until it goes stale.
        const release = () =>
          db('send_slots')
            .where({ id: taken.id })
            .update({ finished_at: db.raw(now) })
            .then(
              () => {},
              (err: unknown) => logger.error('could not release a send-rate slot', { channel, err }),
            );
        return { slot: { release } };
      }
      if (Date.now() + taken.waitMs > deadline) return { slot: undefined, waitMs: taken.waitMs };
      await sleep(taken.waitMs);
    }
  }

  return {
    acquire(channel, maxWaitMs) {
      const limit = limits[channel];
      if (limit === undefined) return Promise.resolve({ slot: FREE_SLOT });
      const deadline = Date.now() + maxWaitMs;
      const mine = (queues.get(channel) ?? Promise.resolve()).then(() => waitForSlot(channel, limit, deadline));
      queues.set(
        channel,
        mine.catch(() => {}),
      );
      return mine;
    },
  };
}
