// What a payments webhook changes in the payment record of its object: a pure function.
//
// Every object keeps the latest status its STATUS_UPDATE webhooks announced: payment intents
// (REQUIRES_ACTION, PROCESSING, SUCCEEDED, FAILED; lower case in Colombia's PSE), charges (SCHEDULED,
// then SUCCEEDED, FAILED or CANCELED) and whatever else carries `data.status`. Which of two events
// is the older one? Belvo's payment webhooks carry no timestamp (their `data` holds the status and
// failure details only), and the time we received an event is no guide: Belvo retries a delivery
// that failed, so an older status can reach us after a newer one. So, in this order:
//   1. A lifecycle only moves forward (waiting on the user or a date, then processing, then a final
//      status): a status earlier in it is older, whenever it arrives. A final status is never undone.
//   2. Same stage: if both events carry a timestamp in `data` (`updated_at`, else `created_at`, should
//      Belvo add one), the later one wins.
//   3. Otherwise the order of receipt (the event's id in our inbox), not the order of processing,
//      which a retry of a failed event can change.
import type { PaymentsWebhook } from '../belvo/belvo-webhooks.ts';

export interface PaymentRecord {
  objectType: string;
  objectId: string;
  lastCode: string;
  lastWebhookId: string;
  events: number;
  status: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  statusEventId: number | null;
  statusAt: number | null;
  firstSeenAt: number;
  updatedAt: number;
}

export interface PaymentStatus {
  status: string;
  failureCode: string | null;
  failureMessage: string | null;
  /** Receipt order: the event's id in the inbox. */
  eventId: number;
  /** A timestamp Belvo put in `data`, when it did. */
  at: number | null;
}

export interface PaymentDecision {
  type: 'record_payment';
  objectType: string;
  objectId: string;
  code: string;
  webhookId: string;
  /** The object's status to keep; undefined when the event has none or is older than the one kept. */
  status: PaymentStatus | undefined;
  /** Set when the event carried a status that was not kept, and why. */
  ignored?: string;
}

/** Where a status stands in its object's life; unknown statuses count as in progress. */
const LIFECYCLE_RANK: Record<string, number> = {
  REQUIRES_ACTION: 1,
  SCHEDULED: 1,
  PROCESSING: 2,
  SUCCEEDED: 3,
  FAILED: 3,
  CANCELED: 3,
  CANCELLED: 3,
};
const IN_PROGRESS_RANK = 2;

function rank(status: string): number {
  return LIFECYCLE_RANK[status.toUpperCase()] ?? IN_PROGRESS_RANK;
}

/** The columns' sizes (status 64, failure_code 100); PostgreSQL refuses NUL in text. */
const TEXT_LIMITS = { status: 64, code: 100, message: 2000 } as const;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

/** A short word such as a status or a code; anything longer or with control characters is not one. */
function word(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max && NO_CONTROL.test(value) ? value : null;
}

/** A message for a person: kept, cut to size, without NUL. */
function message(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  return value.replaceAll('\u0000', '').slice(0, TEXT_LIMITS.message);
}

function timestamp(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function statusOf(payload: PaymentsWebhook, eventId: number): PaymentStatus | undefined {
  const data = payload.data as Record<string, unknown>;
  const status = word(data['status'], TEXT_LIMITS.status);
  if (!status) return undefined;
  return {
    status,
    failureCode: word(data['failure_code'], TEXT_LIMITS.code),
    failureMessage: message(data['failure_message']),
    eventId,
    at: timestamp(data['updated_at']) ?? timestamp(data['created_at']),
  };
}

/** Why `incoming` is older than the status kept, or undefined when it is newer. */
export function olderThanKept(incoming: PaymentStatus, kept: PaymentStatus): string | undefined {
  const incomingRank = rank(incoming.status);
  const keptRank = rank(kept.status);
  if (incomingRank !== keptRank) {
    return incomingRank < keptRank ? `${incoming.status} comes before ${kept.status} in a payment's life` : undefined;
  }
  if (incoming.at !== null && kept.at !== null && incoming.at !== kept.at) {
    return incoming.at < kept.at ? 'its timestamp is earlier than the status kept' : undefined;
  }
  return incoming.eventId < kept.eventId ? 'it was received before the event whose status is kept' : undefined;
}

function keptStatus(record: PaymentRecord | undefined): PaymentStatus | undefined {
  if (!record?.status || record.statusEventId === null) return undefined;
  return {
    status: record.status,
    failureCode: record.failureCode,
    failureMessage: record.failureMessage,
    eventId: record.statusEventId,
    at: record.statusAt,
  };
}

/** `eventId` is the event's id in the inbox; `stored` the object's record as it is now. */
export function decidePayment(payload: PaymentsWebhook, eventId: number, stored: PaymentRecord | undefined): PaymentDecision {
  const base = {
    type: 'record_payment' as const,
    objectType: payload.webhook_type,
    objectId: payload.object_id,
    code: payload.webhook_code,
    webhookId: payload.webhook_id,
  };
  const incoming = statusOf(payload, eventId);
  const kept = keptStatus(stored);
  if (!incoming || !kept) return { ...base, status: incoming };
  const ignored = olderThanKept(incoming, kept);
  return ignored ? { ...base, status: undefined, ignored } : { ...base, status: incoming };
}
