// What the operator does about a storm, from the API or the console (the same functions): see what
// is held, and release an institution. A release turns its held messages into ordinary pending ones,
// so the outbox sends them within the shared send-rate limits (server/outbox/send-rate.ts), records
// the release on every case it concerns and as the storm.released event, and restarts counting from now.
import type { Knex } from 'knex';
import type { CaseActor } from '../case-actions/case-actor.ts';
import { addTimelineToCases } from '../cases/case-repository.ts';
import type { Logger } from '../logger.ts';
import { recordOperatorEvent } from '../operator-webhooks/operator-events.ts';
import { countHeldMessages, releaseHeldMessages } from '../outbox/outbox-repository.ts';
import type { StormReason } from './storm-decision.ts';
import { endHolding, listHolding, lockInstitution } from './storm-repository.ts';

export interface HeldInstitution {
  institution: string;
  reason: StormReason;
  detectedAt: number;
  /** The cases counted in the window when holding began. */
  counted: number;
  heldMessages: number;
  heldCases: number;
}

/** Every institution held now, with what it holds. */
export async function listHeldInstitutions(db: Knex): Promise<HeldInstitution[]> {
  const storms = await listHolding(db);
  const held = await countHeldMessages(
    db,
    storms.map((s) => s.institution),
  );
  return storms.map((storm) => ({
    institution: storm.institution,
    reason: storm.reason,
    detectedAt: storm.detectedAt,
    counted: storm.cases,
    heldMessages: held.get(storm.institution)?.messages ?? 0,
    heldCases: held.get(storm.institution)?.cases ?? 0,
  }));
}

export interface Release {
  institution: string;
  reason: StormReason;
  messages: number;
  cases: number;
}

export interface ReleaseDeps {
  db: Knex;
  logger: Logger;
}

/** Releases the institution; undefined when it was not held. */
export async function releaseInstitution(deps: ReleaseDeps, institution: string, actor: CaseActor, now: number): Promise<Release | undefined> {
  const release = await deps.db.transaction(async (trx) => {
    // The institution's lock: no case of it is being held while its held messages are let go.
    await lockInstitution(trx, institution);
    const storm = await endHolding(trx, institution, now);
    if (!storm) return undefined;
    const released = await releaseHeldMessages(trx, institution, now);
    const caseIds = [...new Set(released.map((m) => m.case_id))];
    await addTimelineToCases(trx, caseIds, 'storm_released', now, { ...actor, institution });
    await recordOperatorEvent(trx, { type: 'storm.released', data: { institution, cases: caseIds.length } }, now);
    return { institution, reason: storm.reason, messages: released.length, cases: caseIds.length };
  });
  if (release) deps.logger.info('storm guard: institution released; its held messages are being sent', { ...release, ...actor });
  return release;
}
