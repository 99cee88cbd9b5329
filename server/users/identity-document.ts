// Brazilian identity documents: a person's CPF (11 digits) or a company's CNPJ (14 digits), each
// ending in two check digits. Belvo refuses a token whose document does not check out, so a typo is
// caught when the operator registers the user, not when the user is already on the page.

export const DOCUMENT_TYPES = ['CPF', 'CNPJ'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface IdentityDocument {
  type: DocumentType;
  /** Digits only. */
  number: string;
}

const LENGTH: Record<DocumentType, number> = { CPF: 11, CNPJ: 14 };

/** "123.456.789-09" and "12.345.678/0001-95" are written with punctuation; the digits are what count. */
export function documentDigits(number: string): string {
  return number.replace(/[\s./-]/g, '');
}

/** The check digit over `digits` with these weights: 11 minus the weighted sum mod 11, 0 when that is 10 or 11. */
function checkDigit(digits: string, weights: number[]): number {
  const sum = weights.reduce((total, weight, i) => total + weight * Number(digits[i]), 0);
  const rest = 11 - (sum % 11);
  return rest >= 10 ? 0 : rest;
}

const CPF_WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** Whether `digits` (digits only) is a CPF or CNPJ whose check digits are right. */
export function isValidDocument(type: DocumentType, digits: string): boolean {
  if (!new RegExp(`^\\d{${LENGTH[type]}}$`).test(digits)) return false;
  // 000.000.000-00, 111.111.111-11 … pass the arithmetic but are never issued.
  if (/^(\d)\1+$/.test(digits)) return false;
  const weights = type === 'CPF' ? CPF_WEIGHTS : CNPJ_WEIGHTS;
  const first = checkDigit(digits, weights);
  const second = checkDigit(digits, [weights[0]! + 1, ...weights]);
  const n = LENGTH[type];
  return Number(digits[n - 2]) === first && Number(digits[n - 1]) === second;
}
