// The operator's view of the webhooks Relink posts to them, under /api behind the operator's key
// (app.ts): GET /api/webhook-deliveries, newest first, by status, in keyset pages like GET
// /api/cases; POST /api/webhook-deliveries/:id/replay posts one again now, with the same id.
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { isoTime as iso, type Clock } from '../clock.ts';
import { AppError, notFound } from '../errors.ts';
import { parse } from '../http/request-input.ts';
import type { WebhookDeliveryRow, WorkState } from '../db/tables.ts';
import { findDelivery, listDeliveries, replayDelivery } from './delivery-repository.ts';

/** The words the operator sees for each state of the table. */
const STATUS_OF_STATE = { pending: 'pending', running: 'sending', done: 'delivered', failed: 'failed' } as const satisfies Record<WorkState, string>;
type DeliveryStatus = (typeof STATUS_OF_STATE)[WorkState];
const STATE_OF_STATUS = Object.fromEntries(Object.entries(STATUS_OF_STATE).map(([state, status]) => [status, state])) as Record<
  DeliveryStatus,
  WorkState
>;

const listQuery = z.object({
  status: z.enum(Object.values(STATUS_OF_STATE)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});
const idParam = z.coerce.number().int().positive();

function presentDelivery(row: WebhookDeliveryRow) {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    type: row.type,
    status: STATUS_OF_STATE[row.state],
    attempts: row.attempts,
    created_at: iso(row.created_at),
    last_attempt_at: iso(row.last_attempt_at),
    last_response: row.last_status === null ? null : { status: row.last_status, body: row.last_body },
    last_error: row.last_error,
    next_attempt_at: row.state === 'pending' ? iso(row.available_at) : null,
    delivered_at: iso(row.delivered_at),
    payload: JSON.parse(row.payload) as unknown,
  };
}

export function createDeliveryRouter(deps: { db: Knex; clock: Clock; onQueued?: () => void }): Router {
  const router = express.Router();

  router.get('/webhook-deliveries', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const rows = await listDeliveries(deps.db, {
      limit: query.limit,
      ...(query.status ? { state: STATE_OF_STATUS[query.status] } : {}),
      ...(query.before ? { before: query.before } : {}),
    });
    const last = rows.at(-1);
    res.json({ deliveries: rows.map(presentDelivery), next_before: rows.length === query.limit && last ? last.id : null });
  });

  router.get('/webhook-deliveries/:id', async (req, res) => {
    const id = parse(idParam, req.params['id'], 'id');
    const row = await findDelivery(deps.db, id);
    if (!row) throw notFound(`No webhook delivery ${id}`);
    res.json(presentDelivery(row));
  });

  router.post('/webhook-deliveries/:id/replay', async (req, res) => {
    const id = parse(idParam, req.params['id'], 'id');
    const row = await replayDelivery(deps.db, id, deps.clock.now());
    if (!row) throw notFound(`No webhook delivery ${id}`);
    if (row.state === 'running') throw new AppError(409, 'delivery_in_progress', `Webhook delivery ${id} is being sent now; replay it once this attempt ends`);
    deps.onQueued?.();
    res.status(202).json(presentDelivery(row));
  });

  return router;
}
