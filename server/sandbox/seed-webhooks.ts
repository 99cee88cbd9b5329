// Every webhook payload shown in Belvo's documentation (seed-payloads-*.ts), for the /dev console to
// fire and for tests to build events from.
import { randomBytes, randomUUID } from 'node:crypto';
import type { MfaSession } from './belvo-simulator.ts';
import { DATA_SEEDS } from './seed-payloads-data.ts';
import { LINK_SEEDS } from './seed-payloads-link.ts';
import { PAYMENTS_SEEDS } from './seed-payloads-payments.ts';
import type { SeedWebhookPayload } from './seed-webhook-types.ts';

export type { SeedWebhookPayload } from './seed-webhook-types.ts';

const SEEDS = { ...LINK_SEEDS, ...DATA_SEEDS, ...PAYMENTS_SEEDS };

export type SeedWebhookName = keyof typeof SEEDS;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export const SEED_WEBHOOKS: Readonly<Record<SeedWebhookName, SeedWebhookPayload>> = deepFreeze(SEEDS);

export const SEED_WEBHOOK_NAMES = Object.keys(SEEDS) as SeedWebhookName[];

export function isSeedWebhookName(name: string): name is SeedWebhookName {
  return Object.hasOwn(SEEDS, name);
}

/** e.g. "LINK · invalid_credentials" */
export function seedWebhookLabel(name: SeedWebhookName): string {
  return `${SEEDS[name].webhook_type} · ${SEEDS[name].webhook_code}`;
}

export type SeedFamily = 'link' | 'consent' | 'data' | 'payments';

/** Which family the payload belongs to, told as the intake tells it: by link_id versus object_id. */
export function seedWebhookFamily(name: SeedWebhookName): SeedFamily {
  const seed: SeedWebhookPayload = SEEDS[name];
  if (seed.link_id === undefined) return 'payments';
  if (seed.webhook_type === 'LINK') return 'link';
  return seed.webhook_type === 'CONSENT' ? 'consent' : 'data';
}

export interface FreshSeedOptions {
  /** Only for payloads about a link (payments webhooks carry an object_id instead). */
  linkId?: string;
  /** Only for payloads that carry an external_id (null in the consent ones). */
  externalId?: string;
  /**
   * Only for token_required: a session the sandbox simulator knows, so the MFA step can finish. The
   * variants that show Belvo's challenge without a hint (token_generation_data or its value null) keep
   * theirs; the user then types the sandbox token all the same.
   */
  mfaSession?: MfaSession;
}

function hasHint(data: Record<string, unknown>): boolean {
  const challenge = data['token_generation_data'] as Record<string, unknown> | null | undefined;
  return typeof challenge?.['value'] === 'string';
}

/** A copy with a new webhook_id (in the seed's own format), safe to change and to send. */
export function freshSeedWebhook(name: SeedWebhookName, options: FreshSeedOptions = {}): SeedWebhookPayload {
  const payload = structuredClone(SEEDS[name]) as SeedWebhookPayload;
  payload.webhook_id = payload.webhook_id.includes('-') ? randomUUID() : randomBytes(16).toString('hex');
  if (options.linkId !== undefined && 'link_id' in payload) payload.link_id = options.linkId;
  if (options.externalId !== undefined && 'external_id' in payload) payload.external_id = options.externalId;
  if (options.mfaSession && payload.data && 'session' in payload.data) {
    const { token_generation_data: challenge, ...session } = options.mfaSession;
    Object.assign(payload.data, session, hasHint(payload.data) ? { token_generation_data: challenge } : {});
  }
  return payload;
}
