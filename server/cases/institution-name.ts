// The one name a person sees for their bank, on every page and in every message: what Belvo's own
// webhook called it (`institution_display_name`), else the name the operator registered for the
// link, else a name read from Belvo's institution code ("erebor_mx_retail" → "Erebor").
import { readableInstitution } from '../i18n/locale.ts';
import type { CaseRecord } from './case-types.ts';

export function institutionName(
  caseRecord: Pick<CaseRecord, 'details' | 'institution'>,
  registeredLink: { institutionDisplayName: string | null } | undefined,
): string | null {
  return (
    caseRecord.details.consent?.institutionDisplayName ??
    registeredLink?.institutionDisplayName ??
    readableInstitution(caseRecord.institution)
  );
}
