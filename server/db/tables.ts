// The tables as knex sees them: one row type per table, declared once, so that `db('cases')` reads
// typed rows without a cast. Columns hold what the database holds (a bigint arrives as a number on
// both databases: database.ts); a column that stores JSON is text here, and its reader parses it
// with its schema. Values with a vocabulary of their own (a case's status, a message's channel) are
// text here too, and narrowed where they are read.
import 'knex/types/tables.js';

export interface CaseRow {
  id: number;
  link_id: string;
  kind: string;
  status: string;
  user_id: number | null;
  external_id: string | null;
  institution: string | null;
  open_key: string | null;
  details: string;
  failed_attempts: number;
  submit_lock_until: number | null;
  last_notified_at: number | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  reminder_anchor: number | null;
  reminder_count: number;
  next_reminder_at: number | null;
  expires_at: number | null;
}

export interface TimelineRow {
  id: number;
  case_id: number;
  at: number;
  type: string;
  detail: string | null;
}

export interface UserRow {
  id: number;
  external_id: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  name: string | null;
  channels: string | null;
  time_zone: string | null;
  document_type: string | null;
  document_number: string | null;
  created_at: number;
  updated_at: number;
}

export interface LinkRow {
  link_id: string;
  external_id: string;
  institution: string | null;
  institution_display_name: string | null;
  created_at: number;
  updated_at: number;
}

/** Where a row of a work table stands (claim.ts): waiting, claimed by a worker, or finished. */
export type WorkState = 'pending' | 'running' | 'done' | 'failed';

/** The columns by which background work is claimed (claim.ts). */
interface ClaimColumns<State extends string = WorkState> {
  id: number;
  state: State;
  attempts: number;
  available_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
}

export interface EventTableRow extends ClaimColumns {
  webhook_id: string;
  webhook_type: string;
  webhook_code: string;
  link_id: string | null;
  object_id: string | null;
  payload: string;
  received_at: number;
  processed_at: number | null;
}

/** `held`: kept back by the storm guard until an operator releases or cancels it (server/storm/). */
export interface OutboxTableRow extends ClaimColumns<WorkState | 'held'> {
  case_id: number;
  template: string;
  channel: string;
  fallback_of: number | null;
  provider_id: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface AccountFetchRow extends ClaimColumns {
  link_id: string;
  created_at: number;
  finished_at: number | null;
}

/** An event for the operator's endpoint, and what its last attempt got back (server/operator-webhooks/). */
export interface WebhookDeliveryRow extends ClaimColumns {
  webhook_id: string;
  type: string;
  /** The person the event names, for erasure. */
  external_id: string | null;
  payload: string;
  created_at: number;
  last_status: number | null;
  last_body: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
}

export interface LinkDataRow {
  link_id: string;
  resource: string;
  last_webhook_id: string;
  last_code: string;
  last_event_at: number;
  summary: string;
  updated_at: number;
}

export interface AccountListRow {
  link_id: string;
  accounts_count: number;
  account_ids: string;
  fetched_at: number;
}

export interface PaymentRow {
  id: number;
  object_type: string;
  object_id: string;
  last_code: string;
  last_webhook_id: string;
  events: number;
  status: string | null;
  failure_code: string | null;
  failure_message: string | null;
  status_event_id: number | null;
  status_at: number | null;
  first_seen_at: number;
  updated_at: number;
}

export interface DevInboxRow {
  id: number;
  channel: string;
  recipient: string;
  subject: string | null;
  text: string;
  html: string | null;
  details: string | null;
  created_at: number;
}

export interface SendSlotRow {
  id: number;
  channel: string;
  started_at: number;
  finished_at: number | null;
}

export interface StormRow {
  institution: string;
  state: string;
  reason: string;
  cases: number;
  detected_at: number;
  released_at: number | null;
  counting_since: number;
}

export interface SessionRow {
  sid: string;
  sess: string;
  expires_at: number;
}

export interface RateLimitRow {
  key: string;
  hits: number;
  reset_at: number;
}

declare module 'knex/types/tables.js' {
  interface Tables {
    cases: CaseRow;
    case_timeline: TimelineRow;
    users: UserRow;
    links: LinkRow;
    events: EventTableRow;
    outbox: OutboxTableRow;
    account_fetches: AccountFetchRow;
    webhook_deliveries: WebhookDeliveryRow;
    link_data: LinkDataRow;
    account_lists: AccountListRow;
    payments: PaymentRow;
    dev_inbox: DevInboxRow;
    send_slots: SendSlotRow;
    rate_limits: RateLimitRow;
    storms: StormRow;
    sessions: SessionRow;
  }
}
