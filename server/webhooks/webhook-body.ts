// How the intake reads a webhook's body. Belvo's payloads nest three levels deep; a body nested far
// deeper is refused before it is parsed, because storing it (JSON.stringify recurses) or walking it
// would exhaust the stack, and a 500 would make the sender retry it forever.
import express, { type RequestHandler } from 'express';

export const WEBHOOK_BODY_LIMIT = '1mb';
/** Far beyond any payload Belvo documents, far below what recursion can bear. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The index of the quote that closes the string opened just before `from` (escaped quotes skipped). */
function endOfString(json: Uint8Array, from: number): number {
  for (let at = from; ; at++) {
    // Native search: a long string costs next to nothing.
    at = json.indexOf(QUOTE, at);
    if (at < 0) return json.length;
    let backslashes = 0;
    while (at - backslashes - 1 >= from && json[at - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** True when the JSON text opens more than `max` objects and arrays inside one another. One pass, no parsing. */
export function nestsDeeperThan(json: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (byte === QUOTE) {
      i = endOfString(json, i + 1);
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** Any content type is read as JSON: what matters is whether the body parses, and how deep it goes. */
export function webhookJsonParser(): RequestHandler {
  return express.json({
    limit: WEBHOOK_BODY_LIMIT,
    type: () => true,
    strict: false,
    verify(_req, _res, body, encoding) {
      // The scan reads bytes as UTF-8 would; Belvo sends UTF-8, and another encoding could hide brackets from it.
      if (!/^utf-?8$/i.test(encoding)) {
        throw Object.assign(new Error('Send the body as UTF-8 JSON'), { type: 'charset.unsupported' });
      }
      if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
        // body-parser turns this into a 403 error carrying our `type`; the JSON error handler answers 400.
        throw Object.assign(new Error(`The body nests deeper than ${MAX_JSON_DEPTH} levels`), { type: 'entity.too.deep' });
      }
    },
  });
}
