// What the portal needs from Belvo, and the typed errors a call can end in. The implementation is
// belvo-client.ts; the portal and the worker depend only on this interface.

export type LinkStatus = 'valid' | 'invalid' | 'unconfirmed' | 'token_required';

export interface BelvoLink {
  id: string;
  institution: string;
  status: LinkStatus;
  external_id?: string | null;
  [key: string]: unknown;
}

export interface TokenGenerationData {
  instructions?: string;
  /** "numeric", "qr", … as Belvo sends it. */
  type?: string;
  value?: string;
  expects_user_input?: boolean;
}

/** The new credentials, forwarded as they are and never kept. */
export interface LinkCredentials {
  password: string;
  password2?: string;
  token?: string;
}

export interface BelvoClient {
  /** PUT /api/links/{id}/ with only what changes. */
  updateLinkCredentials(linkId: string, credentials: LinkCredentials): Promise<BelvoLink>;
  /** PATCH /api/links/ to resume a session paused for an MFA token. `token` is omitted when the user approved on another device. */
  completeLinkRequest(input: { linkId: string; session: string; token?: string }): Promise<BelvoLink>;
  /** GET /api/links/{id}/ */
  getLink(linkId: string): Promise<BelvoLink>;
  /** GET /api/accounts/?link={id}, every page. */
  listAccounts(linkId: string): Promise<BelvoAccount[]>;
  /** Registers a payments webhook (POST /payments/webhooks/); Belvo answers with the token masked. */
  registerPaymentsWebhook(input: PaymentsWebhookRegistration): Promise<RegisteredPaymentsWebhook>;
  /** POST /api/token/: a 10-minute access token for the hosted Connect widget. Never log or store it. */
  createWidgetToken(input: WidgetTokenRequest): Promise<WidgetToken>;
  /** POST /api/token/ for My Belvo Portal, to renew one of this person's consents. Never log or store it. */
  createConsentToken(holder: AccountHolder): Promise<WidgetToken>;
}

/** Where the hosted widget sends the browser back when it ends. */
export interface WidgetCallbackUrls {
  success: string;
  exit: string;
  event: string;
}

/** The person a Brazilian Open Finance token is for: Belvo needs their CPF (digits) and full name. */
export interface AccountHolder {
  cpf: string;
  name: string;
}

export type WidgetTokenRequest =
  /** Update mode: the link whose credentials the user renews. */
  | { kind: 'update'; linkId: string; callbackUrls: WidgetCallbackUrls }
  /** Brazilian Open Finance: a new connection, for the person named, under the operator's terms. */
  | {
      kind: 'openFinance';
      callbackUrls: WidgetCallbackUrls;
      holder: AccountHolder;
      termsUrl: string;
      purpose: string;
      /** The operator's app (BRAND_NAME), as Belvo's widget names it: `widget.branding.company_name`. */
      companyName: string;
    };

/** Both values are secrets that live 10 minutes at Belvo. */
export interface WidgetToken {
  access: string;
  refresh: string;
}

export interface BelvoAccount {
  id: string;
  link?: string | null;
  [key: string]: unknown;
}

export interface PaymentsWebhookRegistration {
  name: string;
  url: string;
  /** `Bearer …` or `Basic …`, sent by Belvo as the Authorization header. */
  authToken: string;
}

export interface RegisteredPaymentsWebhook {
  id: string;
  name: string;
  url: string;
  auth_header: string;
  /** Masked by Belvo, e.g. "*******". */
  auth_token: string;
  created_at?: string;
  created_by?: string;
  [key: string]: unknown;
}

export interface BelvoErrorItem {
  code: string;
  message: string;
  request_id?: string;
  field?: string;
}

/** Belvo answered with an HTTP error and its JSON array of error objects. */
export class BelvoApiError extends Error {
  readonly status: number;
  /** The first error's code: login_error, token_required, session_expired, too_many_sessions, … */
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: BelvoErrorItem[];
  /** Only on 428 token_required. */
  readonly mfa: { session: string; expiry: number | undefined; tokenGenerationData: TokenGenerationData | undefined } | undefined;

  constructor(init: {
    status: number;
    errors: BelvoErrorItem[];
    mfa?: BelvoApiError['mfa'];
  }) {
    const first = init.errors[0];
    super(`Belvo answered ${init.status} ${first?.code ?? 'unknown'}${first?.request_id ? ` (request ${first.request_id})` : ''}`);
    this.name = 'BelvoApiError';
    this.status = init.status;
    this.code = first?.code ?? 'unknown';
    this.requestId = first?.request_id;
    this.errors = init.errors;
    this.mfa = init.mfa;
  }
}

/** The call never got an answer: timeout, refused connection, DNS, TLS, or an unreadable body. */
export class BelvoTransportError extends Error {
  readonly reason: 'timeout' | 'network' | 'bad_response';

  constructor(reason: BelvoTransportError['reason'], message: string) {
    super(message);
    this.name = 'BelvoTransportError';
    this.reason = reason;
  }
}

/**
 * Refused before any request: the id is not the shape of a Belvo id (a UUID), so it came from a
 * webhook or a record that Belvo did not write, and Belvo is never asked about it.
 */
export class InvalidBelvoIdError extends Error {
  constructor(what: string, id: string) {
    // The id is shown as JSON, cut short: it may hold anything a sender put there.
    super(`not calling Belvo: the ${what} ${JSON.stringify(id.slice(0, 80))} is not a Belvo id`);
    this.name = 'InvalidBelvoIdError';
  }
}
