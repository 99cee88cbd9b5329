// Who took an operator action, as every case timeline records it. The API key and each console
// operator are named apart, so a later OIDC sign-in or a list of named operators only adds who the
// operator is (their id), not a new shape; privacy work (erasure) and storm releases add their own kind.
export type CaseActor = { by: 'api_key' } | { by: 'console'; operator: string } | { by: 'erasure' };

export const API_KEY_ACTOR: CaseActor = { by: 'api_key' };
/** The operator erased the case's person (DELETE /api/users/:externalId): no one is named, not even them. */
export const ERASURE_ACTOR: CaseActor = { by: 'erasure' };

export function consoleActor(operator: string): CaseActor {
  return { by: 'console', operator };
}
