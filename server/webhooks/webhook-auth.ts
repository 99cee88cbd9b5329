// The secret Belvo sends in `Authorization`, and how a request's header is checked against it.
//
// Belvo's dashboard takes "an optional bearer token" (aggregation docs: "Bearer and a token", or
// "Basic and a base64-encoded username:password"); whether Belvo then sends `Bearer <token>` or the
// bare token is unconfirmed, and an operator may paste either form into the dashboard and into
// BELVO_WEBHOOK_AUTH. So the configured value is read as a scheme and a secret, and a request is
// accepted when it carries the same secret:
//   BELVO_WEBHOOK_AUTH      accepted Authorization headers
//   `Bearer s3cr3t…`        `Bearer s3cr3t…`, `s3cr3t…`, `Bearer Bearer s3cr3t…`
//   `s3cr3t…`               the same three (a bare secret is a bearer token)
//   `Basic dXNlcjpw…`       `Basic dXNlcjpw…`, `dXNlcjpw…`, `Basic Basic dXNlcjpw…`
// The doubled scheme is what a dashboard that adds `Bearer ` itself makes of a pasted `Bearer …`.
// Schemes are case-insensitive (RFC 9110 §11.1); the secret is compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export type WebhookAuthScheme = 'Bearer' | 'Basic';

export interface WebhookCredential {
  scheme: WebhookAuthScheme;
  secret: string;
}

/** Short enough to type, long enough that guessing it against the rate limit is hopeless. */
export const MIN_SECRET_LENGTH = 16;

export const WEBHOOK_AUTH_FORMS = `a secret of ${MIN_SECRET_LENGTH}+ characters without spaces, alone or as "Bearer <secret>", or "Basic <base64>"`;

const SCHEMES: readonly WebhookAuthScheme[] = ['Bearer', 'Basic'];

function schemeNamed(word: string): WebhookAuthScheme | undefined {
  return SCHEMES.find((scheme) => scheme.toLowerCase() === word.toLowerCase());
}

/** The configured value as scheme and secret; undefined when it is none of the accepted forms. */
export function parseWebhookAuth(value: string): WebhookCredential | undefined {
  const words = value.trim().split(/\s+/);
  const secret = words.at(-1) ?? '';
  if (secret.length < MIN_SECRET_LENGTH || words.length > 2) return undefined;
  if (words.length === 1) return { scheme: 'Bearer', secret };
  const scheme = schemeNamed(words[0]!);
  return scheme && { scheme, secret };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The secret a header carries, when every word before it names the configured scheme (at most twice). */
function presentedSecret(header: string, scheme: WebhookAuthScheme): string | undefined {
  const words = header.trim().split(/\s+/);
  if (words.length > 3) return undefined;
  const prefixes = words.slice(0, -1);
  return prefixes.every((word) => schemeNamed(word) === scheme) ? words.at(-1) : undefined;
}

/**
 * A check of Authorization headers against the configured credential. Both sides are hashed before
 * the comparison, so neither its time nor a length check tells a guesser how much was right.
 */
export function createWebhookAuthCheck(credential: WebhookCredential): (header: string | undefined) => boolean {
  const expected = digest(credential.secret);
  return (header) => {
    if (header === undefined || header.length > 4096) return false;
    const secret = presentedSecret(header, credential.scheme);
    return secret !== undefined && timingSafeEqual(digest(secret), expected);
  };
}
