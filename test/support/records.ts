// Plain records for pure-function tests: a user, a link, a case, with only what a test changes spelled out.
import type { CaseRecord } from '../../server/cases/case-types.ts';
import type { LinkRecord, UserRecord } from '../../server/users/user-repository.ts';

export const T0 = Date.UTC(2026, 10, 23, 15, 0, 0);

export function aUser(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: 1,
    externalId: 'user-1',
    email: 'ana@example.com',
    phone: '+5215512345678',
    locale: null,
    name: 'Ana',
    channels: null,
    timeZone: null,
    document: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function aLink(overrides: Partial<LinkRecord> = {}): LinkRecord {
  return {
    linkId: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    externalId: 'user-1',
    institution: 'erebor_mx_retail',
    institutionDisplayName: 'Erebor México',
    ...overrides,
  };
}

export function aCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 7,
    linkId: '16f68516-bcbc-4cf7-b815-c500d4204e28',
    kind: 'credentials',
    status: 'notified',
    userId: 1,
    externalId: 'user-1',
    institution: 'erebor_mx_retail',
    details: { errorCode: 'login_error' },
    failedAttempts: 0,
    submitLockUntil: null,
    lastNotifiedAt: T0,
    createdAt: T0,
    updatedAt: T0,
    closedAt: null,
    ...overrides,
  };
}
