// The sandbox's "magic passwords": the password typed on the portal picks what the simulated bank
// answers, so every path through the portal can be shown and tested without a real bank.
//
// | password                 | PUT /api/links/{id}/ answers                                        |
// | ------------------------ | ------------------------------------------------------------------- |
// | anything else            | 200, link `valid`                                                   |
// | contains `wrong`         | 400 `login_error`, link `invalid`                                   |
// | `mfa`                    | 428 `token_required`, numeric challenge; the token is `123456`      |
// | `mfa-qr`                 | 428 `token_required`, type `qr`; the token is `123456`              |
// | `mfa-device`             | 428 `token_required`, `expects_user_input: false` (approve on phone)|
// | `two-passwords`          | 400 `required` on field `password2` unless `password2` is sent      |
// | `sessions`               | 400 `too_many_sessions`                                             |
// | `down`                   | 400 `institution_down`                                              |
// | `unavailable`            | 400 `institution_unavailable`                                       |
// | `boom`                   | 500 `unexpected_error`                                              |
// | `slow`                   | 200 `valid`, but only after `slowDelayMs` (default 15 s)            |
// | `unauthorized`           | 401 `authentication_failed`                                         |
// | `forbidden`              | 403 `access_to_resource_denied`                                     |
// | `timeout`                | 408 `request_timeout` (the bank took too long)                      |
// | `inactive`               | 400 `institution_inactive`                                          |
// | `invalid-link`           | 400 `invalid_link`                                                  |
// | `unconfirmed-link`       | 400 `unconfirmed_link`                                              |
//
// Matching ignores case and surrounding spaces. PATCH /api/links/ with the session of a 428:
// token `123456` (or no token after `mfa-device`) → 200 `valid`; another token → 400 `login_error`
// (the session stays open until it expires); an unknown or expired session → 400 `session_expired`.
import type { TokenGenerationData } from '../belvo/belvo-types.ts';

export const SANDBOX_MFA_TOKEN = '123456';

export type MfaKind = 'numeric' | 'qr' | 'device';

export type Scenario =
  | { kind: 'valid' }
  | { kind: 'slow' }
  | { kind: 'mfa'; mfa: MfaKind }
  | { kind: 'needs_password2' }
  | { kind: 'error'; status: number; code: string; message: string };

export const ERRORS = {
  loginError: { status: 400, code: 'login_error', message: 'Invalid credentials provided to login to the institution' },
  wrongToken: { status: 400, code: 'login_error', message: 'Invalid MFA token provided to login to the institution' },
  tooManySessions: {
    status: 400,
    code: 'too_many_sessions',
    message: 'Impossible to login, a session is already opened with the institution for these credentials',
  },
  institutionDown: { status: 400, code: 'institution_down', message: 'The financial institution is down, try again later' },
  institutionUnavailable: {
    status: 400,
    code: 'institution_unavailable',
    message: 'The financial institution is unavailable',
  },
  unexpected: {
    status: 500,
    code: 'unexpected_error',
    message:
      'Belvo is unable to process the request due to an internal system issue or to an unsupported response from an institution',
  },
  authenticationFailed: { status: 401, code: 'authentication_failed', message: 'Invalid Secret Keys' },
  accessDenied: { status: 403, code: 'access_to_resource_denied', message: 'You do not have permission to access this resource' },
  requestTimeout: { status: 408, code: 'request_timeout', message: 'The request timed out and was terminated by the server' },
  institutionInactive: { status: 400, code: 'institution_inactive', message: 'The institution is no longer supported' },
  invalidLink: { status: 400, code: 'invalid_link', message: 'The link cannot be used: create a new one' },
  unconfirmedLink: { status: 400, code: 'unconfirmed_link', message: 'The link was never confirmed: create a new one' },
  sessionExpired: {
    status: 400,
    code: 'session_expired',
    message: 'The session you are trying to resume has expired, please start again from register/retrieve endpoint',
  },
  notFound: { status: 404, code: 'not_found', message: 'Not found' },
  tokenRequired: { status: 428, code: 'token_required', message: 'A MFA token is required by the institution to login' },
} as const;

const EXACT: Record<string, Scenario> = {
  mfa: { kind: 'mfa', mfa: 'numeric' },
  'mfa-qr': { kind: 'mfa', mfa: 'qr' },
  'mfa-device': { kind: 'mfa', mfa: 'device' },
  'two-passwords': { kind: 'needs_password2' },
  sessions: { kind: 'error', ...ERRORS.tooManySessions },
  down: { kind: 'error', ...ERRORS.institutionDown },
  unavailable: { kind: 'error', ...ERRORS.institutionUnavailable },
  boom: { kind: 'error', ...ERRORS.unexpected },
  slow: { kind: 'slow' },
  unauthorized: { kind: 'error', ...ERRORS.authenticationFailed },
  forbidden: { kind: 'error', ...ERRORS.accessDenied },
  timeout: { kind: 'error', ...ERRORS.requestTimeout },
  inactive: { kind: 'error', ...ERRORS.institutionInactive },
  'invalid-link': { kind: 'error', ...ERRORS.invalidLink },
  'unconfirmed-link': { kind: 'error', ...ERRORS.unconfirmedLink },
};

export function scenarioFor(password: string): Scenario {
  const word = password.trim().toLowerCase();
  if (word.includes('wrong')) return { kind: 'error', ...ERRORS.loginError };
  return EXACT[word] ?? { kind: 'valid' };
}

export function tokenGenerationData(kind: MfaKind, session: string): TokenGenerationData {
  switch (kind) {
    case 'numeric':
      return {
        instructions: 'Use this code to generate the token',
        type: 'numeric',
        value: '12345',
        expects_user_input: true,
      };
    case 'qr':
      return {
        instructions: 'Scan this QR code with your bank app and type the code it shows',
        type: 'qr',
        value: `belvo-sandbox:mfa:${session}`,
        expects_user_input: true,
      };
    case 'device':
      return {
        instructions: 'Approve the login in your bank app, then continue',
        type: 'inputless',
        expects_user_input: false,
      };
  }
}
