// The worker's delivery of operator webhooks: deliveries are claimed from their table like the
// outbox (server/db/claim.ts), so two workers never post the same one at once, and each is posted
// and ended on its own. Lanes keep a slow or dead endpoint from holding up the rest: a delivery
// waiting out its timeout holds its own lane only, and a failed one waits for its retry without
// blocking any other event.
import type { Knex } from 'knex';
import type { Clock } from '../clock.ts';
import { claimBatch } from '../db/claim.ts';
import type { Logger } from '../logger.ts';
import { countOperatorWebhook } from '../metrics/samples.ts';
import type { RetryPolicy } from '../jobs/retry.ts';
import type { WorkerTask } from '../jobs/worker-task.ts';
import type { WebhookDeliveryRow } from '../db/tables.ts';
import { recordAttempt } from './delivery-repository.ts';
import type { WebhookPoster } from './webhook-post.ts';

/** Loops posting side by side, and the deliveries each claims at once: at most 16 requests in flight per worker. */
export const WEBHOOK_LANES = 4;
const DELIVERIES_PER_LANE = 4;

export interface WebhookTaskDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  poster: WebhookPoster;
  retry: RetryPolicy;
  leaseMs: number;
  random?: (() => number) | undefined;
}

async function deliver(deps: WebhookTaskDeps, row: WebhookDeliveryRow, owner: string): Promise<void> {
  const result = await deps.poster.post({ webhookId: row.webhook_id, payload: row.payload, now: deps.clock.now() });
  const end = await recordAttempt(deps.db, row, owner, result, deps.clock.now(), { retry: deps.retry, random: deps.random });
  countOperatorWebhook(result.ok ? 'delivered' : end.state === 'pending' ? 'retried' : 'failed');
  if (result.ok) return;
  const fields = { delivery_id: row.id, webhook_id: row.webhook_id, type: row.type, attempts: row.attempts, status: result.status, error: result.error };
  if (end.state === 'pending') deps.logger.warn('operator webhook failed; will retry', { ...fields, retry_at: new Date(end.retryAt).toISOString() });
  else deps.logger.error('operator webhook failed for good', fields);
}

export function webhookTask(deps: WebhookTaskDeps): WorkerTask {
  return {
    name: 'webhooks',
    lanes: WEBHOOK_LANES,
    async run(owner) {
      const now = deps.clock.now();
      const rows = await claimBatch<WebhookDeliveryRow>(deps.db, { table: 'webhook_deliveries', owner, now, leaseMs: deps.leaseMs, limit: DELIVERIES_PER_LANE });
      await Promise.all(rows.map((row) => deliver(deps, row, owner)));
      return rows.length;
    },
  };
}
