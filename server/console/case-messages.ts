// The messages of the cases a console page shows, read from the outbox, and where each one stands.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DeliveryState } from './console-copy.ts';

const MESSAGE_STATE = z.enum(['held', 'pending', 'running', 'done', 'failed']);
/** A message_status entry's detail, as delivery-status.ts writes it. */
const STATUS_DETAIL = z.looseObject({ message_id: z.number(), status: z.string() });

/** What a provider confirmed after accepting a message (Twilio's status callback). */
type Confirmation = 'delivered' | 'read';

export interface CaseMessage {
  id: number;
  caseId: number;
  template: string;
  channel: string;
  /** `failed`: refused when sent, or accepted and later reported undelivered (then `sentAt` is set). */
  /** `held`: the storm guard keeps it back until the operator releases its bank. */
  state: z.infer<typeof MESSAGE_STATE>;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  /** The furthest the provider confirmed it got, if it said. */
  confirmed: Confirmation | null;
  lastError: string | null;
}


/** Statuses arrive in any order: a late "delivered" never hides "read". */
async function confirmations(db: Knex, caseIds: readonly number[]): Promise<Map<number, Confirmation>> {
  const rows = await db('case_timeline').whereIn('case_id', caseIds).where('type', 'message_status').select('detail');
  const confirmed = new Map<number, Confirmation>();
  for (const row of rows) {
    const parsed = STATUS_DETAIL.safeParse(JSON.parse(row.detail ?? '{}'));
    if (!parsed.success) continue;
    const detail = parsed.data;
    if (detail.status === 'read') confirmed.set(detail.message_id, 'read');
    else if (detail.status === 'delivered' && !confirmed.has(detail.message_id)) confirmed.set(detail.message_id, 'delivered');
  }
  return confirmed;
}

export async function listMessagesOfCases(db: Knex, caseIds: readonly number[]): Promise<CaseMessage[]> {
  if (caseIds.length === 0) return [];
  const [rows, confirmed] = await Promise.all([
    db('outbox').whereIn('case_id', caseIds).orderBy('id'),
    confirmations(db, caseIds),
  ]);
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    template: r.template,
    channel: r.channel,
    state: MESSAGE_STATE.parse(r.state),
    attempts: r.attempts,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    confirmed: confirmed.get(r.id) ?? null,
    lastError: r.last_error,
  }));
}

/** Cases whose page a person opened (the page's own report, or a submission). */
export async function casesOpened(db: Knex, caseIds: readonly number[]): Promise<Set<number>> {
  if (caseIds.length === 0) return new Set();
  const rows = await db('case_timeline').distinct('case_id').whereIn('case_id', caseIds).where('type', 'page_opened');
  return new Set(rows.map((r) => r.case_id));
}

/** Accepted by the provider and not reported lost since: the message reached its person, as far as anyone can tell. */
export function reachedPerson(message: CaseMessage): boolean {
  return message.sentAt !== null && message.state !== 'failed';
}

export function deliveryState(message: CaseMessage): DeliveryState {
  switch (message.state) {
    case 'held':
      return 'held';
    case 'pending':
      return message.attempts > 0 ? 'retrying' : 'queued';
    case 'running':
      return 'sending';
    case 'failed':
      return message.sentAt === null ? 'failed' : 'undelivered';
    case 'done':
      if (message.sentAt === null) return 'skipped';
      return message.confirmed ?? 'sent';
  }
}
