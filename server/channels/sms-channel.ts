// SMS through Twilio's Messages API with the official client. TWILIO_FROM is a phone number or a
// Messaging Service SID (MG…), which Twilio takes as a different parameter.
import type { Twilio } from 'twilio';
import type { Channel, RenderedMessage } from './channel.ts';
import { classifyTwilioError, createTwilioClient, senderParams, type TwilioAccount } from './twilio-client.ts';

export interface SmsChannelOptions extends TwilioAccount {
  /** An E.164 number, or a Messaging Service SID starting with MG. */
  from: string;
}

export function createSmsChannel(options: SmsChannelOptions): Channel {
  let client: Promise<Twilio> | undefined;
  const callback = options.statusCallback ? { statusCallback: options.statusCallback } : {};

  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    client ??= createTwilioClient(options);
    try {
      const sent = await (await client).messages.create({ to: message.to, body: message.text, ...senderParams(options.from), ...callback });
      return { providerId: sent.sid };
    } catch (err) {
      throw classifyTwilioError(err);
    }
  }

  return { name: 'sms', send };
}
