// STORM_GUARD, RETENTION_DAYS and the send-rate limits: defaults as CONTRACT.md says, and a bad
// value stops the start with the variable named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';

const load = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'relink-config-')), ...env });

test('by default: the storm guard at 50 cases in 10 minutes, 180 days of retention, no send-rate limit', () => {
  const config = load();
  assert.deepEqual(config.stormGuard, { threshold: 50, windowMs: 10 * 60_000 });
  assert.equal(config.retentionMs, 180 * 86_400_000);
  assert.deepEqual(config.sendRates, {});
});

test('STORM_GUARD takes N/<minutes>m or off; the rates take whole numbers per channel', () => {
  const config = load({ STORM_GUARD: '200/30m', RETENTION_DAYS: '30', EMAIL_RATE_PER_SECOND: '14', SMS_RATE_PER_SECOND: '1', WHATSAPP_RATE_PER_SECOND: '80' });
  assert.deepEqual(config.stormGuard, { threshold: 200, windowMs: 30 * 60_000 });
  assert.equal(config.retentionMs, 30 * 86_400_000);
  assert.deepEqual(config.sendRates, { email: 14, sms: 1, whatsapp: 80 });
  assert.equal(load({ STORM_GUARD: 'off' }).stormGuard, undefined);
});

for (const [name, value] of [
  ['STORM_GUARD', '50'],
  ['STORM_GUARD', '50/10s'],
  ['STORM_GUARD', '0/10m'],
  ['STORM_GUARD', 'on'],
  ['RETENTION_DAYS', '0'],
  ['EMAIL_RATE_PER_SECOND', '0'],
  ['SMS_RATE_PER_SECOND', '2.5'],
  ['WHATSAPP_RATE_PER_SECOND', 'fast'],
] as const) {
  test(`${name}=${value} stops the start, naming ${name}`, () => {
    assert.throws(() => load({ [name]: value }), (err: Error) => err.message.includes(name));
  });
}
