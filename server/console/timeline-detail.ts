// Reading a timeline entry's detail, which is whatever JSON its writer stored, for a sentence.
import type { Detail } from './console-copy.ts';

/** The value as text, or '' when it is missing or not a plain value. */
export function text(detail: Detail, key: string): string {
  const value = detail[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** " (code)" after a sentence when the detail has one, else nothing. */
export function codeOf(detail: Detail, key = 'code'): string {
  const code = text(detail, key);
  return code ? ` (${code})` : '';
}

/** "#12" for a message id. */
export function messageRef(detail: Detail): string {
  const id = text(detail, 'message_id');
  return id ? `#${id}` : '';
}
