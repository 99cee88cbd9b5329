// A worker dies in the middle of a send: the message must still reach the user once the dead
// worker's lease runs out, and only once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { postWebhook, putUser } from '../support/operator-calls.ts';
import { startSmtpServer, type SmtpTestServer } from '../support/smtp-test-server.ts';
import { spawnWorkerProcess, workerProcessEnv } from '../support/worker-process.ts';

const LEASE_MS = 1500;
let database: TestDatabase;
let smtp: SmtpTestServer;
let silentSmtp: Server;
let dataDir: string;

before(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpServer();
  dataDir = mkdtempSync(join(tmpdir(), 'relink-crash-'));
  silentSmtp = createServer(() => {});
  await new Promise<void>((resolve) => silentSmtp.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await database.close();
  await smtp.close();
  silentSmtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function env(smtpUrl: string): Record<string, string> {
  return workerProcessEnv(database, dataDir, { SMTP_URL: smtpUrl });
}

function nextConnection(server: Server): Promise<void> {
  return new Promise((resolve) => server.once('connection', () => resolve()));
}

test('a message whose worker was killed mid-send is sent once by another worker after the lease runs out', async () => {
  const survivor = createRuntime({
    config: loadConfig(env(smtp.url)),
    db: database.db,
    logger: createLogger({ write: () => {} }),
    leaseMs: LEASE_MS,
  });
  await putUser(survivor.app, 'ana', { email: 'ana@example.com' }).expect(201);
  await postWebhook(survivor.app, freshSeedWebhook('link-invalid-credentials', { externalId: 'ana' })).expect(202);

  // The doomed worker's SMTP server accepts the connection and never greets: the send hangs there.
  const { port } = silentSmtp.address() as AddressInfo;
  const connected = nextConnection(silentSmtp);
  const doomed = spawnWorkerProcess(database, env(`smtp://127.0.0.1:${port}`), LEASE_MS);
  await connected;
  const claimed = await database.db('outbox').first();
  assert.equal(claimed?.state, 'running', 'the doomed worker holds the message');
  doomed.kill('SIGKILL');
  await new Promise((resolve) => doomed.once('exit', resolve));

  assert.equal(await survivor.worker.runOnce(), 0, 'the lease still protects the message');
  await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 100));
  assert.equal(await survivor.worker.runOnce(), 1);

  assert.equal(smtp.messages.length, 1);
  const row = await database.db('outbox').first();
  assert.equal(row?.state, 'done');
  assert.equal(row?.attempts, 2);
});
