// The operator's BRAND_COLOR on headers and primary buttons, with text that stays readable on it
// whatever the colour: WCAG 2 relative luminance and contrast, and the text colour (black or white)
// with the higher contrast. One of the two always reaches at least 4.58:1, above AA's 4.5:1.

export interface BrandPalette {
  /** The brand colour itself: header and primary-button background. */
  color: string;
  /** Text and icons on `color`. */
  onColor: string;
  /** Background of a primary button under the pointer: further from `onColor`, so contrast only grows. */
  hover: string;
  /**
   * A button's edge against the white page: the brand colour when it stands out (3:1, WCAG's
   * non-text contrast), otherwise `onColor`, so a very light brand still draws a visible button.
   */
  edge: string;
}

const WHITE = '#ffffff';
const BLACK = '#000000';

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever reads better on `background`. */
export function readableTextOn(background: string): string {
  return contrastRatio(background, WHITE) >= contrastRatio(background, BLACK) ? WHITE : BLACK;
}

function mix(a: string, b: string, weightOfB: number): string {
  const [ca, cb] = [channels(a), channels(b)];
  return toHex([0, 1, 2].map((i) => ca[i]! + (cb[i]! - ca[i]!) * weightOfB) as [number, number, number]);
}

/** `color` is "#rrggbb". */
export function brandPalette(color: string): BrandPalette {
  const normalized = color.toLowerCase();
  const onColor = readableTextOn(normalized);
  return {
    color: normalized,
    onColor,
    hover: mix(normalized, onColor === WHITE ? BLACK : WHITE, 0.18),
    edge: contrastRatio(normalized, WHITE) >= 3 ? normalized : onColor,
  };
}
