// The worker process dies between a change and the delivery of its event (here, while the event is
// being posted): the event was recorded with the change, so once the dead worker's lease runs out
// another worker delivers it, with the same webhook-id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { newWebhookSecret } from '../support/webhook-secrets.ts';
import { spawnWorkerProcess, workerProcessEnv } from '../support/worker-process.ts';

const LEASE_MS = 1500;
const SECRET = newWebhookSecret();
let database: TestDatabase;
let receiver: WebhookReceiver;
let dataDir: string;

before(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  dataDir = mkdtempSync(join(tmpdir(), 'relink-hook-crash-'));
});
after(async () => {
  await database.close();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => workerProcessEnv(database, dataDir, { OPERATOR_WEBHOOK_URL: receiver.url, OPERATOR_WEBHOOK_SECRET: SECRET });

test("a worker killed before its event's delivery ends leaves it to be delivered by another, with the same webhook-id", async () => {
  const survivor = createRuntime({ config: loadConfig(env()), db: database.db, logger: createLogger({ write: () => {} }), leaseMs: LEASE_MS });
  await putUser(survivor.app, 'ana', { email: 'ana@example.com' }).expect(201);
  await postWebhook(survivor.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'ana', linkId: randomUUID() })).expect(202);

  // The doomed worker opens the case (recording case.created with it) and starts posting; the receiver never answers it.
  receiver.answerWith(() => 'hang');
  const doomed = spawnWorkerProcess(database, env(), LEASE_MS);
  // The child starts a whole runtime first: on a busy machine that takes a while.
  const [interrupted] = await receiver.waitForRequests(1, 60_000);
  doomed.kill('SIGKILL');
  await new Promise((resolve) => doomed.once('exit', resolve));
  const held = await database.db('webhook_deliveries').where({ webhook_id: String(interrupted!.headers['webhook-id']) }).first();
  assert.equal(held!.state, 'running', 'the dead worker still holds the delivery');

  // The dead worker may also hold the case's message, under a lease of its own that can run out
  // later than the delivery's: the case.updated its sending records comes after that.
  receiver.answerWith(() => ({ status: 204 }));
  const deadline = Date.now() + 10_000;
  while (!(await bothEventsDelivered())) {
    assert.ok(Date.now() < deadline, 'every event is delivered once the leases run out');
    await survivor.worker.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const again = receiver.requests.filter((req) => req.headers['webhook-id'] === interrupted!.headers['webhook-id']);
  assert.equal(again.length, 2, 'posted again after the crash, under the same id');
  assert.equal(again[1]!.body, again[0]!.body);
  assert.deepEqual(new Webhook(SECRET).verify(again[1]!.body, receiver.signatureHeaders(again[1]!)), again[1]!.json);
  const types = (await database.db('webhook_deliveries').orderBy('id')).map((row) => row.type);
  assert.deepEqual(types, ['case.created', 'case.updated']);
  await survivor.worker.stop();
});

async function bothEventsDelivered(): Promise<boolean> {
  const deliveries = await database.db('webhook_deliveries');
  return deliveries.length === 2 && deliveries.every((row) => row.state === 'done');
}
