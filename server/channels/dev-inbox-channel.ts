// The demo's stand-in for SMTP and Twilio: a message is written to the dev_inbox table, where the
// /dev/inbox page and acceptance tests read it, instead of leaving the machine.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import type { Channel, ChannelName, RenderedMessage } from './channel.ts';

export function createDevInboxChannel(name: ChannelName, db: Knex, clock: Clock): Channel {
  async function send(message: RenderedMessage): Promise<{ providerId: string }> {
    const [row] = await db('dev_inbox')
      .insert({
        channel: name,
        recipient: message.to,
        subject: message.subject ?? null,
        text: message.text,
        html: message.html ?? null,
        created_at: clock.now(),
      })
      .returning('id');
    // PostgreSQL and SQLite both answer { id }; older drivers answered the bare id.
    const id = typeof row === 'object' && row !== null ? (row as { id: number }).id : row;
    return { providerId: `dev-inbox-${id}` };
  }

  return { name, send };
}
