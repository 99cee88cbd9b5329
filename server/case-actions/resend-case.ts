// Sending a case's message again, now, with a fresh link: what support does for a person who lost
// the message or whose link ran out. The message goes by the channel the operator names, else by the
// user's best channel that has not failed for good on this case (channel-choice.ts). It is the case's
// own first message again (template `remediation`), so the reminder schedule and the link's life
// start over.
import type { Knex } from 'knex';
import { addTimeline, findCase, transitionCase, updateCase } from '../cases/case-repository.ts';
import { isClosed, type CaseRecord } from '../cases/case-types.ts';
import type { ChannelName } from '../channels/channel.ts';
import { chooseChannel, contactFor, type ChannelPolicy } from '../channels/channel-choice.ts';
import { AppError, notFound } from '../errors.ts';
import { dropHeldMessages, enqueueMessage, failedChannels } from '../outbox/outbox-repository.ts';
import type { UserRecord } from '../users/user-repository.ts';
import type { CaseActor } from './case-actor.ts';
import { findCasePerson } from './case-person.ts';
import { caseEnded } from './close-case.ts';

type Db = Knex | Knex.Transaction;

export interface ResendDeps {
  db: Knex;
  /** CHANNEL_ORDER and the channels this deployment has set up. */
  channelPolicy: ChannelPolicy;
}

export interface ResendRequest {
  actor: CaseActor;
  /** The operator's choice; absent: the best channel that has not failed for good. */
  channel?: ChannelName | undefined;
}

export interface ResendResult {
  theCase: CaseRecord;
  messageId: number;
  channel: ChannelName;
}

const noContact = (message: string) => new AppError(409, 'no_contact', message);

/** The channel a resend goes by when the operator names none; undefined when the person cannot be reached. */
export async function defaultResendChannel(db: Db, policy: ChannelPolicy, caseId: number, user: UserRecord): Promise<ChannelName | undefined> {
  return chooseChannel(user, policy, await failedChannels(db, caseId));
}

async function channelFor(trx: Db, policy: ChannelPolicy, caseId: number, user: UserRecord, wanted: ChannelName | undefined): Promise<ChannelName> {
  if (wanted) {
    if (!policy.available.includes(wanted)) throw new AppError(409, 'channel_unavailable', `This deployment does not send by ${wanted}`);
    if (!contactFor(user, wanted)) throw noContact(`The user has no ${wanted === 'email' ? 'e-mail address' : 'phone number'} for ${wanted}`);
    return wanted;
  }
  const channel = await defaultResendChannel(trx, policy, caseId, user);
  if (!channel) throw noContact('The user has no contact on any channel this deployment sends by');
  return channel;
}

export async function resendCase(deps: ResendDeps, caseId: number, request: ResendRequest, now: number): Promise<ResendResult> {
  return deps.db.transaction(async (trx) => {
    const theCase = await findCase(trx, caseId);
    if (!theCase) throw notFound(`No case ${caseId}`);
    if (isClosed(theCase.status)) throw caseEnded(theCase, 'resend');
    const user = await findCasePerson(trx, theCase);
    if (!user) {
      throw new AppError(409, 'unknown_user', `Case ${caseId} has no registered user: register them with PUT /api/users/{external_id} first`);
    }
    const channel = await channelFor(trx, deps.channelPolicy, caseId, user, request.channel);
    const person = { userId: user.id, externalId: user.externalId };
    if (theCase.status === 'unreachable') await transitionCase(trx, caseId, ['unreachable'], 'open', now, person);
    else if (theCase.userId === null) await updateCase(trx, caseId, person, now);
    await addTimeline(trx, caseId, 'resend_requested', now, { ...request.actor, channel });
    // The operator sends now what the storm guard held: a later release must not send it again.
    await dropHeldMessages(trx, { case_id: caseId }, 'sent again by the operator');
    const queued = await enqueueMessage(trx, { caseId, template: 'remediation', channel }, now);
    await updateCase(trx, caseId, { lastNotifiedAt: now }, now);
    return { theCase: (await findCase(trx, caseId))!, messageId: queued!.id, channel };
  });
}
