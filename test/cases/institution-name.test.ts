// One name for the bank everywhere: Belvo's webhook first, then the operator's registration, then
// a name read from Belvo's institution code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { institutionName } from '../../server/cases/institution-name.ts';
import { aCase, aLink } from '../support/records.ts';

const consent = (institutionDisplayName: string | null) => ({
  consent: { consentId: 'c', webhookCode: 'openfinance_consent_expired', dueDate: null, institutionDisplayName, institutionLogo: null, message: null },
});

describe('institutionName', () => {
  test('the webhook\'s institution_display_name comes first, even over the operator\'s registration', () => {
    const theCase = aCase({ kind: 'consent', institution: 'ofmockbank_br_retail', details: consent('OF Mockbank') });
    assert.equal(institutionName(theCase, aLink({ institutionDisplayName: 'Mockbank (registered)' })), 'OF Mockbank');
  });

  test('then the name the operator registered for the link', () => {
    assert.equal(institutionName(aCase({ details: consent(null) }), aLink({ institutionDisplayName: 'Erebor México' })), 'Erebor México');
  });

  test('then a name read from the institution code, and null when there is nothing to go on', () => {
    assert.equal(institutionName(aCase({ institution: 'banco_estrella_mx_retail' }), undefined), 'Banco Estrella');
    assert.equal(institutionName(aCase({ institution: null }), aLink({ institutionDisplayName: null })), null);
  });
});
