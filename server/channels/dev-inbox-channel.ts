// The demo's stand-in for SMTP and Twilio: a message is written to the dev_inbox table, where the
// /dev/inbox page and acceptance tests read it, instead of leaving the machine. A WhatsApp message
// keeps its template, variables and button, so the page can show it as the person would see it.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import type { AgedRows } from '../db/oldest-rows.ts';
import type { Channel, ChannelName, RenderedMessage, WhatsAppTemplates } from './channel.ts';
import { contentSid } from './whatsapp-channel.ts';

function whatsAppDetails(message: RenderedMessage, templates: WhatsAppTemplates | undefined): string | null {
  const content = message.whatsapp;
  if (!content) return null;
  return JSON.stringify({
    template: content.template,
    locale: content.locale,
    ...(templates ? { content_sid: contentSid(templates, content) } : {}),
    content_variables: content.variables,
    with_button: content.withButton,
  });
}

export function createDevInboxChannel(name: ChannelName, db: Knex, clock: Clock, templates?: WhatsAppTemplates): Channel {
  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    const [row] = await db('dev_inbox')
      .insert({
        channel: name,
        recipient: message.to,
        subject: message.subject ?? null,
        text: message.text,
        html: message.html ?? null,
        details: whatsAppDetails(message, templates),
        created_at: clock.now(),
      })
      .returning('id');
    // PostgreSQL and SQLite both answer { id }; older drivers answered the bare id.
    const id = typeof row === 'object' && row !== null ? (row as { id: number }).id : row;
    return { providerId: `dev-inbox-${id}` };
  }

  return { name, send };
}

/** Erasure: every message the dev inbox caught for these addresses and numbers. */
export async function deleteDevInboxMessagesTo(db: Knex | Knex.Transaction, recipients: readonly string[]): Promise<void> {
  if (recipients.length > 0) await db('dev_inbox').whereIn('recipient', recipients).delete();
}

/** What the dev inbox caught, by when (retention). */
export const DEV_INBOX_MESSAGES: AgedRows = { table: 'dev_inbox', column: 'created_at' };
