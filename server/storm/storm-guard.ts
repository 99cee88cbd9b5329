// The storm guard where cases are opened and messaged: each new credentials or MFA case of a known
// institution is counted, under the institution's lock (storm-repository.ts), and its first message
// is held while the institution storms. The transaction that turns the institution to `holding`
// also records the storm.detected event; the warning is logged once that transaction committed.
import type { Knex } from 'knex';
import type { CaseKind } from '../cases/case-types.ts';
import type { Logger } from '../logger.ts';
import { recordOperatorEvent } from '../operator-webhooks/operator-events.ts';
import type { StormGuardConfig } from './storm-config.ts';
import { countingFrom, decideFirstMessage, STORM_KINDS, type StormReason } from './storm-decision.ts';
import { countNewCases, findStorm, lockInstitution, startHolding } from './storm-repository.ts';

/** An institution the guard just started holding: what the operator is told. */
export interface StormNotice {
  institution: string;
  reason: StormReason;
  /** The institution's new credentials and MFA cases counted when holding began. */
  cases: number;
}

export interface GuardVerdict {
  /** Set when the message must be held: by whom and why, as its timeline says. */
  heldBy: { institution: string; reason: StormReason } | undefined;
  /** Set when this call started the hold. */
  detected: StormNotice | undefined;
}

const SEND: GuardVerdict = { heldBy: undefined, detected: undefined };

/** Whether a case's first messages pass the guard at all: asking for a password or code, of a known institution. */
export function guardedInstitution(theCase: { kind: CaseKind; institution: string | null }): string | undefined {
  return theCase.institution !== null && STORM_KINDS.includes(theCase.kind) ? theCase.institution : undefined;
}

/**
 * For a case of a guarded institution: `newCase` when it was just opened (it counts), else a first
 * message again for an existing one (only an existing hold matters).
 */
export async function guardFirstMessage(
  trx: Knex.Transaction,
  guard: StormGuardConfig | undefined,
  request: { institution: string; newCase: boolean; now: number },
): Promise<GuardVerdict> {
  const { institution, now } = request;
  // Without the guard nothing is counted and only a hold (institution_down) matters: while there is
  // none, the case's transaction reads the row and takes no lock, so one bank's cases are not opened
  // one at a time. A hold is read again under the lock, so that a release cannot miss this message.
  if (!guard && (await findStorm(trx, institution))?.state !== 'holding') return SEND;
  await lockInstitution(trx, institution);
  const storm = await findStorm(trx, institution);
  // Not while it holds: the count then decides nothing, and it never reads more than the threshold's worth of cases.
  const counting = guard && request.newCase && storm?.state !== 'holding';
  const counted = counting ? await countNewCases(trx, institution, countingFrom(guard, storm, now)) : undefined;
  const decision = decideFirstMessage(guard, storm, counted);
  switch (decision.type) {
    case 'send':
      return SEND;
    case 'hold':
      return { heldBy: { institution, reason: storm!.reason }, detected: undefined };
    case 'start_holding':
      return {
        heldBy: { institution, reason: decision.reason },
        detected: await startStorm(trx, { institution, reason: decision.reason, cases: counted! }, now),
      };
  }
}

/** Starts holding, with the storm.detected event in the same transaction; the notice when this call started it. */
async function startStorm(trx: Knex.Transaction, notice: StormNotice, now: number): Promise<StormNotice | undefined> {
  if (!(await startHolding(trx, notice, now))) return undefined;
  await recordOperatorEvent(trx, { type: 'storm.detected', data: { institution: notice.institution, cases: notice.cases } }, now);
  return notice;
}

/**
 * Belvo answered a person's submission with institution_down: no more people are asked for their
 * password until the operator releases the institution. The notice when this started the hold.
 */
export async function holdInstitutionDown(
  db: Knex,
  guard: StormGuardConfig | undefined,
  institution: string,
  now: number,
): Promise<StormNotice | undefined> {
  return db.transaction(async (trx) => {
    await lockInstitution(trx, institution);
    const storm = await findStorm(trx, institution);
    if (storm?.state === 'holding') return undefined;
    const cases = guard ? await countNewCases(trx, institution, countingFrom(guard, storm, now)) : 0;
    return startStorm(trx, { institution, reason: 'institution_down', cases }, now);
  });
}

/** The operator's warning, once the hold is committed. */
export function warnOfStorm(logger: Logger, notice: StormNotice): void {
  const why =
    notice.reason === 'institution_down'
      ? 'Belvo reports the institution down'
      : `${notice.cases} new credentials and MFA cases within the STORM_GUARD window`;
  logger.warn(
    `STORM GUARD: holding first messages for ${notice.institution} (${why}); nobody more is asked for their password until you release it: POST /api/storms/${encodeURIComponent(notice.institution)}/release or the console's storms page`,
    { institution: notice.institution, reason: notice.reason, cases: notice.cases },
  );
}
