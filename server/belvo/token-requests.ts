// The bodies of Belvo's POST /api/token/, one per use, exactly as Belvo documents them
// (REAL-API.md): update mode for a link's credentials, a new Brazilian Open Finance connection, and
// My Belvo Portal's consent management. The secret keys are added by the client.
import type { AccountHolder, WidgetCallbackUrls, WidgetTokenRequest } from './belvo-types.ts';

/** Update mode: list banks, and read and write links. */
export const UPDATE_SCOPES = 'read_institutions,write_links,read_links';
/** A Brazilian Open Finance connection: exactly these, or Belvo refuses the token. */
export const OPEN_FINANCE_SCOPES = 'read_institutions,write_links,read_consents,write_consents,write_consent_callback,delete_consents';
/** My Belvo Portal, managing (renewing) the person's consents. */
export const CONSENT_MANAGEMENT_SCOPES = 'read_consents,write_consents,write_consent_callback';
/** What the new consent asks the bank for: Belvo's documented set for account data. */
export const OPEN_FINANCE_PERMISSIONS = ['REGISTER', 'ACCOUNTS', 'CREDIT_CARDS', 'CREDIT_OPERATIONS'] as const;
/** What Belvo fetches as soon as the new link exists. */
export const OPEN_FINANCE_RESOURCES = ['ACCOUNTS', 'TRANSACTIONS', 'OWNERS'] as const;

/** Who the consent is for: Belvo's `identification_info`. */
function identificationInfo(holder: AccountHolder) {
  return [{ type: 'CPF', number: holder.cpf, name: holder.name }];
}

const callbacks = (urls: WidgetCallbackUrls) => ({ success: urls.success, exit: urls.exit, event: urls.event });

export function widgetTokenBody(request: WidgetTokenRequest): Record<string, unknown> {
  if (request.kind === 'update') {
    return { scopes: UPDATE_SCOPES, link_id: request.linkId, widget: { callback_urls: callbacks(request.callbackUrls) } };
  }
  return {
    scopes: OPEN_FINANCE_SCOPES,
    fetch_resources: [...OPEN_FINANCE_RESOURCES],
    widget: {
      purpose: request.purpose,
      openfinance_feature: 'consent_link_creation',
      callback_urls: callbacks(request.callbackUrls),
      consent: {
        terms_and_conditions_url: request.termsUrl,
        permissions: [...OPEN_FINANCE_PERMISSIONS],
        identification_info: identificationInfo(request.holder),
      },
      branding: { company_name: request.companyName },
    },
  };
}

export function consentManagementTokenBody(holder: AccountHolder): Record<string, unknown> {
  return {
    scopes: CONSENT_MANAGEMENT_SCOPES,
    widget: { openfinance_feature: 'consent_management', consent: { identification_info: identificationInfo(holder) } },
  };
}
