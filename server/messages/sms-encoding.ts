// How a phone network will carry a text: GSM 03.38 7-bit when every character is in its tables,
// otherwise UCS-2, which cuts a single segment from 160 characters to 70. Our SMS copy must stay
// in GSM-7 and in one segment, so this module also folds user-provided names into GSM-7.

// The basic table, in code order (0x00–0x7F), without the escape code 0x1B. 0x09 is the capital
// Ç in the standard; some networks treat it as ç, so ç is deliberately left out.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);

// Characters reached through the escape code: each costs two septets.
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const GSM7_SINGLE = 160;
const GSM7_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

function isGsm7Char(char: string): boolean {
  return GSM7_BASIC.has(char) || GSM7_EXTENSION.has(char);
}

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) {
    if (!isGsm7Char(char)) return 'UCS-2';
  }
  return 'GSM-7';
}

/** Septets for GSM-7, UTF-16 code units for UCS-2: the unit each segment limit is counted in. */
export function smsLength(text: string): number {
  if (smsEncoding(text) === 'UCS-2') return text.length;
  let length = 0;
  for (const char of text) length += GSM7_EXTENSION.has(char) ? 2 : 1;
  return length;
}

/** How many segments the text is billed and delivered as; an empty text still costs one. */
export function smsSegments(text: string): number {
  const length = smsLength(text);
  const [single, part] = smsEncoding(text) === 'GSM-7' ? [GSM7_SINGLE, GSM7_PART] : [UCS2_SINGLE, UCS2_PART];
  return length <= single ? 1 : Math.ceil(length / part);
}

export function fitsOneGsm7Segment(text: string): boolean {
  return smsEncoding(text) === 'GSM-7' && smsSegments(text) === 1;
}

/**
 * Folds free text (a person's or a bank's name) into GSM-7: accents outside the table lose their
 * mark (João → Joao, Itaú → Itau), line breaks become spaces, anything else outside the table is
 * dropped.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const char of text.replace(/\s+/g, ' ')) {
    if (isGsm7Char(char)) {
      out += char;
      continue;
    }
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    if ([...base].every(isGsm7Char)) out += base;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}
