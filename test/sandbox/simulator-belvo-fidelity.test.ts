// The simulator answers as Belvo documents it (REAL-API.md), so our own tests cannot hide a
// difference: POST /api/token/ refuses a body that does not fit its use (a consent token without a
// CPF, say), the magic passwords give Belvo's other error codes, and the hosted-widget stand-in
// sends the browser back with Belvo's flat callback parameters.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';

let sandbox: RunningBelvoSimulator;
let auth: string;
before(async () => {
  sandbox = await startBelvoSimulator();
  auth = `Basic ${Buffer.from(`${sandbox.secretId}:${sandbox.secretPassword}`).toString('base64')}`;
});
after(() => sandbox.close());

const post = (path: string, body: unknown) =>
  fetch(sandbox.url + path, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

const CALLBACKS = {
  success: 'https://relink.example.com/r/t/widget/n/success',
  exit: 'https://relink.example.com/r/t/widget/n/exit',
  event: 'https://relink.example.com/r/t/widget/n/event',
};
const PERSON = [{ type: 'CPF', number: '76109277673', name: 'Ralph Bragg' }];

function keys() {
  return { id: sandbox.secretId, password: sandbox.secretPassword };
}

function consentToken(consent: Record<string, unknown> = { identification_info: PERSON }) {
  return { ...keys(), scopes: 'read_consents,write_consents,write_consent_callback', widget: { openfinance_feature: 'consent_management', consent } };
}

function openFinanceToken(overrides: Record<string, unknown> = {}) {
  return {
    ...keys(),
    scopes: 'read_institutions,write_links,read_consents,write_consents,write_consent_callback,delete_consents',
    fetch_resources: ['ACCOUNTS'],
    widget: {
      purpose: 'Manter seus dados atualizados.',
      openfinance_feature: 'consent_link_creation',
      callback_urls: CALLBACKS,
      consent: { terms_and_conditions_url: 'https://fintech.example/terms', permissions: ['REGISTER'], identification_info: PERSON },
      branding: {},
      ...overrides,
    },
  };
}

async function firstError(res: Response): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Array<Record<string, unknown>>;
  return body[0]!;
}

describe('POST /api/token/ checks the body as Belvo would', () => {
  test('a consent-management token with the person\'s CPF and name is minted', async () => {
    const res = await post('/api/token/', consentToken());
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys((await res.json()) as object).sort(), ['access', 'refresh']);
  });

  const refusals: Array<[string, () => unknown, string]> = [
    ['a consent token without identification_info', () => consentToken({}), 'widget.consent.identification_info'],
    [
      'a consent token with a CNPJ and no CPF',
      () => consentToken({ identification_info: [{ type: 'CNPJ', number: '11222333000181', name: 'ACME' }] }),
      'widget.consent.identification_info',
    ],
    [
      'a consent token whose CPF fails its check digits',
      () => consentToken({ identification_info: [{ type: 'CPF', number: '76109277674', name: 'Ralph' }] }),
      'widget.consent.identification_info',
    ],
    [
      "a consent token without the person's name",
      () => consentToken({ identification_info: [{ type: 'CPF', number: '76109277673' }] }),
      'widget.consent.identification_info.0.name',
    ],
    ['a consent token with the update-mode scopes', () => ({ ...consentToken(), scopes: 'read_institutions,write_links,read_links' }), 'scopes'],
    ['an Open Finance token without fetch_resources', () => ({ ...openFinanceToken(), fetch_resources: undefined }), 'fetch_resources'],
    ['an Open Finance token without a purpose', () => openFinanceToken({ purpose: undefined }), 'widget.purpose'],
    ['an Open Finance token without branding', () => openFinanceToken({ branding: undefined }), 'widget.branding'],
    [
      'an update-mode token without a link id',
      () => ({ ...keys(), scopes: 'read_institutions,write_links,read_links', widget: { callback_urls: CALLBACKS } }),
      'link_id',
    ],
  ];
  for (const [name, body, field] of refusals) {
    test(`${name} is refused with 400 naming ${field}`, async () => {
      const res = await post('/api/token/', body());
      assert.equal(res.status, 400);
      assert.equal((await firstError(res))['field'], field);
    });
  }
});

describe('magic passwords for Belvo\'s other error codes', () => {
  const codes: Array<[string, number, string]> = [
    ['inactive', 400, 'institution_inactive'],
    ['invalid-link', 400, 'invalid_link'],
    ['unconfirmed-link', 400, 'unconfirmed_link'],
    ['forbidden', 403, 'access_to_resource_denied'],
    ['timeout', 408, 'request_timeout'],
  ];
  for (const [password, status, code] of codes) {
    test(`"${password}" answers ${status} ${code}`, async () => {
      const res = await fetch(`${sandbox.url}/api/links/${randomUUID()}/`, {
        method: 'PUT',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ password }),
      });
      assert.equal(res.status, status);
      assert.equal((await firstError(res))['code'], code);
    });
  }
});

describe('the hosted-widget stand-in redirects as Belvo\'s hosted widget does', () => {
  async function openWidget(): Promise<{ access: string; widgetUrl: string }> {
    const body = { ...keys(), scopes: 'read_institutions,write_links,read_links', link_id: randomUUID(), widget: { callback_urls: CALLBACKS } };
    const { access } = (await (await post('/api/token/', body)).json()) as { access: string };
    return { access, widgetUrl: `${sandbox.url}/widget/` };
  }

  const submit = (widgetUrl: string, fields: Record<string, string>) =>
    fetch(widgetUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ locale: 'es', ...fields }),
    });

  test('exit: flat last_encountered_error_code and _message, meta_data_institution_name and meta_data_step', async () => {
    const { access, widgetUrl } = await openWidget();
    await submit(widgetUrl, { access_token: access, password: 'wrong-once' });
    const res = await submit(widgetUrl, { access_token: access, action: 'exit' });
    assert.equal(res.status, 303);
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, CALLBACKS.exit);
    assert.deepEqual(Object.fromEntries(back.searchParams), {
      last_encountered_error_code: 'login_error',
      last_encountered_error_message: 'Invalid credentials provided to login to the institution',
      meta_data_institution_name: 'erebor_mx_retail',
      meta_data_step: 'abandonSurvey',
    });
  });

  test('error: flat error and error_message on the event callback', async () => {
    const { access, widgetUrl } = await openWidget();
    const res = await submit(widgetUrl, { access_token: access, password: 'down' });
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, CALLBACKS.event);
    assert.deepEqual(Object.fromEntries(back.searchParams), {
      error: 'institution_down',
      error_message: 'The financial institution is down, try again later',
    });
  });

  test('success: link and institution', async () => {
    const { access, widgetUrl } = await openWidget();
    const res = await submit(widgetUrl, { access_token: access, password: 'fine' });
    const back = new URL(res.headers.get('location')!);
    assert.equal(back.origin + back.pathname, CALLBACKS.success);
    assert.deepEqual([...back.searchParams.keys()].sort(), ['institution', 'link']);
  });

  test('a My Belvo Portal token opens no widget', async () => {
    const { access } = (await (await post('/api/token/', consentToken())).json()) as { access: string };
    const res = await fetch(`${sandbox.url}/widget/?access_token=${access}`);
    assert.equal(res.status, 401);
  });
});
