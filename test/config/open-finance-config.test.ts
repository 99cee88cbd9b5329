// The Brazilian Open Finance settings: My Belvo Portal's public page by default, the operator's
// terms for a new connection (https, without credentials), and the purpose Belvo's widget shows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createBrand } from '../../server/brand/brand.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { reconnectPlan } from '../../server/portal/portal-widget.ts';
import { aCase, aUser } from '../support/records.ts';
import { PRODUCTION_ENV } from '../support/production-env.ts';

const dataDir = () => mkdtempSync(join(tmpdir(), 'relink-of-config-'));

describe('Open Finance configuration', () => {
  test('My Belvo Portal defaults to its public page', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir() }).myBelvoPortalUrl, 'https://meuportal.belvo.com/?mode=landing');
  });

  test('terms: the operator\'s own when set; the demo has Belvo\'s example; production has none unless set', () => {
    assert.equal(loadConfig({ DATA_DIR: dataDir(), OPEN_FINANCE_TERMS_URL: 'https://fintech.example/terms' }).openFinance.termsUrl, 'https://fintech.example/terms');
    assert.match(loadConfig({ DATA_DIR: dataDir() }).openFinance.termsUrl ?? '', /^https:\/\/www\.belvo\.com\//);
    assert.equal(loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir() }).openFinance.termsUrl, undefined);
  });

  for (const value of ['http://fintech.example/terms', 'https://user:pass@fintech.example/terms', 'terms']) {
    test(`refuses OPEN_FINANCE_TERMS_URL=${value}, naming it`, () => {
      assert.throws(
        () => loadConfig({ DATA_DIR: dataDir(), OPEN_FINANCE_TERMS_URL: value }),
        (err: unknown) => err instanceof ConfigError && /OPEN_FINANCE_TERMS_URL/.test(err.message),
      );
    });
  }

  test('the purpose has a Portuguese default and a bound', () => {
    assert.equal(
      loadConfig({ DATA_DIR: dataDir(), BRAND_NAME: 'Fintech Uno' }).openFinance.purpose,
      'Manter atualizados em Fintech Uno os dados das contas que você escolher compartilhar.',
    );
    assert.throws(() => loadConfig({ DATA_DIR: dataDir(), OPEN_FINANCE_PURPOSE: 'x'.repeat(501) }), /OPEN_FINANCE_PURPOSE/);
  });
});

describe('connecting again from the page', () => {
  const unrecoverable = aCase({
    kind: 'consent',
    details: {
      consent: { consentId: 'c', webhookCode: 'openfinance_consent_with_unrecoverable_resources', dueDate: null, institutionDisplayName: null, institutionLogo: null, message: null },
    },
  });
  const found = (user = aUser({ name: 'Ana Souza', document: { type: 'CPF', number: '52998224725' } })) => ({
    brand: createBrand({ name: 'Fintech Uno', support: {} }),
    token: 'tok',
    linkExpired: false,
    caseRecord: unrecoverable,
    user,
    locale: 'pt-BR' as const,
    institution: null,
  });

  test('needs the operator\'s terms in production: without them, the app instead', () => {
    const production = loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir() });
    assert.deepEqual(reconnectPlan(found(), production), { ok: false, reason: 'no_terms_url' });
    const withTerms = loadConfig({ ...PRODUCTION_ENV, DATA_DIR: dataDir(), OPEN_FINANCE_TERMS_URL: 'https://fintech.example/terms' });
    assert.equal(reconnectPlan(found(), withTerms).ok, true);
  });

  test('and the widget: an operator who turned it off sends people to the app', () => {
    const formOnly = loadConfig({ DATA_DIR: dataDir(), REMEDIATION_PATHS: 'form' });
    assert.deepEqual(reconnectPlan(found(), formOnly), { ok: false, reason: 'widget_turned_off' });
  });
});
