// OPERATOR_WEBHOOK_*: a bad value stops the start and names its variable.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { isLocalAddress } from '../../server/operator-webhooks/local-address.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'relink-hooks-config-'));
const SECRET = newWebhookSecret();
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir(), ...env });
const refuses = (env: Record<string, string>, message: RegExp) =>
  assert.throws(() => load(env), (err: unknown) => err instanceof ConfigError && message.test(err.message));

describe('operator webhook configuration', () => {
  test('off unless OPERATOR_WEBHOOK_URL is set', () => {
    assert.equal(load({}).operatorWebhook, undefined);
  });

  test('several secrets separated by spaces each sign', () => {
    const second = newWebhookSecret();
    const config = load({ OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/relink', OPERATOR_WEBHOOK_SECRET: ` ${SECRET}  ${second} ` });
    assert.deepEqual(config.operatorWebhook, { url: 'https://hooks.fintech.example/relink', secrets: [SECRET, second], allowLocal: true });
  });

  test('the URL needs its secret, and a secret must be a Standard Webhooks one', () => {
    refuses({ OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/' }, /OPERATOR_WEBHOOK_SECRET is required with OPERATOR_WEBHOOK_URL/);
    for (const bad of ['not-a-secret', 'whsec_', 'whsec_c2hvcnQ=', `${SECRET} whsec_!!!`]) {
      refuses({ OPERATOR_WEBHOOK_URL: 'https://hooks.fintech.example/', OPERATOR_WEBHOOK_SECRET: bad }, /OPERATOR_WEBHOOK_SECRET: each secret must be whsec_/);
    }
  });

  test('only http(s) URLs, without credentials in them', () => {
    for (const url of ['ftp://hooks.fintech.example/', 'file:///etc/passwd', 'gopher://127.0.0.1:25/', 'https://user:pw@hooks.fintech.example/']) {
      refuses({ OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: SECRET }, /OPERATOR_WEBHOOK_URL: must be an http\(s\) URL/);
    }
  });

  test('in production, loopback and link-local addresses are refused unless OPERATOR_WEBHOOK_ALLOW_LOCAL=true', () => {
    const local = ['http://127.0.0.1:8080/', 'http://[::1]/hook', 'http://169.254.169.254/latest', 'http://0.0.0.0/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/'];
    for (const url of local) {
      refuses({ ...PRODUCTION_ENV, OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: SECRET }, /OPERATOR_WEBHOOK_ALLOW_LOCAL=true/);
      const allowed = load({ ...PRODUCTION_ENV, OPERATOR_WEBHOOK_URL: url, OPERATOR_WEBHOOK_SECRET: SECRET, OPERATOR_WEBHOOK_ALLOW_LOCAL: 'true' });
      assert.equal(allowed.operatorWebhook?.allowLocal, true);
    }
    const privateNetwork = load({ ...PRODUCTION_ENV, OPERATOR_WEBHOOK_URL: 'http://10.1.2.3/hook', OPERATOR_WEBHOOK_SECRET: SECRET });
    assert.equal(privateNetwork.operatorWebhook?.allowLocal, false, "the operator's private network is theirs to use");
    refuses({ OPERATOR_WEBHOOK_ALLOW_LOCAL: 'yes' }, /OPERATOR_WEBHOOK_ALLOW_LOCAL: must be true or false/);
  });

  test('outside production a local receiver is allowed', () => {
    assert.equal(load({ OPERATOR_WEBHOOK_URL: 'http://127.0.0.1:9/', OPERATOR_WEBHOOK_SECRET: SECRET }).operatorWebhook?.allowLocal, true);
  });

  test('local addresses are told from the rest in every spelling', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1', '169.254.169.254', 'fe80::1', '0.0.0.0', '::']) {
      assert.equal(isLocalAddress(address), true, address);
    }
    for (const address of ['10.0.0.1', '192.168.1.1', '8.8.8.8', '2001:db8::1', 'localhost', 'hooks.fintech.example']) {
      assert.equal(isLocalAddress(address), false, address);
    }
  });
});
