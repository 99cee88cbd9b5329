// The operator's identity as end users know it (BRAND_* and SUPPORT_*): the name that signs every
// message and heads every page, the logo, the colour, and how to reach the operator's support.
import { brandPalette, type BrandPalette } from './brand-colors.ts';

export interface SupportContacts {
  url?: string;
  email?: string;
  /** As the operator wrote it, e.g. "+52 55 1234 5678". */
  phone?: string;
}

export interface Brand {
  name: string;
  /** https only, never with credentials in it. */
  logoUrl: string | undefined;
  palette: BrandPalette;
  support: SupportContacts;
}

/** The product's own blue, used when the operator sets no BRAND_COLOR. */
export const DEFAULT_BRAND_COLOR = '#0b57d0';
export const DEMO_BRAND_NAME = 'Demo Fintech';
/** Long enough for any app name, short enough to sign an SMS that must stay one segment. */
export const BRAND_NAME_MAX = 20;

export function createBrand(input: { name: string; logoUrl?: string | undefined; color?: string | undefined; support: SupportContacts }): Brand {
  return {
    name: input.name,
    logoUrl: input.logoUrl,
    palette: brandPalette(input.color ?? DEFAULT_BRAND_COLOR),
    support: input.support,
  };
}

export type SupportLink = { kind: 'url' | 'email' | 'phone'; href: string; text: string };

/** Each way to reach support, as a link a page or an e-mail can show: web page, e-mail, phone. */
export function supportLinks(support: SupportContacts): SupportLink[] {
  const links: SupportLink[] = [];
  if (support.url) links.push({ kind: 'url', href: support.url, text: displayUrl(support.url) });
  if (support.email) links.push({ kind: 'email', href: `mailto:${support.email}`, text: support.email });
  if (support.phone) links.push({ kind: 'phone', href: `tel:${support.phone.replace(/[^\d+]/g, '')}`, text: support.phone });
  return links;
}

/** "https://ayuda.fintech.com/soporte/" reads as "ayuda.fintech.com/soporte". */
function displayUrl(url: string): string {
  const parsed = new URL(url);
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.host}${path}${parsed.search}`;
}
