// From a link token to the case, its person and their language, and the pages every route shares:
// the refusals (bad link, closed case, expired link) and the page a case shows right now.
import type { Knex } from 'knex';
import type { Brand } from '../brand/brand.ts';
import { ACTIONABLE_STATUSES, ACTIVE_STATUSES, isClosed, type CaseRecord, type CaseStatus } from '../cases/case-types.ts';
import { addTimeline, findCase, transitionCase } from '../cases/case-repository.ts';
import { resolveLocale, type Locale } from '../i18n/locale.ts';
import { institutionName } from '../cases/institution-name.ts';
import { findLink, findUserById, type UserRecord } from '../users/user-repository.ts';
import type { AccountHolder } from '../belvo/belvo-types.ts';
import type { LinkSigner } from '../cases/signed-link.ts';
import { consentPage, type ConsentPageOptions } from './consent-page.ts';
import { mfaPage, noticePage, passwordPage, type Page, type PageContext, type Refusal } from './page-model.ts';

export interface PortalCase {
  /** The operator's app, which heads and signs the case's pages. */
  brand: Brand;
  token: string;
  linkExpired: boolean;
  caseRecord: CaseRecord;
  user: UserRecord | undefined;
  locale: Locale;
  /** The institution's display name, when we know one. */
  institution: string | null;
}

/** The case a token names, or undefined when the token is forged, mangled or names no case. */
export async function findPortalCase(
  deps: { db: Knex; signer: LinkSigner; config: { brand: Brand } },
  token: string,
  now: number,
  acceptLanguage: string | undefined,
): Promise<PortalCase | undefined> {
  const check = deps.signer.verify(token, now);
  if (!check.valid) return undefined;
  const caseRecord = await findCase(deps.db, check.caseId);
  if (!caseRecord) return undefined;
  const user = caseRecord.userId !== null ? await findUserById(deps.db, caseRecord.userId) : undefined;
  const link = await findLink(deps.db, caseRecord.linkId);
  return {
    brand: deps.config.brand,
    token,
    linkExpired: check.expired,
    caseRecord,
    user,
    locale: resolveLocale({ userLocale: user?.locale, institution: caseRecord.institution, acceptLanguage }),
    institution: institutionName(caseRecord, link),
  };
}


export function pageContext(found: PortalCase, csrfToken?: string): PageContext {
  return {
    brand: found.brand,
    locale: found.locale,
    institution: found.institution,
    token: found.token,
    ...(csrfToken ? { csrfToken } : {}),
  };
}

/** The person may still submit on this page: the case is open and the link has not expired. */
export function canAct(found: PortalCase): boolean {
  return !isClosed(found.caseRecord.status) && !found.linkExpired;
}

/** An expired link whose case still waits on the person: they may ask for a fresh one. */
export function offersNewLink(found: PortalCase): boolean {
  return found.linkExpired && ACTIONABLE_STATUSES.includes(found.caseRecord.status);
}

/**
 * The page for a case nobody can act on any more, or for an expired link; undefined when the
 * person may go on. `csrfToken` is asked for only when the page carries the new-link form.
 */
export function refusalPage(found: PortalCase, csrfToken: () => string): Page | undefined {
  const { caseRecord } = found;
  if (isClosed(caseRecord.status)) return closedPage(pageContext(found), caseRecord);
  if (!found.linkExpired) return undefined;
  if (!offersNewLink(found)) {
    return noticePage(pageContext(found), { state: 'expired', notice: 'linkExpiredNoOffer', status: 410 });
  }
  return noticePage(pageContext(found, csrfToken()), { state: 'expired', notice: 'linkExpired', status: 410, offerNewLink: true });
}

export function closedPage(ctx: PageContext, caseRecord: CaseRecord): Page {
  switch (caseRecord.status) {
    case 'resolved':
      return noticePage(ctx, { state: 'success', notice: 'alreadyResolved', status: 410 });
    case 'failed':
      return noticePage(ctx, { state: 'error', notice: 'caseFailed', status: 410 });
    default:
      return noticePage(ctx, { state: 'expired', notice: 'caseExpired', status: 410 });
  }
}

export function mfaExpired(caseRecord: CaseRecord, now: number): boolean {
  const expiresAt = caseRecord.details.mfa?.expiresAt;
  return expiresAt !== undefined && expiresAt !== null && expiresAt <= now;
}

export function sessionExpiredPage(ctx: PageContext, status = 200): Page {
  return noticePage(ctx, {
    state: 'expired',
    notice: 'mfaSessionExpired',
    status,
    link: { kind: 'startAgain', href: `/r/${ctx.token}?step=password` },
  });
}

/** The person Belvo's Brazilian Open Finance tokens are for: a CPF and a full name, or nobody. */
export function accountHolderOf(user: UserRecord | undefined): AccountHolder | undefined {
  if (user?.document?.type !== 'CPF' || !user.name) return undefined;
  return { cpf: user.document.number, name: user.name };
}

export interface CasePageOptions {
  csrfToken: string;
  now: number;
  /** "Start again" after the bank's session ran out: the password form, whatever the case holds. */
  restart: boolean;
  /** My Belvo Portal's public page (MY_BELVO_PORTAL_URL). */
  myBelvoPortalUrl: string;
  /** Why the page asks again, from the last submission. */
  refusal?: Refusal;
  /** "Connect again" through the widget is possible for this case. */
  reconnect?: boolean;
  /** A direct renewal in My Belvo Portal just failed. */
  renewalUnavailable?: boolean;
}

/** Straight to this one consent when Belvo can be asked for a token for it; else the public page. */
function renewOption(found: PortalCase, options: CasePageOptions): ConsentPageOptions['renew'] {
  const direct = accountHolderOf(found.user) && found.caseRecord.details.consent?.consentId;
  if (direct) return { kind: 'direct', action: `/r/${found.token}/renew`, csrfToken: options.csrfToken };
  return { kind: 'landing', href: options.myBelvoPortalUrl };
}

/** What an open case asks for now. */
export async function casePage(found: PortalCase, options: CasePageOptions): Promise<Page> {
  const { caseRecord } = found;
  const ctx = pageContext(found, options.csrfToken);
  const refusal = options.refusal ?? {};
  if (caseRecord.kind === 'consent') {
    return consentPage(ctx, caseRecord.details.consent, {
      institutionCode: caseRecord.institution,
      now: options.now,
      userTimeZone: found.user?.timeZone ?? null,
      renew: renewOption(found, options),
      ...(options.renewalUnavailable ? { renewalUnavailable: { landingUrl: options.myBelvoPortalUrl } } : {}),
      ...(options.reconnect ? { reconnect: { action: `/r/${found.token}/widget`, csrfToken: options.csrfToken } } : {}),
    });
  }
  const mfa = caseRecord.details.mfa;
  if (mfa && !options.restart) {
    if (mfaExpired(caseRecord, options.now)) return sessionExpiredPage(ctx);
    return mfaPage(ctx, mfa, options.now, refusal);
  }
  return passwordPage(ctx, { needsPassword2: caseRecord.details.needsPassword2 === true, ...refusal });
}

/** Statuses from which a person's first sign of life moves the case to `opened`. */
const UNOPENED: readonly CaseStatus[] = ACTIVE_STATUSES.filter((status) => status !== 'opened');

/** Records that the person reached the page: once, whichever of the page script or a submission comes first. */
export async function markOpened(db: Knex, caseRecord: CaseRecord, now: number, via: 'page' | 'submission'): Promise<void> {
  if (!UNOPENED.includes(caseRecord.status)) return;
  await db.transaction(async (trx) => {
    if (await transitionCase(trx, caseRecord.id, UNOPENED, 'opened', now)) {
      await addTimeline(trx, caseRecord.id, 'page_opened', now, { via });
    }
  });
}
