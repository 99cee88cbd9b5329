import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, isSafeWebUrl, loadConfig, webUrl } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { createTestDatabase } from '../support/database.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'relink-config-'));

const PRODUCTION = {
  NODE_ENV: 'production',
  APP_SECRET: 'a'.repeat(40),
  BELVO_WEBHOOK_AUTH: 'Bearer 0123456789abcdef0123',
  OPERATOR_API_KEY: 'k'.repeat(32),
  ADMIN_PASSWORD: 'p'.repeat(16),
  BELVO_SECRET_ID: 'id',
  BELVO_SECRET_PASSWORD: 'pw',
};

describe('configuration', () => {
  test('with nothing set, the demo runs on SQLite under the data folder, the simulator and the dev inbox', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.databaseUrl, `file:${join(dir, 'relink.db')}`);
    assert.equal(config.belvo.simulator, true);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.twilio, undefined);
    assert.equal(loadConfig({ DATA_DIR: dir }).appSecret, config.appSecret, 'generated secrets are kept');
  });

  test('production refuses to start without its secrets, naming them', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() }),
      (err: unknown) => err instanceof ConfigError && /APP_SECRET, BELVO_WEBHOOK_AUTH, OPERATOR_API_KEY, ADMIN_PASSWORD/.test(err.message),
    );
    assert.doesNotThrow(() => loadConfig({ ...PRODUCTION, DATA_DIR: dataDir() }));
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['a PORT that is not a number', { PORT: 'eighty' }, /PORT/],
    ['a TWILIO_FROM that is neither E.164 nor MG…', { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '5512' }, /TWILIO_FROM/],
    ['only part of the Twilio settings', { TWILIO_ACCOUNT_SID: 'AC1' }, /TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM/],
    ['an SMTP_URL of another scheme', { SMTP_URL: 'http://mail' }, /SMTP_URL/],
    ['a webhook auth without its scheme', { BELVO_WEBHOOK_AUTH: '0123456789abcdef0123' }, /BELVO_WEBHOOK_AUTH/],
    ['one Belvo secret without the other', { BELVO_SECRET_ID: 'id' }, /BELVO_SECRET_ID and BELVO_SECRET_PASSWORD/],
    ['a PUBLIC_URL with credentials in it', { PUBLIC_URL: 'https://user:pass@relink.example.com' }, /PUBLIC_URL: .*without a user name or password/],
    ['a PUBLIC_URL with a user name only', { PUBLIC_URL: 'https://user@relink.example.com' }, /PUBLIC_URL/],
    ['a BELVO_WIDGET_URL with credentials in it', { BELVO_WIDGET_URL: 'https://a:b@widget.example/' }, /BELVO_WIDGET_URL/],
    ['a MY_BELVO_PORTAL_URL with credentials in it', { MY_BELVO_PORTAL_URL: 'https://a:b@portal.example/' }, /MY_BELVO_PORTAL_URL/],
    ['a BELVO_API_URL with credentials in it', { BELVO_API_URL: 'https://a:b@api.example/' }, /BELVO_API_URL/],
    ['a TWILIO_API_URL with credentials in it', { TWILIO_API_URL: 'http://a:b@127.0.0.1:1/' }, /TWILIO_API_URL/],
    ['a PUBLIC_URL of another scheme', { PUBLIC_URL: 'javascript:alert(1)' }, /PUBLIC_URL/],
  ];
  for (const [what, env, message] of bad) {
    test(`${what} stops the start with a message naming it`, () => {
      assert.throws(() => loadConfig({ DATA_DIR: dataDir(), ...env }), message);
    });
  }

  test('one URL check: http(s) only, https only when asked, never a user name or password', () => {
    assert.equal(isSafeWebUrl('https://cdn.example/logo.png'), true);
    assert.equal(isSafeWebUrl('http://127.0.0.1:3000/x'), true);
    assert.equal(isSafeWebUrl('http://cdn.example/logo.png', { httpsOnly: true }), false);
    assert.equal(isSafeWebUrl('https://user:pass@cdn.example/logo.png'), false);
    assert.equal(isSafeWebUrl('https://user@cdn.example/'), false);
    assert.equal(isSafeWebUrl('https://:pass@cdn.example/'), false);
    assert.equal(isSafeWebUrl('data:image/png;base64,AAAA'), false);
    assert.equal(isSafeWebUrl('/relative/logo.png'), false);
    assert.equal(webUrl({ httpsOnly: true }).safeParse('https://a:b@x.example/').success, false);
  });

  test('a PUBLIC_URL with a trailing slash still makes clean links', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://x.example/' }).publicUrl, 'https://x.example');
  });
});

describe('production mounts no demo aids', () => {
  test('/dev, /dev/inbox and the simulator answer 404 in production', async () => {
    const database = await createTestDatabase();
    try {
      const config = loadConfig({ ...PRODUCTION, DATA_DIR: dataDir(), BELVO_API_URL: 'http://127.0.0.1:9/' });
      const { app } = createRuntime({ config, db: database.db, logger: createLogger({ write: () => {} }) });
      for (const path of ['/dev', '/dev/inbox', '/dev/inbox.json', '/sandbox/belvo/api/links/x/']) {
        assert.equal((await request(app).get(path)).status, 404, path);
      }
    } finally {
      await database.close();
    }
  });
});
