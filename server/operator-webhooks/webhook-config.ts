// OPERATOR_WEBHOOK_URL, OPERATOR_WEBHOOK_SECRET and OPERATOR_WEBHOOK_ALLOW_LOCAL, checked as a whole
// once each has parsed (config.ts checks that the URL is http(s)). A problem stops the start and
// names its variable.
import { Webhook } from 'standardwebhooks';
import { ConfigError } from '../config-error.ts';
import { isLocalAddress } from './local-address.ts';

export interface OperatorWebhookConfig {
  url: string;
  /** Every secret signs each request, so the operator can rotate without losing a delivery. */
  secrets: string[];
  /** Whether the endpoint may resolve to a loopback or link-local address. */
  allowLocal: boolean;
}

/** The Standard Webhooks specification asks for secrets of 24 to 64 bytes. */
const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

function checkSecret(secret: string): void {
  let valid = SECRET.test(secret);
  try {
    new Webhook(secret);
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new ConfigError('OPERATOR_WEBHOOK_SECRET: each secret must be whsec_ followed by 24 to 64 bytes in base64, separated by spaces');
  }
}

export function operatorWebhookConfig(input: {
  url: string | undefined;
  secret: string | undefined;
  allowLocal: boolean;
  production: boolean;
}): OperatorWebhookConfig | undefined {
  if (input.url === undefined) return undefined;
  if (input.secret === undefined) throw new ConfigError('OPERATOR_WEBHOOK_SECRET is required with OPERATOR_WEBHOOK_URL');
  const secrets = input.secret.split(/\s+/);
  secrets.forEach(checkSecret);
  // The production default is local addresses refused; outside production, a local receiver is the usual test set-up.
  const allowLocal = input.allowLocal || !input.production;
  if (!allowLocal && isLocalAddress(new URL(input.url).hostname)) {
    throw new ConfigError(
      'OPERATOR_WEBHOOK_URL: a loopback or link-local address is refused in production; set OPERATOR_WEBHOOK_ALLOW_LOCAL=true if it is really meant',
    );
  }
  return { url: input.url, secrets, allowLocal };
}
