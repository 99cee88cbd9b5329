// Chooses, once at start-up, how each channel reaches people: SMTP and Twilio when configured, the
// dev inbox otherwise, and for a channel this deployment has not set up (WhatsApp without
// TWILIO_WHATSAPP_FROM, SMS when Twilio sends WhatsApp only) a channel that refuses for good, so
// a message forced onto it fails visibly and goes by the next channel. A channel missing or
// registered twice is a wiring mistake, so it fails here rather than on the first message.
import type { Knex } from 'knex';
import type { Brand } from '../brand/brand.ts';
import type { Clock } from '../clock.ts';
import { CHANNEL_NAMES, ChannelError, type Channel, type ChannelName } from './channel.ts';
import type { DkimConfig, MailFrom, TwilioConfig, WhatsAppConfig } from './channel-config.ts';
import { createDevInboxChannel } from './dev-inbox-channel.ts';
import { createEmailChannel } from './email-channel.ts';
import { createSmsChannel } from './sms-channel.ts';
import { TWILIO_STATUS_PATH } from './twilio-client.ts';
import { createWhatsAppChannel } from './whatsapp-channel.ts';

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

function unavailableChannel(name: ChannelName, why: string): Channel {
  return {
    name,
    send: () => Promise.reject(new ChannelError(`${name} not configured`, why, true)),
  };
}

/** The settings the channels are made from: a part of server/config.ts's Config. */
export interface ChannelSettings {
  publicUrl: string;
  smtpUrl: string | undefined;
  /** The most SMTP connections the pool opens at once (SMTP_MAX_CONNECTIONS). */
  smtpMaxConnections: number;
  /** MAIL_FROM; its display name is BRAND_NAME unless MAIL_FROM names one. */
  mailFrom: MailFrom;
  dkim: DkimConfig | undefined;
  /** Twilio's account, when TWILIO_ACCOUNT_SID is set; `from` is the SMS sender (TWILIO_FROM), if any. */
  twilio: TwilioConfig | undefined;
  /** TWILIO_WHATSAPP_FROM and WHATSAPP_TEMPLATES: through Twilio with its account, else into the dev inbox. */
  whatsapp: WhatsAppConfig | undefined;
  brand: Pick<Brand, 'support'>;
}

export function createChannels(deps: { config: ChannelSettings; db: Knex; clock: Clock }): Record<ChannelName, Channel> {
  const { config, db, clock } = deps;
  const twilio = config.twilio && {
    accountSid: config.twilio.accountSid,
    authToken: config.twilio.authToken,
    apiUrl: config.twilio.apiUrl,
    statusCallback: `${config.publicUrl}${TWILIO_STATUS_PATH}`,
  };
  const email = config.smtpUrl
    ? createEmailChannel({
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        replyTo: config.brand.support.email,
        dkim: config.dkim,
        maxConnections: config.smtpMaxConnections,
      })
    : createDevInboxChannel('email', db, clock);
  const smsFrom = config.twilio?.from;
  const sms = !twilio
    ? createDevInboxChannel('sms', db, clock)
    : smsFrom
      ? createSmsChannel({ ...twilio, from: smsFrom })
      : unavailableChannel('sms', 'TWILIO_FROM is unset: this deployment sends no SMS');
  const whatsapp = !config.whatsapp
    ? unavailableChannel('whatsapp', 'TWILIO_WHATSAPP_FROM is unset: this deployment sends no WhatsApp messages')
    : twilio
      ? createWhatsAppChannel({ ...twilio, from: config.whatsapp.from, templates: config.whatsapp.templates })
      : createDevInboxChannel('whatsapp', db, clock, config.whatsapp.templates);
  return registerChannels([whatsapp, email, sms]);
}
