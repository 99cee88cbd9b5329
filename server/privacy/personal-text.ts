// A person's data inside free text we keep about their cases: a reason an operator typed when closing
// a case ("Ana Souza, ana@example.com, asked us to stop"), a detail some writer stored. Erasure
// replaces every occurrence of the person's e-mail, phone, name and document there, in each form it
// may take, so what stays tells what happened without telling to whom.
import type { UserRecord } from '../users/user-repository.ts';

export const ERASED = '[erased]';
/** Shorter values (a one-letter name) would rewrite unrelated words. */
const MIN_LENGTH = 3;

/** "52998224725" as people write it: "529.982.247-25" (CPF) or "11.222.333/0001-81" (CNPJ). */
function punctuated(digits: string): string {
  return digits.length === 11
    ? digits.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4')
    : digits.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5');
}

/** The person's e-mail, phone, name and document, the document also punctuated. */
export function personalValues(user: UserRecord): Array<string | null | undefined> {
  return [user.email, user.phone, user.name, user.document?.number, user.document && punctuated(user.document.number)];
}

/** Every form `values` may take in stored text (as they are, and inside JSON), longest first. */
export function personalStrings(values: ReadonlyArray<string | null | undefined>): string[] {
  const forms = values.flatMap((value) => (value && value.length >= MIN_LENGTH ? [value, JSON.stringify(value).slice(1, -1)] : []));
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/** A function that rewrites text without any of `strings`. */
export function personalTextScrubber(strings: readonly string[]): (text: string) => string {
  return (text) => strings.reduce((out, value) => out.split(value).join(ERASED), text);
}
