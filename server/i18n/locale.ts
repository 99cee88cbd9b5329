// Which language a person reads: the user's own choice, else the institution's country, else the
// browser's preference, else Spanish (CONTRACT.md).
export const LOCALES = ['es', 'pt-BR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'es';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Belvo institution codes carry the country: erebor_mx_retail, ofmockbank_br_retail. */
export function countryOfInstitution(institution: string | null | undefined): 'br' | 'mx' | 'co' | undefined {
  const match = /_(br|mx|co)(_|$)/.exec(institution ?? '');
  return match?.[1] as 'br' | 'mx' | 'co' | undefined;
}

/** "erebor_mx_retail" → "Erebor": better than nothing when the operator registered no display name. */
export function readableInstitution(code: string | null): string | null {
  if (!code) return null;
  const name = code.split(/_(?:br|mx|co)(?:_|$)/)[0]!.replace(/_/g, ' ').trim();
  return name ? name.replace(/\b\p{L}/gu, (c) => c.toUpperCase()) : null;
}

function localeOfInstitution(institution: string | null | undefined): Locale | undefined {
  const country = countryOfInstitution(institution);
  if (country === 'br') return 'pt-BR';
  if (country === 'mx' || country === 'co') return 'es';
  return undefined;
}

function localeOfAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('pt')) return 'pt-BR';
    if (tag.startsWith('es')) return 'es';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

export function resolveLocale(input: {
  userLocale?: string | null;
  institution?: string | null;
  acceptLanguage?: string;
}): Locale {
  if (isLocale(input.userLocale)) return input.userLocale;
  return localeOfInstitution(input.institution) ?? localeOfAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
}

/** The BCP 47 tag for Intl and for <html lang>. */
export function languageTag(locale: Locale): string {
  return locale === 'es' ? 'es' : locale;
}
