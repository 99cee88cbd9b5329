// "Send me a new link" on the page of an expired link: a fresh link goes to the contact on file,
// which the page never shows (whoever holds an old link learns nothing about the person).
import type { Knex } from 'knex';
import { acquireSubmitLock, addTimeline, releaseSubmitLock } from '../cases/case-repository.ts';
import { chooseChannel, type ChannelPolicy } from '../channels/channel-choice.ts';
import { enqueueMessage, hasPendingMessage } from '../outbox/outbox-repository.ts';
import type { PortalCase } from './portal-context.ts';

/** Long enough for the few queries below; the lock only keeps two clicks from queueing two messages. */
const NEW_LINK_LOCK_MS = 10_000;

/** Queues a `new_link` message unless one is already waiting; says whether one is on its way. */
export async function requestNewLink(db: Knex, policy: ChannelPolicy, found: PortalCase, now: number): Promise<'sent' | 'noContact'> {
  const channel = found.user && chooseChannel(found.user, policy);
  if (!channel) return 'noContact';

  const caseId = found.caseRecord.id;
  // A click while another request holds the case is that request's duplicate: it is being handled.
  if (await acquireSubmitLock(db, caseId, now, NEW_LINK_LOCK_MS)) {
    try {
      await db.transaction(async (trx) => {
        const pending = await hasPendingMessage(trx, caseId);
        const queued = pending ? undefined : await enqueueMessage(trx, { caseId, template: 'new_link', policy }, now);
        await addTimeline(trx, caseId, 'new_link_requested', now, { channel: queued?.channel ?? channel, queued: !pending });
      });
    } finally {
      await releaseSubmitLock(db, caseId);
    }
  }
  return 'sent';
}
