// Small text helpers the copy of every language shares.

export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * A sentence's first letter, upper case, unless the sentence starts with the bank's own name,
 * which keeps its spelling ("iFood Bank", "BBVA").
 */
export function sentenceStart(text: string, bankName: string | undefined): string {
  if (bankName && text.startsWith(bankName)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

