// The operator's brand on a page: the header (BRAND_NAME, or its logo named by it), the stylesheet
// with BRAND_COLOR, the line that says what the operator never asks for, and how to reach its
// support (SUPPORT_*), in the page's language.
import { supportLinks, type Brand } from '../brand/brand.ts';
import { brandStylesheetUrl } from '../brand/brand-routes.ts';
import type { PortalCopy } from './portal-copy.ts';

export interface SupportLinkView {
  href: string;
  /** "Teléfono", "E-mail": what the link is, for the eye and for a screen reader. */
  label: string;
  text: string;
}

/** With contacts, `intro` and the links; without (the demo), `fallback` says where to look. */
export type SupportView = { heading: string; intro: string; links: SupportLinkView[] } | { heading: string; fallback: string };

export interface BrandView {
  name: string;
  logoUrl?: string;
  stylesheet: string;
  neverAsk: string;
  support: SupportView;
}

export function brandView(brand: Brand, copy: PortalCopy): BrandView {
  const links = supportLinks(brand.support).map((link) => ({ href: link.href, label: copy.support.labels[link.kind], text: link.text }));
  const { heading } = copy.support;
  return {
    name: brand.name,
    ...(brand.logoUrl ? { logoUrl: brand.logoUrl } : {}),
    stylesheet: brandStylesheetUrl(brand.palette),
    neverAsk: copy.neverAsk,
    support: links.length > 0 ? { heading, intro: copy.support.intro, links } : { heading, fallback: copy.support.fallback },
  };
}
