// Webhook deliveries that ended (delivered or failed for good) go with RETENTION_DAYS; one still
// waiting for its retry stays, however old.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteExpired } from '../../server/privacy/retention-task.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import type { WorkState } from '../../server/db/tables.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.close());

test('ended deliveries older than the cutoff are deleted; pending and recent ones stay', async () => {
  const row = (id: string, state: WorkState, age: number) => ({ webhook_id: id, type: 'case.updated', payload: '{}', created_at: NOW - age, available_at: NOW, state });
  await database.db('webhook_deliveries').insert([
    row('msg_old_done', 'done', 200 * DAY),
    row('msg_old_failed', 'failed', 200 * DAY),
    row('msg_old_pending', 'pending', 200 * DAY),
    row('msg_recent_done', 'done', DAY),
  ]);
  const { counts } = await deleteExpired(database.db, NOW - 180 * DAY);
  assert.equal(counts.webhook_deliveries, 2);
  const left = (await database.db('webhook_deliveries').orderBy('webhook_id')).map((r) => r.webhook_id);
  assert.deepEqual(left, ['msg_old_pending', 'msg_recent_done']);
});
