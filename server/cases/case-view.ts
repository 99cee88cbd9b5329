// A case as the operator sees it: GET /api/cases/:id (without its timeline) and the data of the
// case.created and case.updated webhooks. The MFA session id stays inside: the operator needs to
// know that a challenge is pending and until when, not the handle that completes it.
import { isoTime as iso } from '../clock.ts';
import type { CaseRecord } from './case-types.ts';

export function presentCase(c: CaseRecord) {
  const { mfa, ...details } = c.details;
  return {
    id: c.id,
    link_id: c.linkId,
    kind: c.kind,
    status: c.status,
    external_id: c.externalId,
    institution: c.institution,
    failed_attempts: c.failedAttempts,
    details: {
      ...details,
      ...(mfa
        ? { mfa: { expires_at: iso(mfa.expiresAt), token_generation_type: mfa.tokenGenerationData?.type ?? null } }
        : {}),
    },
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    closed_at: iso(c.closedAt),
  };
}
