import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { brandStylesheetUrl } from '../../server/brand/brand-routes.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('GET /assets/brand.css', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { BRAND_COLOR: '#FFF7D6' } });
  });
  after(() => t.close());

  test('gives the pages the brand colour and the readable text colour on it, as a cacheable stylesheet of our own origin', async () => {
    const res = await request(t.app).get(brandStylesheetUrl(t.config.brand.palette)).expect(200).expect('content-type', /text\/css/);
    assert.match(res.text, /--brand: #fff7d6;/);
    assert.match(res.text, /--on-brand: #000000;/);
    assert.match(res.text, /--brand-edge: #000000;/);
    assert.match(res.headers['cache-control'] ?? '', /max-age=31536000/);
    assert.match(brandStylesheetUrl(t.config.brand.palette), /^\/assets\/brand\.css\?v=[\w-]{12}$/);
  });

  test('another colour is another URL, so a changed BRAND_COLOR is never served stale', () => {
    const dark = { ...t.config.brand.palette, color: '#0a1f44', onColor: '#ffffff' };
    assert.notEqual(brandStylesheetUrl(dark), brandStylesheetUrl(t.config.brand.palette));
  });
});
