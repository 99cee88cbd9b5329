// POST /webhooks/twilio: Twilio's status callback for each SMS and WhatsApp message (queued, sent,
// delivered, read, undelivered, failed). Only Twilio can call it: X-Twilio-Signature is checked with the twilio
// package's own validator over PUBLIC_URL + this path, since behind a proxy the request's own
// URL is not the one Twilio signed.
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { ChannelPolicy } from '../channels/channel-choice.ts';
import { TWILIO_STATUS_PATH } from '../channels/twilio-client.ts';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { recordDeliveryStatus } from '../outbox/delivery-status.ts';

export interface TwilioRouteDeps {
  db: Knex;
  clock: Clock;
  authToken: string;
  publicUrl: string;
  /** Where a message goes next when Twilio reports it undelivered. */
  channelPolicy: ChannelPolicy;
  /** A fallback message was queued: the worker need not wait for its next poll. */
  onQueued: () => void;
}

const statusCallback = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.string().regex(/^[a-z_]{1,32}$/),
  ErrorCode: z.string().max(16).optional(),
});

export function createTwilioRouter(deps: TwilioRouteDeps): Router {
  const router = express.Router();
  const signedUrl = `${deps.publicUrl}${TWILIO_STATUS_PATH}`;
  router.post('/', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const params = (req.body ?? {}) as Record<string, string>;
    const signature = req.get('x-twilio-signature') ?? '';
    const { default: twilio } = await import('twilio');
    if (!twilio.validateRequest(deps.authToken, signature, signedUrl, params)) {
      throw new AppError(403, 'forbidden', 'Missing or invalid X-Twilio-Signature');
    }
    const parsed = statusCallback.safeParse(params);
    if (!parsed.success) throw new AppError(400, 'invalid_payload', 'Not a Twilio message status callback');
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    const queued = await recordDeliveryStatus(
      deps.db,
      deps.channelPolicy,
      { providerId: MessageSid, status: MessageStatus, errorCode: ErrorCode },
      deps.clock.now(),
    );
    if (queued) deps.onQueued();
    res.status(204).end();
  });
  return router;
}
