// Chooses, once at start-up, how each channel reaches people: SMTP and Twilio when configured,
// the dev inbox otherwise. A channel missing or registered twice is a wiring mistake, so it fails
// here rather than on the first message that needs it.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Channel, ChannelName } from './channel.ts';
import { createDevInboxChannel } from './dev-inbox-channel.ts';
import { createEmailChannel } from './email-channel.ts';
import { createSmsChannel } from './sms-channel.ts';
import { TWILIO_STATUS_PATH } from '../webhooks/twilio-routes.ts';

const CHANNEL_NAMES = ['email', 'sms'] as const satisfies readonly ChannelName[];

/** One channel per name, every name covered, or an error naming the problem. */
export function registerChannels(channels: readonly Channel[]): Record<ChannelName, Channel> {
  const registry = new Map<ChannelName, Channel>();
  for (const channel of channels) {
    if (registry.has(channel.name)) throw new Error(`Channel "${channel.name}" is registered twice`);
    registry.set(channel.name, channel);
  }
  const missing = CHANNEL_NAMES.filter((name) => !registry.has(name));
  if (missing.length > 0) throw new Error(`No channel registered for: ${missing.join(', ')}`);
  return Object.fromEntries(registry) as Record<ChannelName, Channel>;
}

export function createChannels(deps: { config: Config; db: Knex; clock: Clock }): Record<ChannelName, Channel> {
  const { config, db, clock } = deps;
  const email = config.smtpUrl
    ? createEmailChannel({ smtpUrl: config.smtpUrl, from: config.mailFrom })
    : createDevInboxChannel('email', db, clock);
  const sms = config.twilio
    ? createSmsChannel({
        accountSid: config.twilio.accountSid,
        authToken: config.twilio.authToken,
        from: config.twilio.from,
        apiUrl: config.twilio.apiUrl,
        statusCallback: `${config.publicUrl}${TWILIO_STATUS_PATH}`,
      })
    : createDevInboxChannel('sms', db, clock);
  return registerChannels([email, sms]);
}
