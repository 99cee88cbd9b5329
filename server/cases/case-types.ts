// The vocabulary of a case: one broken link of one kind, from the webhook that opened it until it closes.
import type { TokenGenerationData } from '../belvo/belvo-types.ts';

export const CASE_KINDS = ['credentials', 'mfa', 'consent'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ['open', 'notified', 'opened', 'resolved', 'failed', 'expired', 'unreachable', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/**
 * Statuses in which a case still holds its link-and-kind slot and may change. Every other status
 * is an end: `resolved`, `failed`, `expired`, and `closed` (by the operator or by erasure).
 */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['open', 'notified', 'opened', 'unreachable'];
/** Statuses in which an end user may still act on the case. */
export const ACTIONABLE_STATUSES: readonly CaseStatus[] = ['open', 'notified', 'opened'];

export function isClosed(status: CaseStatus): boolean {
  return !ACTIVE_STATUSES.includes(status);
}

export interface MfaChallenge {
  session: string;
  /** Epoch ms after which Belvo's session is gone; null when Belvo gave no expiry. */
  expiresAt: number | null;
  tokenGenerationData: TokenGenerationData | null;
  /** `portal`: Belvo asked for it after a password typed in our form (so our token form comes first). */
  source?: 'portal';
}

export interface ConsentInfo {
  consentId: string | null;
  webhookCode: string;
  dueDate: string | null;
  institutionDisplayName: string | null;
  institutionLogo: string | null;
  message: string | null;
}

export interface CaseDetails {
  /** Belvo's error code and message from the webhook that opened or last updated the case. */
  errorCode?: string;
  errorMessage?: string;
  mfa?: MfaChallenge;
  consent?: ConsentInfo;
  /** Belvo said the institution needs a second password. */
  needsPassword2?: boolean;
  /** The link the user made in the Connect widget to replace this case's link, for the operator to re-map. */
  newLinkId?: string;
}

export interface CaseRecord {
  id: number;
  linkId: string;
  kind: CaseKind;
  status: CaseStatus;
  userId: number | null;
  externalId: string | null;
  institution: string | null;
  details: CaseDetails;
  failedAttempts: number;
  submitLockUntil: number | null;
  lastNotifiedAt: number | null;
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
}

export const TIMELINE_TYPES = [
  'event_received',
  'case_updated',
  'user_unreachable',
  'message_queued',
  /** A first message the storm guard keeps back while its institution storms (server/storm/). */
  'message_held',
  'message_sent',
  'message_retry',
  'message_failed',
  'message_skipped',
  'page_opened',
  'new_link_requested',
  'submitted',
  'belvo_answer',
  'resolved',
  'failed',
  'expired',
  /** A message goes by the user's other channel because the usual one failed for good. */
  'channel_switched',
  /** A delivery status the provider reported later (Twilio's status callback). */
  'message_status',
  /** The user went to Belvo's Connect widget, came back from it, or Belvo reported an error there. */
  'widget_started',
  'widget_exit',
  'widget_error',
  /** The widget's success callback, and what Belvo said when asked about the link. */
  'widget_success',
  /** A success callback that could not be trusted (no matching session) or that Belvo did not confirm. */
  'widget_unconfirmed',
  /** An operator's action, with who took it in `detail.by` (see server/case-actions/case-actor.ts). */
  'resend_requested',
  'closed',
  'contact_revealed',
  /** The operator released the storm guard's hold on the case's institution: its held message goes now. */
  'storm_released',
  /** The person went to My Belvo Portal to renew this consent. */
  'renewal_started',
  /** A consent whose accounts are gone cannot be connected again from the page (no CPF, say): the operator's app must do it. */
  'reconnect_in_app',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export interface TimelineEntry {
  id: number;
  at: number;
  type: TimelineType;
  detail: Record<string, unknown> | null;
}
