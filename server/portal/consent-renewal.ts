// "Renew my consent" for a person whose CPF we know: a POST asks Belvo for a consent-management
// token for that person and answers 303 to My Belvo Portal's renewal of this one consent, so they
// land on it instead of searching for it. The token goes only into that redirect: never into the
// database, a log or an error. Without a CPF the page links to My Belvo Portal's public page.
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { BelvoClient } from '../belvo/belvo-types.ts';
import { addTimeline } from '../cases/case-repository.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { safeLogoUrl, UNRECOVERABLE_CONSENT } from './consent-page.ts';
import { accountHolderOf, markOpened, type PortalCase } from './portal-context.ts';
import { rememberResult } from './portal-result.ts';

export interface RenewalDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  belvo: BelvoClient;
  myBelvoPortalUrl: string;
}

export interface RenewalTarget {
  accessToken: string;
  linkId: string;
  consentId: string;
  institution: string | null;
  institutionDisplayName: string | null;
  institutionLogo: string | null;
}

/**
 * My Belvo Portal's renewal mode for one consent, built on MY_BELVO_PORTAL_URL (its host and path;
 * `mode=landing` belongs to the public page and is dropped).
 */
export function renewalUrl(myBelvoPortalUrl: string, target: RenewalTarget): string {
  const url = new URL(myBelvoPortalUrl);
  url.searchParams.delete('mode');
  const params: Record<string, string | null> = {
    access_token: target.accessToken,
    link_id: target.linkId,
    consent_id: target.consentId,
    institution: target.institution,
    institution_display_name: target.institutionDisplayName,
    institution_icon_logo: target.institutionLogo,
    action: 'renew',
  };
  for (const [name, value] of Object.entries(params)) if (value) url.searchParams.set(name, value);
  return url.toString();
}

/** POST /r/:token/renew */
export async function startRenewal(deps: RenewalDeps, req: Request, res: Response, found: PortalCase): Promise<void> {
  const { caseRecord } = found;
  const consent = caseRecord.details.consent;
  const holder = accountHolderOf(found.user);
  const back = `/r/${found.token}`;
  // The page offered no such button: a stale tab, or a hand-made request.
  if (caseRecord.kind !== 'consent' || !consent?.consentId || consent.webhookCode === UNRECOVERABLE_CONSENT || !holder) {
    return res.redirect(303, back);
  }
  const now = deps.clock.now();
  let accessToken: string;
  try {
    ({ access: accessToken } = await deps.belvo.createConsentToken(holder));
  } catch (err) {
    deps.logger.warn('could not get a My Belvo Portal token from Belvo', { case_id: caseRecord.id, err });
    await rememberResult(req, caseRecord.id, { kind: 'renewal', outcome: 'unavailable' }, now);
    return res.redirect(303, back);
  }
  await markOpened(deps.db, caseRecord, now, 'submission');
  await addTimeline(deps.db, caseRecord.id, 'renewal_started', now, { consent_id: consent.consentId });
  res.redirect(
    303,
    renewalUrl(deps.myBelvoPortalUrl, {
      accessToken,
      linkId: caseRecord.linkId,
      consentId: consent.consentId,
      institution: caseRecord.institution,
      institutionDisplayName: found.institution,
      institutionLogo: safeLogoUrl(consent.institutionLogo) ?? null,
    }),
  );
}
