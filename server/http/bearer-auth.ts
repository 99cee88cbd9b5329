// Compares an Authorization header with the expected value in constant time. Both sides are hashed
// first so that neither the comparison nor an early length check leaks how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function createAuthorizationCheck(expected: string): (header: string | undefined) => boolean {
  const expectedDigest = digest(expected);
  return (header) => header !== undefined && timingSafeEqual(digest(header), expectedDigest);
}
