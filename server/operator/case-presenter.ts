// The operator's view of a case. The MFA session id stays inside: the operator needs to know that a
// challenge is pending and until when, not the handle that completes it.
import type { CaseRecord, TimelineEntry } from '../cases/case-types.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

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

export function presentTimeline(entries: TimelineEntry[]) {
  return entries.map((e) => ({ at: iso(e.at), type: e.type, detail: e.detail }));
}
