// A password or MFA submission: validate, hold the case's submit lock (two submissions at once
// make one Belvo call), forward to Belvo, apply the outcome. What the person typed goes to Belvo
// and nowhere else: not the timeline, not the logs, not the page that answers.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { BelvoClient } from '../belvo/belvo-types.ts';
import { ACTIVE_STATUSES, isClosed, type CaseDetails, type CaseRecord } from '../cases/case-types.ts';
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
import { outcome, type BelvoAnswer, type Outcome, type PortalStep } from './outcome.ts';
import { mfaPage, noticePage, passwordPage, type Page, type PageContext, type Refusal } from './page-model.ts';
import { closedPage, markOpened, mfaExpired, pageContext, sessionExpiredPage, type PortalCase } from './portal-context.ts';

export interface SubmitDeps {
  db: Knex;
  belvo: BelvoClient;
  clock: Clock;
  logger: Logger;
  /** How long a submission holds the case: longer than a Belvo call can take. */
  submitLockMs: number;
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
function readForm(step: PortalStep, body: unknown, caseRecord: CaseRecord): Credentials | Refusal {
  if (step === 'password') {
    const form = passwordForm.safeParse(body ?? {});
    if (!form.success) return { alert: 'tooLong' };
    if (form.data.password === '') return { alert: 'missingPassword' };
    if (caseRecord.details.needsPassword2 && form.data.password2 === '') return { alert: 'missingPassword2' };
    return { step, ...form.data };
  }
  const form = tokenForm.safeParse(body ?? {});
  if (!form.success) return { alert: 'tooLong' };
  const expectsInput = caseRecord.details.mfa?.tokenGenerationData?.expects_user_input !== false;
  if (expectsInput && form.data.token === '') return { alert: 'missingToken' };
  return { step, token: expectsInput ? form.data.token : '' };
}

/** The same step again, with the reason in an alert: the MFA page while a challenge is open, else the password. */
function askAgain(ctx: PageContext, details: CaseDetails, step: PortalStep, now: number, refusal: Refusal, status: number) {
  if (step === 'mfa' && details.mfa) return mfaPage(ctx, details.mfa, now, { ...refusal, status });
  return passwordPage(ctx, { needsPassword2: details.needsPassword2 === true, ...refusal, status });
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

async function outcomePage(ctx: PageContext, result: Outcome, now: number): Promise<Page> {
  const page = result.page;
  if (!('notice' in page)) return askAgain(ctx, result.details, page.state, now, page, result.httpStatus);
  if (page.notice === 'mfaSessionExpired') return sessionExpiredPage(ctx, result.httpStatus);
  return noticePage(ctx, { state: page.state, notice: page.notice, status: result.httpStatus });
}

/** Runs one submission for a case the person may act on, and returns the page that answers it. */
export async function submitStep(
  deps: SubmitDeps,
  found: PortalCase,
  step: PortalStep,
  body: unknown,
  csrfToken: string,
): Promise<Page> {
  const db = deps.db;
  const now = deps.clock.now();
  const page = pageContext(found, csrfToken);
  const form = readForm(step, body, found.caseRecord);
  if (!('step' in form)) return askAgain(page, found.caseRecord.details, step, now, form, 422);
  if (step === 'mfa' && mfaExpired(found.caseRecord, now)) return sessionExpiredPage(page);

  if (!(await acquireSubmitLock(db, found.caseRecord.id, now, deps.submitLockMs))) {
    return askAgain(page, found.caseRecord.details, step, now, { alert: 'busy' }, 409);
  }
  try {
    // Read again under the lock: the submission that held it may have closed or changed the case.
    const caseRecord = await findCase(db, found.caseRecord.id);
    if (!caseRecord || isClosed(caseRecord.status)) return closedPage(page, caseRecord ?? found.caseRecord);
    if (step === 'mfa' && !caseRecord.details.mfa) return passwordPage(page, { needsPassword2: caseRecord.details.needsPassword2 === true });

    await markOpened(db, caseRecord, now, 'submission');
    await addTimeline(db, caseRecord.id, 'submitted', now, { step });
    const answer = await callBelvo(deps.belvo, caseRecord, form);
    // Belvo's MFA expiry counts from its answer, which may come seconds after the submission.
    const answeredAt = deps.clock.now();
    const result = outcome({ caseRecord, step, answer, now: answeredAt });
    await applyOutcome(db, caseRecord, result, answeredAt);
    if (result.report) deps.logger[result.report.level](result.report.message, result.report.fields);
    return outcomePage(page, result, answeredAt);
  } finally {
    await releaseSubmitLock(db, found.caseRecord.id);
  }
}
