// What an event means for the cases of its link: a pure function, tested without a database.
import { isBelvoId } from '../belvo/belvo-id.ts';
import type { CaseDetails, CaseKind, CaseRecord } from '../cases/case-types.ts';
import type { ChannelName } from '../channels/channel.ts';
import { chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import { provesLinkWorks } from '../link-data/link-data-activity.ts';
import { decidePayment, type PaymentDecision, type PaymentRecord } from '../payments/payment-decision.ts';
import type { LinkRecord, UserRecord } from '../users/user-repository.ts';
import {
  DEFAULT_CONSENT_CODES_TO_NOTIFY,
  type ConsentExpirationChangedWebhook,
  type ConsentWebhook,
  type TokenRequiredWebhook,
  type Webhook,
} from '../belvo/belvo-webhooks.ts';

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
      /**
       * The link id is not a Belvo id: the case is recorded for the operator, failed from the start,
       * because its page would have to send that id to Belvo. Nobody is messaged.
       */
      type: 'refuse';
      kind: CaseKind;
      linkId: string;
      details: CaseDetails;
      institution: string | null;
      reason: 'invalid_link_id';
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
  | {
      /** Belvo moved the consent's due date: the case keeps everything else, and its reminders are planned again. */
      type: 'move_due_date';
      caseId: number;
      details: CaseDetails;
      /** The new date, or null when the event did not say (it is still recorded on the case). */
      dueDate: string | null;
      previousDueDate: string | null;
    }
  | { type: 'resolve'; caseIds: number[]; reason: 'fixed_elsewhere' }
  | PaymentDecision;

/**
 * Whether data read from the bank just now shows the case's problem is gone: a login that works
 * fixes a credentials or MFA case, and data flowing again means an expired or unavailable consent
 * works again. A consent about to expire still works until its date: a refresh fixes nothing there.
 */
function fixedByAWorkingLink(theCase: CaseRecord): boolean {
  if (theCase.kind !== 'consent') return true;
  return theCase.details.consent?.webhookCode !== 'openfinance_consent_about_to_expire';
}

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
        wantsMessage: (ctx.consentCodesToNotify ?? DEFAULT_CONSENT_CODES_TO_NOTIFY).includes(webhook.payload.webhook_code),
      };
    default:
      return undefined;
  }
}

function withinCooldown(activeCase: CaseRecord, ctx: DecideContext): boolean {
  return activeCase.lastNotifiedAt !== null && ctx.now - activeCase.lastNotifiedAt < ctx.cooldownMs;
}

/** Belvo read the bank with the link just now: the link's open cases that this fixes were fixed elsewhere. */
function decideLinkData(code: string, ctx: DecideContext): Decision {
  if (!provesLinkWorks(code)) return { type: 'record_only', reason: `${code} does not show the link works` };
  const fixed = ctx.linkCases.filter(fixedByAWorkingLink);
  if (fixed.length === 0) return { type: 'record_only', reason: 'no open case that a working link fixes' };
  return { type: 'resolve', caseIds: fixed.map((c) => c.id), reason: 'fixed_elsewhere' };
}

function decideDueDate(payload: ConsentExpirationChangedWebhook, ctx: DecideContext): Decision {
  const open = ctx.activeCase;
  const consent = open?.details.consent;
  if (!open || !consent) return { type: 'record_only', reason: 'no open consent case for the link' };
  const consentId = payload.data.consent_id;
  if (consentId && consent.consentId && consentId !== consent.consentId) {
    return { type: 'record_only', reason: 'the event is about another consent than the open case' };
  }
  const dueDate = payload.data.consent_due_date ?? null;
  return {
    type: 'move_due_date',
    caseId: open.id,
    // Only the date moves: the case keeps the code that opened it (about to expire, expired, …).
    details: dueDate === null ? open.details : { ...open.details, consent: { ...consent, dueDate } },
    dueDate,
    previousDueDate: consent.dueDate,
  };
}

export function decide(webhook: Webhook, ctx: DecideContext): Decision {
  switch (webhook.kind) {
    case 'link_data':
      return decideLinkData(webhook.payload.webhook_code, ctx);
    case 'payments':
      return decidePayment(webhook.payload, ctx.eventId ?? Number.MAX_SAFE_INTEGER, ctx.payment);
    case 'consent_expiration_changed':
      return decideDueDate(webhook.payload, ctx);
    default:
      return decideCase(webhook, ctx);
  }
}

function decideCase(webhook: Webhook, ctx: DecideContext): Decision {
  const event = caseEventOf(webhook, ctx);
  if (!event) return { type: 'record_only', reason: `nothing to do for ${webhook.payload.webhook_type} ${webhook.payload.webhook_code}` };
  if (!isBelvoId(event.linkId)) {
    const { kind, linkId, details, institution } = event;
    return { type: 'refuse', kind, linkId, details, institution, reason: 'invalid_link_id' };
  }

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
