// What an event means for the cases of its link: a pure function, tested without a database.
import type { CaseDetails, CaseKind, CaseRecord } from '../cases/case-types.ts';
import type { ChannelName } from '../channels/channel.ts';
import { chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import { decidePayment, type PaymentDecision, type PaymentRecord } from '../payments/payment-decision.ts';
import type { LinkRecord, UserRecord } from '../users/user-repository.ts';
import type { ConsentWebhook, TokenRequiredWebhook, Webhook } from './webhook-schemas.ts';

export interface DecideContext {
  /** When the event was received: MFA session expiry counts from Belvo's send, not our processing. */
  receivedAt: number;
  now: number;
  cooldownMs: number;
  /** CHANNEL_ORDER and the channels set up. */
  channelPolicy: ChannelPolicy;
  user: UserRecord | undefined;
  link: LinkRecord | undefined;
  /** The link's institution as best known: the operator's registration, else Belvo's link details. */
  institution: string | null;
  /** The active case of the link for the kind this event concerns. */
  activeCase: CaseRecord | undefined;
  /** Every active case of the link. */
  linkCases: CaseRecord[];
  /** The event's id in the inbox, i.e. its order of receipt; payments webhooks need it. Absent: received last. */
  eventId?: number;
  /** For a payments webhook: the record of its object, if one was seen before. */
  payment?: PaymentRecord | undefined;
  /** Consent codes that message the user (operator configuration); absent: the default three. */
  consentCodesToNotify?: readonly string[];
}

export type Decision =
  | { type: 'record_only'; reason: string }
  | {
      type: 'open';
      kind: CaseKind;
      linkId: string;
      status: 'open' | 'unreachable';
      details: CaseDetails;
      institution: string | null;
      /** The channel of the first message, when the event calls for one now. */
      notify: ChannelName | undefined;
    }
  | {
      type: 'update';
      caseId: number;
      /** Set when an unreachable case now has someone to reach. */
      reopen: boolean;
      details: CaseDetails;
      institution: string | null;
      notify: ChannelName | undefined;
    }
  | { type: 'resolve'; caseIds: number[]; reason: 'fixed_elsewhere' }
  | PaymentDecision;

/** Consent codes that message the user by default; the rest are recorded for the operator only. */
export const CONSENT_CODES_THAT_NOTIFY: readonly string[] = [
  'openfinance_consent_about_to_expire',
  'openfinance_consent_expired',
  'openfinance_consent_with_unrecoverable_resources',
];

function mfaDetails(payload: TokenRequiredWebhook, receivedAt: number): CaseDetails {
  const { data } = payload;
  return {
    errorCode: data.error_code ?? 'token_required',
    ...(data.error_message ? { errorMessage: data.error_message } : {}),
    mfa: {
      session: data.session,
      expiresAt: data.expiry ? receivedAt + data.expiry * 1000 : null,
      tokenGenerationData: data.token_generation_data ?? null,
    },
  };
}

function consentDetails(payload: ConsentWebhook): CaseDetails {
  const { data } = payload;
  return {
    errorCode: payload.webhook_code,
    consent: {
      consentId: data.consent_id ?? null,
      webhookCode: payload.webhook_code,
      dueDate: data.consent_due_date ?? null,
      institutionDisplayName: data.institution_display_name ?? null,
      institutionLogo: data.institution_icon_logo ?? null,
      message: data.message ?? null,
    },
  };
}

interface CaseEvent {
  kind: CaseKind;
  linkId: string;
  details: CaseDetails;
  institution: string | null;
  wantsMessage: boolean;
}

function caseEventOf(webhook: Webhook, ctx: DecideContext): CaseEvent | undefined {
  const linkInstitution = ctx.institution;
  switch (webhook.kind) {
    case 'invalid_credentials': {
      const { data } = webhook.payload;
      return {
        kind: 'credentials',
        linkId: webhook.payload.link_id,
        details: {
          errorCode: data.error_code ?? 'invalid_credentials',
          ...(data.error_message ? { errorMessage: data.error_message } : {}),
        },
        institution: linkInstitution,
        wantsMessage: true,
      };
    }
    case 'token_required':
      return {
        kind: 'mfa',
        linkId: webhook.payload.link_id,
        details: mfaDetails(webhook.payload, ctx.receivedAt),
        institution: linkInstitution,
        wantsMessage: true,
      };
    case 'consent':
      return {
        kind: 'consent',
        linkId: webhook.payload.link_id,
        details: consentDetails(webhook.payload),
        institution: webhook.payload.data.institution ?? linkInstitution,
        wantsMessage: (ctx.consentCodesToNotify ?? CONSENT_CODES_THAT_NOTIFY).includes(webhook.payload.webhook_code),
      };
    default:
      return undefined;
  }
}

function withinCooldown(activeCase: CaseRecord, ctx: DecideContext): boolean {
  return activeCase.lastNotifiedAt !== null && ctx.now - activeCase.lastNotifiedAt < ctx.cooldownMs;
}

export function decide(webhook: Webhook, ctx: DecideContext): Decision {
  if (webhook.kind === 'accounts') {
    if (ctx.linkCases.length === 0) return { type: 'record_only', reason: 'no open case for the link' };
    // Belvo read the accounts again, so the link works: whatever was open was fixed elsewhere.
    return { type: 'resolve', caseIds: ctx.linkCases.map((c) => c.id), reason: 'fixed_elsewhere' };
  }
  if (webhook.kind === 'payments') {
    return decidePayment(webhook.payload, ctx.eventId ?? Number.MAX_SAFE_INTEGER, ctx.payment);
  }
  const event = caseEventOf(webhook, ctx);
  if (!event) return { type: 'record_only', reason: `nothing to do for ${webhook.payload.webhook_type} ${webhook.payload.webhook_code}` };

  // No known user, or one with neither e-mail nor phone: the case waits for the operator.
  const channel = ctx.user && chooseChannel(ctx.user, ctx.channelPolicy);
  const existing = ctx.activeCase;
  if (!existing) {
    return {
      type: 'open',
      kind: event.kind,
      linkId: event.linkId,
      status: channel ? 'open' : 'unreachable',
      details: event.details,
      institution: event.institution,
      notify: event.wantsMessage ? channel : undefined,
    };
  }
  const reopen = existing.status === 'unreachable' && channel !== undefined;
  return {
    type: 'update',
    caseId: existing.id,
    reopen,
    // A new MFA session replaces the old one; everything else the new event says wins too.
    details: { ...existing.details, ...event.details },
    institution: event.institution ?? existing.institution,
    notify: event.wantsMessage && (reopen || !withinCooldown(existing, ctx)) ? channel : undefined,
  };
}
