// POST /api/token/ against the simulator on loopback: the three bodies Belvo documents (update
// mode, a new Brazilian Open Finance connection, My Belvo Portal's consent management), typed
// errors, a timeout, and no secret in any error message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBelvoClient } from '../../server/belvo/belvo-client.ts';
import { BelvoApiError, BelvoTransportError } from '../../server/belvo/belvo-types.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

let belvo: RunningBelvoSimulator;
before(async () => {
  belvo = await startBelvoSimulator();
});
after(() => belvo.close());

const LINK = '16f68516-bcbc-4cf7-b815-c500d4204e28';
const CALLBACKS = {
  success: 'https://relink.example.com/r/tok/widget/n/success',
  exit: 'https://relink.example.com/r/tok/widget/n/exit',
  event: 'https://relink.example.com/r/tok/widget/n/event',
};
const client = (overrides: { secretPassword?: string; timeoutMs?: number } = {}) =>
  createBelvoClient({ apiUrl: belvo.url, secretId: belvo.secretId, secretPassword: belvo.secretPassword, ...overrides });

const HOLDER = { cpf: '76109277673', name: 'Ralph Bragg' };
const update = { kind: 'update', linkId: LINK, callbackUrls: CALLBACKS } as const;
const openFinance = {
  kind: 'openFinance',
  callbackUrls: CALLBACKS,
  holder: HOLDER,
  termsUrl: 'https://fintech.example/terms',
  purpose: 'Manter seus dados atualizados.',
  companyName: 'Demo Fintech',
} as const;

test('update mode: the secret keys, scopes, link and callbacks, and access and refresh back', async () => {
  const token = await client().createWidgetToken(update);
  assert.ok(token.access.length >= 20 && token.refresh.length >= 20);
  assert.deepEqual(Object.keys(token).sort(), ['access', 'refresh']);
  const call = belvo.simulator.calls.at(-1)!;
  assert.equal(call.path, '/api/token/');
  assert.deepEqual(call.body, {
    id: belvo.secretId,
    password: belvo.secretPassword,
    scopes: 'read_institutions,write_links,read_links',
    link_id: LINK,
    widget: { callback_urls: CALLBACKS },
  });
});

test('a Brazilian Open Finance connection: the exact scopes, fetch_resources, purpose, consent with the CPF and name, branding', async () => {
  const token = await client().createWidgetToken(openFinance);
  assert.ok(token.access.length >= 20);
  const call = belvo.simulator.calls.at(-1)!;
  assert.equal(call.status, 200);
  assert.deepEqual(call.body, {
    id: belvo.secretId,
    password: belvo.secretPassword,
    scopes: 'read_institutions,write_links,read_consents,write_consents,write_consent_callback,delete_consents',
    fetch_resources: ['ACCOUNTS', 'TRANSACTIONS', 'OWNERS'],
    widget: {
      purpose: 'Manter seus dados atualizados.',
      openfinance_feature: 'consent_link_creation',
      callback_urls: CALLBACKS,
      consent: {
        terms_and_conditions_url: 'https://fintech.example/terms',
        permissions: ['REGISTER', 'ACCOUNTS', 'CREDIT_CARDS', 'CREDIT_OPERATIONS'],
        identification_info: [{ type: 'CPF', number: '76109277673', name: 'Ralph Bragg' }],
      },
      branding: { company_name: 'Demo Fintech' },
    },
  });
});

test('My Belvo Portal: consent-management scopes and the person\'s CPF and name', async () => {
  const token = await client().createConsentToken(HOLDER);
  assert.deepEqual(Object.keys(token).sort(), ['access', 'refresh']);
  const call = belvo.simulator.calls.at(-1)!;
  assert.equal(call.status, 200);
  assert.deepEqual(call.body, {
    id: belvo.secretId,
    password: belvo.secretPassword,
    scopes: 'read_consents,write_consents,write_consent_callback',
    widget: {
      openfinance_feature: 'consent_management',
      consent: { identification_info: [{ type: 'CPF', number: '76109277673', name: 'Ralph Bragg' }] },
    },
  });
});

test('a CPF whose check digits are wrong is refused as Belvo would, with a 400 naming the field', async () => {
  await assert.rejects(client().createConsentToken({ cpf: '76109277674', name: 'Ralph Bragg' }), (err: unknown) => {
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 400);
    assert.match(err.errors[0]?.field ?? '', /^widget\.consent\.identification_info/);
    return true;
  });
});

test('refused keys end in a BelvoApiError that names no secret', async () => {
  const wrong = 'Wrong-Secret-Password-77';
  await assert.rejects(client({ secretPassword: wrong }).createWidgetToken(update), (err: unknown) => {
    assert.ok(err instanceof BelvoApiError);
    assert.equal(err.status, 401);
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err.errors)}`, new RegExp(wrong));
    return true;
  });
});

test('no answer within the timeout ends in a BelvoTransportError timeout', async () => {
  belvo.simulator.answerNext({ hang: true });
  await assert.rejects(client({ timeoutMs: 200 }).createWidgetToken(update), (err: unknown) => {
    assert.ok(err instanceof BelvoTransportError);
    assert.equal(err.reason, 'timeout');
    return true;
  });
});
