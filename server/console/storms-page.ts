// The storms page: the banks whose first messages the storm guard holds, why and since when, how
// many cases and messages wait, and for each a release that asks for confirmation first
// (?confirm=<institution> shows it) and then calls the same service as the API.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { csrfTokenFor } from '../http/csrf.ts';
import { readableInstitution } from '../i18n/locale.ts';
import { listHeldInstitutions, type HeldInstitution } from '../storm/storm-release.ts';
import type { ConsolePage, ConsoleWords } from './console-render.ts';

export const STORMS_PATH = '/admin/storms';
export const releasePath = (institution: string) => `${STORMS_PATH}/${encodeURIComponent(institution)}/release`;

function bankName(institution: string): string {
  return readableInstitution(institution) ?? institution;
}

function rowView(held: HeldInstitution, csrfToken: string, words: ConsoleWords) {
  const { copy, format } = words;
  return {
    institution: held.institution,
    name: bankName(held.institution),
    reason: copy.storms.reasons[held.reason],
    since: format.dateTime(held.detectedAt),
    sinceIso: new Date(held.detectedAt).toISOString(),
    counted: format.number(held.counted),
    heldCases: format.number(held.heldCases),
    heldMessages: format.number(held.heldMessages),
    release: { action: releasePath(held.institution), csrfToken, label: copy.storms.releaseLabel(bankName(held.institution)) },
  };
}

function confirmation(held: HeldInstitution | undefined, csrfToken: string, words: ConsoleWords) {
  if (!held) return undefined;
  const c = words.copy.storms;
  return {
    heading: c.confirmHeading(bankName(held.institution)),
    intro: c.confirmIntro(held.heldMessages),
    action: releasePath(held.institution),
    csrfToken,
    submit: c.confirm,
    cancel: { href: STORMS_PATH, label: c.cancel },
  };
}

export async function stormsPage(db: Knex, req: Request, words: ConsoleWords): Promise<ConsolePage> {
  const held = await listHeldInstitutions(db);
  const csrfToken = csrfTokenFor(req);
  const confirm = typeof req.query['confirm'] === 'string' ? req.query['confirm'] : undefined;
  const { copy } = words;
  return {
    template: 'storms',
    page: 'storms',
    title: copy.storms.title,
    view: {
      copy: copy.storms,
      rows: held.map((h) => rowView(h, csrfToken, words)),
      confirmation: confirmation(
        held.find((h) => h.institution === confirm),
        csrfToken,
        words,
      ),
    },
  };
}
