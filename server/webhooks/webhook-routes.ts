// POST /webhooks/belvo: check the sender, validate, record durably, answer. Nothing else happens
// here: Belvo wants a 2xx within 5 seconds, and the worker does the real work from the events table.
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import { AppError, unauthorized } from '../errors.ts';
import { toAppError } from '../http/api-errors.ts';
import { countWebhook } from '../metrics/samples.ts';
import { createEventInbox } from './event-inbox.ts';
import { webhookJsonParser } from './webhook-body.ts';
import { createWebhookAuthCheck, parseWebhookAuth, WEBHOOK_AUTH_FORMS } from './webhook-auth.ts';
import { parseWebhook } from '../belvo/belvo-webhooks.ts';

export interface WebhookRouteDeps {
  db: Knex;
  clock: Clock;
  /** BELVO_WEBHOOK_AUTH (see webhook-auth.ts for the forms it accepts); undefined accepts any sender (demo only). */
  webhookAuth: string | undefined;
  /** Tells the in-process worker there is work, so it need not wait for its next poll. */
  onRecorded: () => void;
  /** Applied to requests that fail authentication only: Belvo's own traffic is never throttled. */
  limitUnauthenticated: RequestHandler;
}

/** Belvo's webhook types (REAL-API.md): the only values the metrics' `type` label takes, besides other and unknown. */
const WEBHOOK_TYPES = new Set([
  'LINK',
  'CONSENT',
  'ACCOUNTS',
  'OWNERS',
  'TRANSACTIONS',
  'BILLS',
  'INVESTMENTS',
  'INVESTMENT_TRANSACTIONS',
  'CHARGES',
  'PAYMENT_INTENTS',
  'BANK_ACCOUNTS',
]);

/** A sender cannot mint series: a type Belvo does not document is `other`; none (or no body read) is `unknown`. */
function typeLabel(body: unknown): string {
  const type = (body as { webhook_type?: unknown } | undefined)?.webhook_type;
  if (type === undefined) return 'unknown';
  return typeof type === 'string' && WEBHOOK_TYPES.has(type) ? type : 'other';
}

/** The limit answers 429 itself: counted when it did. */
function countedLimit(limit: RequestHandler): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      if (res.statusCode === 429) countWebhook('unknown', 'limited');
    });
    return limit(req, res, next);
  };
}

/** A refusal, by what it refused: the sender (401), the body (4xx), or nothing the sender did (5xx). */
const countRefusal: ErrorRequestHandler = (err, req, _res, next) => {
  const status = toAppError(err)?.status ?? 500;
  countWebhook(typeLabel(req.body), status === 401 ? 'unauthorized' : status < 500 ? 'invalid' : 'error');
  next(err);
};

function requireBelvo(webhookAuth: string, limit: RequestHandler): RequestHandler[] {
  const credential = parseWebhookAuth(webhookAuth);
  if (!credential) throw new Error(`BELVO_WEBHOOK_AUTH must be ${WEBHOOK_AUTH_FORMS}`);
  const check = createWebhookAuthCheck(credential);
  return [
    (req, _res, next) => (check(req.headers.authorization) ? next('route') : next()),
    countedLimit(limit),
    () => {
      throw unauthorized('Missing or invalid Authorization header');
    },
  ];
}

export function createWebhookRouter(deps: WebhookRouteDeps): Router {
  const router = express.Router();
  const inbox = createEventInbox(deps.db);
  const receive: RequestHandler = async (req, res) => {
    const parsed = parseWebhook(req.body);
    if (!parsed.ok) throw new AppError(400, 'invalid_payload', parsed.message, { field: parsed.field });
    const recorded = await inbox.record(parsed.webhook, req.body, deps.clock.now());
    if (recorded) deps.onRecorded();
    countWebhook(typeLabel(req.body), recorded ? 'accepted' : 'duplicate');
    res.status(recorded ? 202 : 200).json({
      status: recorded ? 'accepted' : 'duplicate',
      webhook_id: parsed.webhook.payload.webhook_id,
    });
  };
  if (deps.webhookAuth !== undefined) {
    router.post('/belvo', ...requireBelvo(deps.webhookAuth, deps.limitUnauthenticated));
  }
  router.post('/belvo', webhookJsonParser(), receive);
  router.use(countRefusal);
  return router;
}
