// The link an end user gets: PUBLIC_URL/r/<token>. The token names a case and an expiry and is
// signed with a key derived from APP_SECRET. 26 bytes (6 case id, 4 expiry, 16 MAC) make 35
// base64url characters: short enough for one SMS segment, and 128 bits of MAC to guess.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16;
const PAYLOAD_BYTES = 10;
const TOKEN_LENGTH = Math.ceil(((PAYLOAD_BYTES + MAC_BYTES) * 4) / 3);

export type LinkCheck =
  | { valid: true; caseId: number; expiresAt: number; expired: boolean }
  | { valid: false };

export interface LinkSigner {
  sign(caseId: number, expiresAt: number): string;
  /** Checks the signature; an expired token is still identified, so its page can offer a new link. */
  verify(token: string, now: number): LinkCheck;
}

export function createLinkSigner(appSecret: string): LinkSigner {
  const key = Buffer.from(hkdfSync('sha256', appSecret, Buffer.alloc(0), 'relink signed links v1', 32));
  const mac = (payload: Buffer) => createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);

  return {
    sign(caseId, expiresAt) {
      const payload = Buffer.alloc(PAYLOAD_BYTES);
      payload.writeUIntBE(caseId, 0, 6);
      payload.writeUInt32BE(Math.floor(expiresAt / 1000), 6);
      return Buffer.concat([payload, mac(payload)]).toString('base64url');
    },
    verify(token, now) {
      if (token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return { valid: false };
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return { valid: false };
      const payload = bytes.subarray(0, PAYLOAD_BYTES);
      if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(payload))) return { valid: false };
      const expiresAt = payload.readUInt32BE(6) * 1000;
      return { valid: true, caseId: payload.readUIntBE(0, 6), expiresAt, expired: now >= expiresAt };
    },
  };
}
