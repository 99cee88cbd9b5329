// Which channel reaches a person: one pure rule for first messages, reminders, new links, resends
// and fallbacks. The person's own order comes first (their `channels`, else CHANNEL_ORDER); every
// other channel we can reach them on follows, so a message that fails for good on one channel
// still has somewhere to go (CONTRACT.md). A channel the deployment has not set up is skipped.
import { CHANNEL_NAMES, type ChannelName } from './channel.ts';

/** What the deployment offers: CHANNEL_ORDER, and the channels that are set up (WhatsApp needs TWILIO_WHATSAPP_FROM). */
export interface ChannelPolicy {
  order: readonly ChannelName[];
  available: readonly ChannelName[];
}

/** The parts of a user that decide how they can be reached. */
export interface Reachable {
  email: string | null;
  phone: string | null;
  /** The operator's order for this person; null: the deployment's CHANNEL_ORDER. */
  channels: readonly ChannelName[] | null;
}

/** WhatsApp and SMS both go to the phone number. */
export function contactFor(person: Pick<Reachable, 'email' | 'phone'>, channel: ChannelName): string | null {
  return channel === 'email' ? person.email : person.phone;
}

/** Every channel that can reach the person, best first. */
export function channelOrder(person: Reachable, policy: ChannelPolicy): ChannelName[] {
  const order = [...(person.channels ?? policy.order), ...policy.order, ...CHANNEL_NAMES];
  return [...new Set(order)].filter((channel) => policy.available.includes(channel) && contactFor(person, channel) !== null);
}

/**
 * The best channel that has not failed for good. When every one has, a new message starts over
 * from the best, since a failure may have passed (an outage, a full mailbox); a fallback has
 * nowhere left to go and gets undefined. Undefined too when the person cannot be reached at all.
 */
export function chooseChannel(
  person: Reachable,
  policy: ChannelPolicy,
  failed: readonly ChannelName[] = [],
  purpose: 'message' | 'fallback' = 'message',
): ChannelName | undefined {
  const order = channelOrder(person, policy);
  const open = order.find((channel) => !failed.includes(channel));
  return open ?? (purpose === 'message' ? order[0] : undefined);
}
