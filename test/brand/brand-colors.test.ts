import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { brandPalette, contrastRatio } from '../../server/brand/brand-colors.ts';
import { supportLinks } from '../../server/brand/brand.ts';

describe('brand colours', () => {
  test('text on the brand colour keeps WCAG AA contrast (4.5:1) for every colour, and hovering only adds contrast', () => {
    // Every 17th value of each channel: 4,096 colours, greys, primaries and the mid-tones where black and white are closest.
    for (let r = 0; r <= 255; r += 17) {
      for (let g = 0; g <= 255; g += 17) {
        for (let b = 0; b <= 255; b += 17) {
          const color = `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
          const palette = brandPalette(color);
          const ratio = contrastRatio(palette.color, palette.onColor);
          assert.ok(ratio >= 4.5, `${color}: ${ratio.toFixed(2)}:1`);
          assert.ok(contrastRatio(palette.hover, palette.onColor) >= ratio, `${color}: hover loses contrast`);
          assert.ok(contrastRatio(palette.edge, '#ffffff') >= 3, `${color}: the button's edge vanishes on white`);
        }
      }
    }
  });

  test('a very light colour gets black text, a very dark one white', () => {
    assert.equal(brandPalette('#FFF7D6').onColor, '#000000');
    assert.equal(brandPalette('#0a1f44').onColor, '#ffffff');
    assert.equal(brandPalette('#FFF7D6').color, '#fff7d6');
  });

  test('contrast ratios match WCAG’s published extremes', () => {
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(1), '21.0');
    assert.equal(contrastRatio('#777777', '#ffffff').toFixed(2), '4.48');
  });
});

describe('support contacts', () => {
  test('each becomes a link to follow: the web page, mailto: and tel: with the digits only', () => {
    assert.deepEqual(supportLinks({ url: 'https://ayuda.fintech.example/soporte/', email: 'ayuda@fintech.example', phone: '+52 (55) 1234-5678' }), [
      { kind: 'url', href: 'https://ayuda.fintech.example/soporte/', text: 'ayuda.fintech.example/soporte' },
      { kind: 'email', href: 'mailto:ayuda@fintech.example', text: 'ayuda@fintech.example' },
      { kind: 'phone', href: 'tel:+525512345678', text: '+52 (55) 1234-5678' },
    ]);
    assert.deepEqual(supportLinks({}), []);
  });
});
