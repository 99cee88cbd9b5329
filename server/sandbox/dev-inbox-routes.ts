// The demo's inbox: every e-mail, SMS and WhatsApp message the dev inbox channel captured, newest
// first, shown the way a person would see it (GET /dev/inbox), as JSON for acceptance tests
// (GET /dev/inbox.json), and each e-mail's HTML on its own (GET /dev/inbox/:id/html) under a
// sandboxing CSP, since it is e-mail markup, not our page. Never mounted in production.
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DevInboxRow } from '../db/tables.ts';
import { badRequest } from '../errors.ts';

const MAX_MESSAGES = 500;

// Sandboxed, no script, no network but images: how a careful mail client shows a message.
const EMAIL_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:";


/** A WhatsApp message: the Content template sent, its variables, and the URL-button variant as seen. */
const whatsAppDetailsSchema = z.object({
  template: z.string(),
  locale: z.string(),
  content_sid: z.string().optional(),
  content_variables: z.record(z.string(), z.string()),
  with_button: z.object({ text: z.string(), label: z.string(), url: z.string() }),
});
export type DevInboxWhatsApp = z.infer<typeof whatsAppDetailsSchema>;

export interface DevInboxMessage {
  id: number;
  channel: string;
  to: string;
  subject: string | null;
  /** For WhatsApp, the text-link variant: the portal link appears in it once, as in every other message. */
  text: string;
  html: string | null;
  whatsapp: DevInboxWhatsApp | null;
  /** ISO 8601. */
  created_at: string;
}

/** A piece of a message's text: plain words, a link the page makes clickable, or WhatsApp's *bold*. */
export type TextPart = { text: string } | { text: string; href: string } | { text: string; strong: true };

const listQuerySchema = z.object({ to: z.string().min(1).optional() });
const idSchema = z.coerce.number().int().positive();

// Trailing punctuation after a link belongs to the sentence, not the URL.
const URL_PATTERN = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]]/g;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** WhatsApp shows *words* in bold, without the asterisks. */
export function whatsAppParts(text: string): TextPart[] {
  return text.split(/\*([^*\n]+)\*/).map((piece, i) => (i % 2 === 1 ? { text: piece, strong: true as const } : { text: piece }));
}

function parseWhatsApp(details: string | null): DevInboxWhatsApp | null {
  if (details === null) return null;
  const parsed = whatsAppDetailsSchema.safeParse(JSON.parse(details));
  return parsed.success ? parsed.data : null;
}

function present(row: DevInboxRow): DevInboxMessage {
  return {
    id: Number(row.id),
    channel: row.channel,
    to: row.recipient,
    subject: row.subject,
    text: row.text,
    html: row.html,
    whatsapp: parseWhatsApp(row.details),
    created_at: new Date(Number(row.created_at)).toISOString(),
  };
}

const CHANNEL_LABELS: Record<string, { title: string; channel: string }> = {
  email: { title: '(no subject)', channel: 'E-mail' },
  sms: { title: 'Text message', channel: 'SMS' },
  whatsapp: { title: 'WhatsApp message', channel: 'WhatsApp' },
};

export function createDevInboxRouter(deps: { db: Knex }): Router {
  const { db } = deps;
  const router = Router();

  async function listMessages(req: Request): Promise<DevInboxMessage[]> {
    const parsed = listQuerySchema.safeParse(req.query);
    if (!parsed.success) throw badRequest('invalid_query', 'to must be one recipient');
    const { to } = parsed.data;
    const query = db('dev_inbox').orderBy('id', 'desc').limit(MAX_MESSAGES);
    if (to) query.where('recipient', to);
    return (await query).map(present);
  }

  router.get('/dev/inbox.json', async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store').json({ messages: await listMessages(req) });
  });

  router.get('/dev/inbox', async (req: Request, res: Response) => {
    const messages = (await listMessages(req)).map((m) => ({
      ...m,
      labels: CHANNEL_LABELS[m.channel] ?? { title: m.channel, channel: m.channel },
      parts: m.whatsapp ? whatsAppParts(m.whatsapp.with_button.text) : linkify(m.text),
      shownAt: `${m.created_at.slice(0, 10)} ${m.created_at.slice(11, 19)} UTC`,
    }));
    res.set('Cache-Control', 'no-store').render('dev/inbox', { messages });
  });

  router.get('/dev/inbox/:id/html', async (req: Request, res: Response) => {
    const id = idSchema.safeParse(req.params['id']);
    const row = id.success ? await db('dev_inbox').where('id', id.data).first() : undefined;
    if (!row?.html) {
      res.status(404).type('text/plain').send('No such e-mail');
      return;
    }
    res
      .set('Content-Security-Policy', EMAIL_HTML_CSP)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(row.html);
  });

  return router;
}
