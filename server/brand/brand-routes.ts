// GET /assets/brand.css: the operator's colours as CSS custom properties, which app.css uses for
// headers and primary buttons. A stylesheet of our own origin, not an inline style, so the pages'
// Content-Security-Policy stays `style-src 'self'`. Its URL carries a hash of its content, so it is
// cached for long and a new BRAND_COLOR is fetched at once.
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { BrandPalette } from './brand-colors.ts';

export const BRAND_STYLESHEET_PATH = '/assets/brand.css';

export function brandStylesheet(palette: BrandPalette): string {
  return [
    '/* BRAND_COLOR, with the text colour that keeps WCAG AA contrast on it (server/brand/brand-colors.ts). */',
    ':root {',
    `  --brand: ${palette.color};`,
    `  --on-brand: ${palette.onColor};`,
    `  --brand-hover: ${palette.hover};`,
    `  --brand-edge: ${palette.edge};`,
    '}',
    '',
  ].join('\n');
}

/** The stylesheet's URL, versioned by its content. */
export function brandStylesheetUrl(palette: BrandPalette): string {
  const version = createHash('sha256').update(brandStylesheet(palette)).digest('base64url').slice(0, 12);
  return `${BRAND_STYLESHEET_PATH}?v=${version}`;
}

export function createBrandRouter(palette: BrandPalette): Router {
  const css = brandStylesheet(palette);
  const router = Router();
  router.get(BRAND_STYLESHEET_PATH, (_req, res) => {
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type('text/css').send(css);
  });
  return router;
}
