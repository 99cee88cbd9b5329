import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ConfigError, isSafeWebUrl, loadConfig, webUrl } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { createTestDatabase } from '../support/database.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'relink-config-'));

const HX = `HX${'0'.repeat(32)}`;
const ALL_TEMPLATES = { credentials: { '*': HX }, mfa: { '*': HX }, consent: { '*': HX }, reminder: { '*': HX }, new_link: { '*': HX } };
const templates = (overrides: Record<string, unknown>) => JSON.stringify({ ...ALL_TEMPLATES, ...overrides });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaKey = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const DKIM = { DKIM_DOMAIN: 'fintech.example', DKIM_SELECTOR: 'relink1' };


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
      (err: unknown) => err instanceof ConfigError && /APP_SECRET, BELVO_WEBHOOK_AUTH, OPERATOR_API_KEY, ADMIN_PASSWORD, BRAND_NAME/.test(err.message),
    );
    assert.doesNotThrow(() => loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir() }));
  });

  test('production needs a way for end users to reach support', () => {
    const { SUPPORT_EMAIL: _, ...withoutSupport } = PRODUCTION_ENV;
    assert.throws(() => loadConfig({ ...withoutSupport, DATA_DIR: dataDir() }), /SUPPORT_URL, SUPPORT_EMAIL, SUPPORT_PHONE/);
    for (const support of [{ SUPPORT_URL: 'https://ayuda.fintech.example' }, { SUPPORT_PHONE: '+52 55 1234 5678' }]) {
      assert.doesNotThrow(() => loadConfig({ ...withoutSupport, ...support, DATA_DIR: dataDir() }));
    }
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['a PORT that is not a number', { PORT: 'eighty' }, /PORT/],
    ['a TWILIO_FROM that is neither E.164 nor MG…', { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '5512' }, /TWILIO_FROM/],
    ['only part of the Twilio settings', { TWILIO_ACCOUNT_SID: 'AC1' }, /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together/],
    ['a BRAND_NAME too long for an SMS', { BRAND_NAME: 'Financiera Ejemplo Uno' }, /BRAND_NAME: must be at most 20 characters/],
    ['a BRAND_LOGO_URL over plain http', { BRAND_LOGO_URL: 'http://cdn.example/logo.png' }, /BRAND_LOGO_URL/],
    ['a BRAND_LOGO_URL with credentials in it', { BRAND_LOGO_URL: 'https://user:pass@cdn.example/logo.png' }, /BRAND_LOGO_URL: must be an https URL without a user name or password/],
    ['a SUPPORT_URL with credentials in it', { SUPPORT_URL: 'https://user@help.example/' }, /SUPPORT_URL: must be an http\(s\) URL without a user name or password/],
    ['a BRAND_COLOR that is not #rrggbb', { BRAND_COLOR: 'purple' }, /BRAND_COLOR/],
    ['a SUPPORT_EMAIL that is not an address', { SUPPORT_EMAIL: 'help' }, /SUPPORT_EMAIL/],
    ['a SUPPORT_PHONE with letters', { SUPPORT_PHONE: 'call us' }, /SUPPORT_PHONE/],
    ['a MAIL_FROM that is not an address', { MAIL_FROM: 'Fintech <nobody>' }, /MAIL_FROM/],
    ['a TWILIO_WHATSAPP_FROM without its whatsapp: prefix', { TWILIO_WHATSAPP_FROM: '+14155238886' }, /TWILIO_WHATSAPP_FROM/],
    ['TWILIO_WHATSAPP_FROM without WHATSAPP_TEMPLATES', { TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886' }, /WHATSAPP_TEMPLATES is required/],
    ['WHATSAPP_TEMPLATES that is not JSON', { TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886', WHATSAPP_TEMPLATES: '{credentials' }, /WHATSAPP_TEMPLATES is not valid JSON/],
    ['a WhatsApp template missing', { TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886', WHATSAPP_TEMPLATES: templates({ reminder: undefined }) }, /WHATSAPP_TEMPLATES is missing the template "reminder"/],
    ['a WhatsApp template without a language', { TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886', WHATSAPP_TEMPLATES: templates({ mfa: { es: HX, en: HX } }) }, /"mfa" has no template for pt-BR \(and no "\*"\)/],
    ['a WhatsApp template that is not a Content SID', { TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886', WHATSAPP_TEMPLATES: templates({ consent: { '*': 'consent_v1' } }) }, /Content SID/],
    ['CHANNEL_ORDER with WhatsApp that is not set up', { CHANNEL_ORDER: 'whatsapp,email' }, /CHANNEL_ORDER names whatsapp, but TWILIO_WHATSAPP_FROM is unset/],
    ['CHANNEL_ORDER with an unknown channel', { CHANNEL_ORDER: 'email,fax' }, /CHANNEL_ORDER/],
    ['part of the DKIM settings', { DKIM_DOMAIN: 'fintech.example' }, /DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together/],
    ['a DKIM key that does not parse', { ...DKIM, DKIM_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }, /DKIM_PRIVATE_KEY does not parse/],
    ['a DKIM key file that does not exist', { ...DKIM, DKIM_PRIVATE_KEY: '/nonexistent/dkim.pem' }, /DKIM_PRIVATE_KEY is neither PEM text nor a readable file/],
    ['a DKIM key that is not RSA', { ...DKIM, DKIM_PRIVATE_KEY: pem(generateKeyPairSync('ed25519').privateKey) }, /DKIM_PRIVATE_KEY must be an RSA key, not ed25519/],
    ['an SMTP_URL of another scheme', { SMTP_URL: 'http://mail' }, /SMTP_URL/],
    ['a webhook auth too short to be a secret', { BELVO_WEBHOOK_AUTH: 'Bearer short' }, /BELVO_WEBHOOK_AUTH/],
    ['a webhook auth with another scheme', { BELVO_WEBHOOK_AUTH: 'Token 0123456789abcdef0123' }, /BELVO_WEBHOOK_AUTH/],
    ['a webhook auth with spaces in its secret', { BELVO_WEBHOOK_AUTH: 'Bearer 0123456789 abcdef0123' }, /BELVO_WEBHOOK_AUTH/],
    ['one Belvo secret without the other', { BELVO_SECRET_ID: 'id' }, /BELVO_SECRET_ID and BELVO_SECRET_PASSWORD/],
    ['a PUBLIC_URL with credentials in it', { PUBLIC_URL: 'https://user:pass@relink.example.com' }, /PUBLIC_URL: .*without a user name or password/],
    ['a PUBLIC_URL with a user name only', { PUBLIC_URL: 'https://user@relink.example.com' }, /PUBLIC_URL/],
    ['a BELVO_WIDGET_URL with credentials in it', { BELVO_WIDGET_URL: 'https://a:b@widget.example/' }, /BELVO_WIDGET_URL/],
    ['a MY_BELVO_PORTAL_URL with credentials in it', { MY_BELVO_PORTAL_URL: 'https://a:b@portal.example/' }, /MY_BELVO_PORTAL_URL/],
    ['a BELVO_API_URL with credentials in it', { BELVO_API_URL: 'https://a:b@api.example/' }, /BELVO_API_URL/],
    ['a TWILIO_API_URL with credentials in it', { TWILIO_API_URL: 'http://a:b@127.0.0.1:1/' }, /TWILIO_API_URL/],
    ['a PUBLIC_URL of another scheme', { PUBLIC_URL: 'javascript:alert(1)' }, /PUBLIC_URL/],
    ['one payments key without the other', { BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'pw', BELVO_PAYMENTS_SECRET_ID: 'pid' }, /BELVO_PAYMENTS_SECRET_ID and BELVO_PAYMENTS_SECRET_PASSWORD must be set together/],
    ['payments keys without the secret keys', { BELVO_PAYMENTS_SECRET_ID: 'pid', BELVO_PAYMENTS_SECRET_PASSWORD: 'ppw' }, /need BELVO_SECRET_ID and BELVO_SECRET_PASSWORD/],
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

  test('the brand: Demo Fintech in the demo, the operator’s own when set, with text colours computed for its colour', () => {
    const demo = loadConfig({ DATA_DIR: dataDir() });
    assert.equal(demo.brand.name, 'Demo Fintech');
    assert.deepEqual(demo.mailFrom, { name: 'Demo Fintech', address: 'no-reply@localhost' });
    const own = loadConfig({
      DATA_DIR: dataDir(),
      BRAND_NAME: 'Fintech Uno',
      BRAND_COLOR: '#FFE600',
      BRAND_LOGO_URL: 'https://cdn.fintech.example/logo.svg',
      SUPPORT_URL: 'https://ayuda.fintech.example',
      SUPPORT_PHONE: '+52 55 1234 5678',
    });
    assert.equal(own.brand.name, 'Fintech Uno');
    assert.equal(own.brand.logoUrl, 'https://cdn.fintech.example/logo.svg');
    assert.deepEqual(own.brand.palette, { color: '#ffe600', onColor: '#000000', hover: '#ffeb2e', edge: '#000000' });
    assert.deepEqual(own.brand.support, { url: 'https://ayuda.fintech.example', phone: '+52 55 1234 5678' });
    assert.deepEqual(own.mailFrom, { name: 'Fintech Uno', address: 'no-reply@localhost' });
  });

  test('MAIL_FROM keeps its own display name, and a bare address gets the brand', () => {
    const named = loadConfig({ DATA_DIR: dataDir(), BRAND_NAME: 'Fintech Uno', MAIL_FROM: '"Avisos Uno" <avisos@fintech.example>' });
    assert.deepEqual(named.mailFrom, { name: 'Avisos Uno', address: 'avisos@fintech.example' });
    const bare = loadConfig({ DATA_DIR: dataDir(), BRAND_NAME: 'Fintech Uno', MAIL_FROM: 'avisos@fintech.example' });
    assert.deepEqual(bare.mailFrom, { name: 'Fintech Uno', address: 'avisos@fintech.example' });
  });

  test('the channel order: e-mail then SMS by default, CHANNEL_ORDER when set, WhatsApp only when set up', () => {
    const demo = loadConfig({ DATA_DIR: dataDir() });
    assert.deepEqual(demo.channelPolicy, { order: ['email', 'sms'], available: ['email', 'sms'] });
    const whatsapp = loadConfig({
      DATA_DIR: dataDir(),
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      TWILIO_WHATSAPP_FROM: 'whatsapp:+14155238886',
      WHATSAPP_TEMPLATES: templates({ credentials: { es: HX, 'pt-BR': HX, en: HX } }),
      CHANNEL_ORDER: 'whatsapp,email',
    });
    assert.deepEqual(whatsapp.channelPolicy, { order: ['whatsapp', 'email'], available: ['email', 'whatsapp'] }, 'no TWILIO_FROM, no SMS');
    assert.equal(whatsapp.whatsapp?.from, 'whatsapp:+14155238886');
  });

  test('DKIM takes the key as PEM text, with \\n escapes as .env files write it, or as a file path', () => {
    const fromText = loadConfig({ DATA_DIR: dataDir(), ...DKIM, DKIM_PRIVATE_KEY: rsaKey.replace(/\n/g, '\\n') });
    assert.equal(fromText.dkim?.privateKey, rsaKey);
    assert.equal(fromText.dkim?.domainName, 'fintech.example');
    const file = join(dataDir(), 'dkim.pem');
    writeFileSync(file, rsaKey);
    assert.equal(loadConfig({ DATA_DIR: dataDir(), ...DKIM, DKIM_PRIVATE_KEY: file }).dkim?.privateKey, rsaKey);
  });

  for (const value of ['Bearer 0123456789abcdef0123', '0123456789abcdef0123', 'bearer   0123456789abcdef0123', 'Basic dXNlcjpwYXNzd29yZDEyMzQ=', '  0123456789abcdef0123  ']) {
    test(`BELVO_WEBHOOK_AUTH may be ${JSON.stringify(value)}`, () => {
      assert.equal(loadConfig({ DATA_DIR: dataDir(), BELVO_WEBHOOK_AUTH: value }).belvo.webhookAuth, value.trim());
    });
  }

  test('register-webhook uses the payments keys when they are set, else the secret keys', () => {
    const keys = { BELVO_SECRET_ID: 'id', BELVO_SECRET_PASSWORD: 'pw' };
    assert.deepEqual(loadConfig({ DATA_DIR: dataDir(), ...keys }).belvo.payments, { secretId: 'id', secretPassword: 'pw' });
    const payments = loadConfig({ DATA_DIR: dataDir(), ...keys, BELVO_PAYMENTS_SECRET_ID: 'pid', BELVO_PAYMENTS_SECRET_PASSWORD: 'ppw' });
    assert.deepEqual(payments.belvo.payments, { secretId: 'pid', secretPassword: 'ppw' });
    assert.equal(payments.belvo.secretId, 'id', 'aggregation calls keep the secret keys');
  });

  test('sends in flight keep every SMTP connection busy unless SEND_CONCURRENCY says otherwise', () => {
    const dir = dataDir();
    assert.equal(loadConfig({ DATA_DIR: dir }).worker.sendConcurrency, 32);
    assert.equal(loadConfig({ DATA_DIR: dir, SMTP_MAX_CONNECTIONS: '16' }).worker.sendConcurrency, 32);
    assert.equal(loadConfig({ DATA_DIR: dir, SMTP_MAX_CONNECTIONS: '40' }).worker.sendConcurrency, 80);
    assert.equal(loadConfig({ DATA_DIR: dir, SMTP_MAX_CONNECTIONS: '40', SEND_CONCURRENCY: '24' }).worker.sendConcurrency, 24);
  });

  test('one worker thread unless WORKER_THREADS says otherwise, never more than the limits they share', () => {
    const dir = dataDir();
    assert.equal(loadConfig({ DATA_DIR: dir }).worker.threads, 1);
    assert.equal(loadConfig({ DATA_DIR: dir, WORKER_THREADS: '2' }).worker.threads, 2);
    assert.throws(() => loadConfig({ DATA_DIR: dir, WORKER_THREADS: '0' }), /WORKER_THREADS/);
    assert.throws(() => loadConfig({ DATA_DIR: dir, WORKER_THREADS: '17', SMTP_MAX_CONNECTIONS: '40', EVENT_CONCURRENCY: '40' }), /WORKER_THREADS/);
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, WORKER_THREADS: '3', SMTP_MAX_CONNECTIONS: '2' }),
      (err: Error) => err instanceof ConfigError && /WORKER_THREADS \(3\) is more than SMTP_MAX_CONNECTIONS \(2\)/.test(err.message),
    );
    assert.throws(() => loadConfig({ DATA_DIR: dir, WORKER_THREADS: '5' }), /WORKER_THREADS \(5\) is more than EVENT_CONCURRENCY \(4\)/);
  });

  test('a PUBLIC_URL with a trailing slash still makes clean links', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://x.example/' }).publicUrl, 'https://x.example');
  });
});

describe('production mounts no demo aids', () => {
  test('/dev, /dev/inbox and the simulator answer 404 in production', async () => {
    const database = await createTestDatabase();
    try {
      const config = loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir(), BELVO_API_URL: 'http://127.0.0.1:9/' });
      const { app } = createRuntime({ config, db: database.db, logger: createLogger({ write: () => {} }) });
      for (const path of ['/dev', '/dev/inbox', '/dev/inbox.json', '/sandbox/belvo/api/links/x/']) {
        assert.equal((await request(app).get(path)).status, 404, path);
      }
    } finally {
      await database.close();
    }
  });
});
