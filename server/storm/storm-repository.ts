// The `storms` table (db/migrations/202611300700_storms-rates-retention.ts): one row per institution
// the guard has ever held, the truth every instance reads. Changing a row's state is a conditional
// write that only one transaction can win, which is what tells the operator exactly once.
import type { Knex } from 'knex';
import { z } from 'zod';
import { isSqlite } from '../db/database.ts';
import type { StormRow } from '../db/tables.ts';
import { STORM_KINDS, STORM_REASONS, type StormReason, type StormState } from './storm-decision.ts';

type Db = Knex | Knex.Transaction;

/** pg_advisory_xact_lock's first key for these locks; the second is a hash of the institution. */
const LOCK_CLASS = 0x5704;

const STORM_STATE = z.enum(['holding', 'released']);
const STORM_REASON = z.enum(STORM_REASONS);

export interface StormRecord extends StormState {
  institution: string;
  /** The cases counted in the window when holding began. */
  cases: number;
  detectedAt: number;
  releasedAt: number | null;
}

function toRecord(row: StormRow): StormRecord {
  return {
    institution: row.institution,
    state: STORM_STATE.parse(row.state),
    reason: STORM_REASON.parse(row.reason),
    cases: row.cases,
    detectedAt: row.detected_at,
    releasedAt: row.released_at,
    countingSince: row.counting_since,
  };
}

/**
 * Until the transaction ends, no other transaction counts, holds or releases this institution: on
 * PostgreSQL a lock of its own, on SQLite the one writer. Two workers opening cases at once then
 * count each other's, and a release cannot slip between a hold decision and its held message.
 */
export async function lockInstitution(trx: Knex.Transaction, institution: string): Promise<void> {
  if (!isSqlite(trx)) await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [LOCK_CLASS, institution]);
}

export async function findStorm(db: Db, institution: string): Promise<StormRecord | undefined> {
  const row = await db('storms').where({ institution }).first();
  return row && toRecord(row);
}

/** The institution's credentials and MFA cases created after `after` (cases_institution_created_index). */
export async function countNewCases(db: Db, institution: string, after: number): Promise<number> {
  const row = (await db('cases')
    .where({ institution })
    .where('created_at', '>', after)
    .whereIn('kind', STORM_KINDS)
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Starts holding the institution; false when it already was (someone else told the operator). */
export async function startHolding(trx: Db, storm: { institution: string; reason: StormReason; cases: number }, now: number): Promise<boolean> {
  const holding = { state: 'holding', reason: storm.reason, cases: storm.cases, detected_at: now, released_at: null };
  const inserted = await trx('storms')
    .insert({ institution: storm.institution, ...holding, counting_since: 0 })
    .onConflict('institution')
    .ignore()
    .returning('institution');
  if (inserted.length === 1) return true;
  const updated = await trx('storms').where({ institution: storm.institution, state: 'released' }).update(holding);
  return updated === 1;
}

/** Ends the hold and restarts counting from now; undefined when the institution was not held. */
export async function endHolding(trx: Db, institution: string, now: number): Promise<StormRecord | undefined> {
  const rows = await trx('storms')
    .where({ institution, state: 'holding' })
    .update({ state: 'released', released_at: now, counting_since: now })
    .returning('*');
  return rows[0] && toRecord(rows[0]);
}

/** Institutions held now, the longest held first. */
export async function listHolding(db: Db): Promise<StormRecord[]> {
  const rows = await db('storms').where({ state: 'holding' }).orderBy('detected_at');
  return rows.map(toRecord);
}
