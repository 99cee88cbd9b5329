import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { EXIT_FAILED, EXIT_USAGE, runBelvoCli, webhookUrlProblem } from '../../server/commands/register-webhook-command.ts';
import { createRuntime, type Runtime } from '../../server/runtime.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from '../support/belvo-simulator-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BEARER = /^Bearer [A-Za-z0-9_-]{43}$/;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The command as an operator runs it: a separate process, configured by its environment only. */
function runCli(args: string[], env: Record<string, string>, viaNpm = false): Promise<Run> {
  const [file, argv] = viaNpm
    ? ['npm', ['run', '-s', 'belvo', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'server/commands/belvo-cli.ts', ...args]];
  return new Promise((resolve) => {
    execFile(
      file,
      argv,
      { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run belvo -- register-webhook, against the simulator', () => {
  let sandbox: RunningBelvoSimulator;
  let dataDir: string;
  let env: Record<string, string>;

  before(async () => {
    sandbox = await startBelvoSimulator();
    dataDir = mkdtempSync(join(tmpdir(), 'relink-cli-'));
    env = {
      BELVO_API_URL: sandbox.url,
      BELVO_SECRET_ID: sandbox.secretId,
      BELVO_SECRET_PASSWORD: sandbox.secretPassword,
      DATA_DIR: dataDir,
    };
  });
  after(async () => {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('registers the URL with a fresh Bearer token, prints only that value on stdout and exits 0', async () => {
    const url = 'https://relink.example.com/webhooks/belvo';
    const run = await runCli(['register-webhook', '--url', url], env, true);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Bearer [A-Za-z0-9_-]{43}\n$/);
    const value = run.stdout.trim();
    const stored = sandbox.simulator.webhookRegistrations().at(-1)!;
    assert.deepEqual(
      { name: stored.name, url: stored.url, auth_header: stored.auth_header, auth_token: stored.auth_token },
      { name: 'Relink', url, auth_header: 'Authorization', auth_token: value },
    );
    // Belvo's answer is shown, with the token masked as Belvo masks it, and the token appears nowhere else.
    assert.match(run.stderr, /"auth_token": "\*{7}"/);
    assert.match(run.stderr, new RegExp(`"id": "${stored.id}"`));
    assert.ok(!run.stderr.includes(value.slice('Bearer '.length)), 'the token stays off stderr');
    // The printed value is one the server accepts as BELVO_WEBHOOK_AUTH.
    assert.equal(loadConfig({ DATA_DIR: dataDir, BELVO_WEBHOOK_AUTH: value }).belvo.webhookAuth, value);
  });

  test('each run generates a different token', async () => {
    const a = await runCli(['register-webhook', '--url', 'https://a.example.com/webhooks/belvo', '--name', 'A'], env);
    const b = await runCli(['register-webhook', '--url', 'https://b.example.com/webhooks/belvo'], env);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    assert.match(a.stdout.trim(), BEARER);
    assert.notEqual(a.stdout, b.stdout);
    assert.equal(sandbox.simulator.webhookRegistrations().at(-2)!.name, 'A');
  });

  test('a missing or non-https URL is refused with exit code 2 before Belvo is called', async () => {
    const calls = sandbox.simulator.calls.length;
    for (const args of [['register-webhook'], ['register-webhook', '--url', 'http://relink.example.com/webhooks/belvo'], ['register-webhook', '--url', 'nonsense'], ['unregister']]) {
      const run = await runCli(args, env);
      assert.equal(run.code, EXIT_USAGE, args.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /Usage: npm run -s belvo -- register-webhook --url/);
    }
    assert.equal(sandbox.simulator.calls.length, calls);
  });

  test('Belvo refusing the registration (4xx) fails with exit code 1, Belvo\'s reason and nothing on stdout', async () => {
    sandbox.simulator.answerNext({ status: 400, code: 'invalid', message: 'Enter a valid URL.' });
    const run = await runCli(['register-webhook', '--url', 'https://relink.example.com/webhooks/belvo'], env);
    assert.equal(run.code, EXIT_FAILED);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /refused the registration with HTTP 400: invalid: Enter a valid URL\./);
  });

  test('Belvo failing (5xx) fails with exit code 1', async () => {
    sandbox.simulator.answerNext({ status: 500, code: 'unexpected_error' });
    const run = await runCli(['register-webhook', '--url', 'https://relink.example.com/webhooks/belvo'], env);
    assert.equal(run.code, EXIT_FAILED);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /HTTP 500: unexpected_error/);
  });

  test('Belvo not answering in time fails with exit code 1 and says so', async () => {
    sandbox.simulator.answerNext({ hang: true });
    let stdout = '';
    let stderr = '';
    const code = await runBelvoCli(['register-webhook', '--url', 'https://relink.example.com/webhooks/belvo'], {
      env,
      io: { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
      timeoutMs: 300,
    });
    assert.equal(code, EXIT_FAILED);
    assert.equal(stdout, '');
    assert.match(stderr, /did not answer within 0\.3 s/);
  });

  test('wrong Belvo keys fail with exit code 1', async () => {
    const run = await runCli(['register-webhook', '--url', 'https://relink.example.com/webhooks/belvo'], { ...env, BELVO_SECRET_PASSWORD: 'wrong' });
    assert.equal(run.code, EXIT_FAILED);
    assert.match(run.stderr, /HTTP 401: authentication_failed/);
  });

  test('with BELVO_PAYMENTS_SECRET_ID and _PASSWORD set, the registration is made with those keys, not the secret keys', async () => {
    // The simulator knows one pair of keys: here they are the payments keys, and the secret keys are other ones.
    const payments = {
      ...env,
      BELVO_SECRET_ID: 'aggregation-id',
      BELVO_SECRET_PASSWORD: 'aggregation-password',
      BELVO_PAYMENTS_SECRET_ID: sandbox.secretId,
      BELVO_PAYMENTS_SECRET_PASSWORD: sandbox.secretPassword,
    };
    const run = await runCli(['register-webhook', '--url', 'https://payments.example.com/webhooks/belvo'], payments);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(sandbox.simulator.webhookRegistrations().at(-1)!.url, 'https://payments.example.com/webhooks/belvo');
    const wrong = await runCli(['register-webhook', '--url', 'https://payments.example.com/webhooks/belvo'], {
      ...env,
      BELVO_PAYMENTS_SECRET_ID: 'payments-id',
      BELVO_PAYMENTS_SECRET_PASSWORD: 'wrong',
    });
    assert.equal(wrong.code, EXIT_FAILED, 'the secret keys are right, but the payments keys are the ones used');
    assert.match(wrong.stderr, /HTTP 401: authentication_failed/);
  });

  test('one payments key without the other stops the command before Belvo is called, naming both', async () => {
    const calls = sandbox.simulator.calls.length;
    const run = await runCli(['register-webhook', '--url', 'https://payments.example.com/webhooks/belvo'], { ...env, BELVO_PAYMENTS_SECRET_ID: 'payments-id' });
    assert.equal(run.code, EXIT_FAILED);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /BELVO_PAYMENTS_SECRET_ID and BELVO_PAYMENTS_SECRET_PASSWORD must be set together/);
    assert.equal(sandbox.simulator.calls.length, calls);
  });

  test('--help says the dashboard is Belvo\'s documented way and the endpoint comes from an older payments guide', async () => {
    const run = await runCli(['--help'], env);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /dashboard/);
    assert.match(run.stderr, /older payments guide/);
    assert.match(run.stderr, /BELVO_PAYMENTS_SECRET_ID/);
  });
});

describe('register-webhook against a running demo, with no configuration', () => {
  let database: TestDatabase;
  let dataDir: string;
  let runtime: Runtime;
  let server: Server;
  let port: number;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'relink-demo-'));
    database = await createTestDatabase();
    runtime = createRuntime({ config: loadConfig({ DATA_DIR: dataDir }), db: database.db, logger: createLogger({ write: () => {} }) });
    server = await new Promise<Server>((resolve) => {
      const s = runtime.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the demo\'s own simulator registers it, with the keys in ./data/secrets.json, and then sends its webhooks with that header', async () => {
    const url = `http://127.0.0.1:${port}/webhooks/belvo`;
    // Only what an operator's shell has: the demo's port and data folder, as `npm start` uses them.
    const run = await runCli(['register-webhook', '--url', url], { PORT: String(port), DATA_DIR: dataDir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /the demo's Belvo simulator/);
    const value = run.stdout.trim();
    assert.match(value, BEARER);
    assert.equal(runtime.simulator!.registeredWebhookAuth(), value);
    assert.equal(runtime.simulator!.webhookRegistrations().at(-1)!.url, url);
  });
});

describe('webhookUrlProblem', () => {
  test('https anywhere, http only on loopback', () => {
    assert.equal(webhookUrlProblem('https://relink.example.com/webhooks/belvo'), undefined);
    assert.equal(webhookUrlProblem('http://127.0.0.1:3000/webhooks/belvo'), undefined);
    assert.equal(webhookUrlProblem('http://localhost:3000/webhooks/belvo'), undefined);
    assert.match(webhookUrlProblem('http://10.0.0.5/webhooks/belvo') ?? '', /must be https/);
    assert.match(webhookUrlProblem('ftp://relink.example.com/') ?? '', /must be https/);
    assert.match(webhookUrlProblem('https://user:pw@relink.example.com/') ?? '', /user name or password/);
    assert.match(webhookUrlProblem(undefined) ?? '', /required/);
  });
});
