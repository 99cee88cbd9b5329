// WhatsApp through Twilio's Messages API, with the account SMS uses. A business may only start a
// WhatsApp conversation with a template Meta approved, so a message is a Content template
// (ContentSid from WHATSAPP_TEMPLATES, for the message's language) and its variables; the text we
// render is only what the person will read, for the dev inbox and the timeline.
import type { Twilio } from 'twilio';
import { ChannelError, type Channel, type RenderedMessage, type WhatsAppContent, type WhatsAppTemplates } from './channel.ts';
import { classifyTwilioError, createTwilioClient, senderParams, type TwilioAccount } from './twilio-client.ts';

export interface WhatsAppChannelOptions extends TwilioAccount {
  /** whatsapp:+<E.164>, or a Messaging Service SID (MG…) that has a WhatsApp sender. */
  from: string;
  templates: WhatsAppTemplates;
}

/** The Content SID for a template in a language: its own, else the one for every language ("*"). */
export function contentSid(templates: WhatsAppTemplates, content: Pick<WhatsAppContent, 'template' | 'locale'>): string | undefined {
  const byLocale = templates[content.template];
  return byLocale[content.locale] ?? byLocale['*'];
}

export function createWhatsAppChannel(options: WhatsAppChannelOptions): Channel {
  let client: Promise<Twilio> | undefined;
  const callback = options.statusCallback ? { statusCallback: options.statusCallback } : {};

  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    const content = message.whatsapp;
    const sid = content && contentSid(options.templates, content);
    // The configuration is checked at start-up; reaching this is a wiring mistake, not a retryable failure.
    if (!content || !sid) throw new ChannelError('whatsapp template', `No WhatsApp template for ${content?.template} in ${content?.locale}`, true);
    client ??= createTwilioClient(options);
    try {
      const sent = await (await client).messages.create({
        to: `whatsapp:${message.to}`,
        ...senderParams(options.from),
        contentSid: sid,
        contentVariables: JSON.stringify(content.variables),
        ...callback,
      });
      return { providerId: sent.sid };
    } catch (err) {
      throw classifyTwilioError(err);
    }
  }

  return { name: 'whatsapp', send };
}
