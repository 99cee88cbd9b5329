// A password or MFA submission: validate, hold the case's submit lock (two submissions at once
// make one Belvo call), forward to Belvo, apply the outcome. What the person typed goes to Belvo
// and nowhere else: not the timeline, not the logs, not the page that answers.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { BelvoClient } from '../belvo/belvo-types.ts';
import { ACTIVE_STATUSES, isClosed, type CaseRecord } from '../cases/case-types.ts';
import {
  acquireSubmitLock,
  addTimeline,
  findCase,
  releaseSubmitLock,
  transitionCase,
  updateCase,
} from '../cases/case-repository.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { StormGuardConfig } from '../storm/storm-config.ts';
import { holdInstitutionDown, warnOfStorm } from '../storm/storm-guard.ts';
import { outcome, type BelvoAnswer, type Outcome } from './outcome.ts';
import type { AlertKey } from './portal-copy.ts';
import { markOpened, mfaExpired, type PortalCase } from './portal-context.ts';
import type { PortalResult, PortalStep } from './portal-result.ts';

export interface SubmitDeps {
  db: Knex;
  belvo: BelvoClient;
  clock: Clock;
  logger: Logger;
  /** How long a submission holds the case: longer than a Belvo call can take. */
  submitLockMs: number;
  /** STORM_GUARD, for the count an institution_down hold reports. */
  stormGuard: StormGuardConfig | undefined;
}

/** Generous, yet bounded so that nobody can post megabytes at a bank login. */
const MAX_SECRET_LENGTH = 256;

const passwordForm = z.object({
  password: z.string().max(MAX_SECRET_LENGTH).default(''),
  password2: z.string().max(MAX_SECRET_LENGTH).default(''),
});
const tokenForm = z.object({
  token: z
    .string()
    .max(MAX_SECRET_LENGTH)
    .default('')
    .transform((t) => t.replace(/\s+/g, '')),
});

type Credentials = { step: 'password'; password: string; password2: string } | { step: 'mfa'; token: string };

/** The form, or the reason to ask again. Passwords are taken as typed: spaces may be part of them. */
function readForm(step: PortalStep, body: unknown, caseRecord: CaseRecord): Credentials | AlertKey {
  if (step === 'password') {
    const form = passwordForm.safeParse(body ?? {});
    if (!form.success) return 'tooLong';
    if (form.data.password === '') return 'missingPassword';
    if (caseRecord.details.needsPassword2 && form.data.password2 === '') return 'missingPassword2';
    return { step, ...form.data };
  }
  const form = tokenForm.safeParse(body ?? {});
  if (!form.success) return 'tooLong';
  const expectsInput = caseRecord.details.mfa?.tokenGenerationData?.expects_user_input !== false;
  if (expectsInput && form.data.token === '') return 'missingToken';
  return { step, token: expectsInput ? form.data.token : '' };
}

async function callBelvo(belvo: BelvoClient, caseRecord: CaseRecord, credentials: Credentials): Promise<BelvoAnswer> {
  try {
    if (credentials.step === 'password') {
      await belvo.updateLinkCredentials(caseRecord.linkId, {
        password: credentials.password,
        ...(credentials.password2 ? { password2: credentials.password2 } : {}),
      });
    } else {
      await belvo.completeLinkRequest({
        linkId: caseRecord.linkId,
        session: caseRecord.details.mfa!.session,
        ...(credentials.token ? { token: credentials.token } : {}),
      });
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

async function applyOutcome(db: Knex, caseRecord: CaseRecord, result: Outcome, now: number): Promise<void> {
  const patch = { details: result.details, failedAttempts: result.failedAttempts };
  await db.transaction(async (trx) => {
    if (result.status) await transitionCase(trx, caseRecord.id, ACTIVE_STATUSES, result.status, now, patch);
    else await updateCase(trx, caseRecord.id, patch, now);
    for (const entry of result.timeline) await addTimeline(trx, caseRecord.id, entry.type, now, entry.detail);
  });
}

/**
 * Runs one submission for a case the person may act on, and returns what it came to; undefined
 * when there is nothing to say beyond what the case page shows (the case closed meanwhile).
 */
export async function submitStep(deps: SubmitDeps, found: PortalCase, step: PortalStep, body: unknown): Promise<PortalResult | undefined> {
  const db = deps.db;
  const now = deps.clock.now();
  const form = readForm(step, body, found.caseRecord);
  if (typeof form === 'string') return { kind: 'ask', step, alert: form };
  if (step === 'mfa' && mfaExpired(found.caseRecord, now)) return { kind: 'notice', state: 'expired', notice: 'mfaSessionExpired' };

  if (!(await acquireSubmitLock(db, found.caseRecord.id, now, deps.submitLockMs))) return { kind: 'ask', step, alert: 'busy' };
  try {
    // Read again under the lock: the submission that held it may have closed or changed the case.
    const caseRecord = await findCase(db, found.caseRecord.id);
    if (!caseRecord || isClosed(caseRecord.status)) return undefined;
    if (step === 'mfa' && !caseRecord.details.mfa) return undefined;

    await markOpened(db, caseRecord, now, 'submission');
    await addTimeline(db, caseRecord.id, 'submitted', now, { step });
    const answer = await callBelvo(deps.belvo, caseRecord, form);
    // Belvo's MFA expiry counts from its answer, which may come seconds after the submission.
    const answeredAt = deps.clock.now();
    const result = outcome({ caseRecord, step, answer, now: answeredAt });
    await applyOutcome(db, caseRecord, result, answeredAt);
    if (result.report) deps.logger[result.report.level](result.report.message, result.report.fields);
    if (result.institutionDown && caseRecord.institution) {
      const storm = await holdInstitutionDown(db, deps.stormGuard, caseRecord.institution, answeredAt);
      if (storm) warnOfStorm(deps.logger, storm);
    }
    return result.page;
  } finally {
    await releaseSubmitLock(db, found.caseRecord.id);
  }
}
