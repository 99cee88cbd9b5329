// The product as `npm start` runs it: the compiled build (dist/, made by `npm run build`, which
// `npm test` runs first) with `npm start`'s variables and node options, in a process of its own,
// configured by its environment only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../../bench/start-command.ts';
import { freshSeedWebhook } from '../../server/sandbox/seed-webhooks.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { WEBHOOK_AUTH } from './test-app.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const COMPILED_MAIN = fileURLToPath(new URL('../../dist/server/main.js', import.meta.url));
const START_TIMEOUT_MS = 20_000;
/** The variables and node options `npm start` sets. */
const START = startCommand();

export interface ProductProcess {
  url: string;
  pid: number;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** DATABASE_URL for the product: the test's SQLite file, or its PostgreSQL schema as the search path. */
export function productDatabaseUrl(database: TestDatabase): string {
  if (database.schema === undefined) return database.url;
  const url = new URL(database.url);
  url.searchParams.set('options', `-c search_path=${database.schema}`);
  return url.toString();
}

/** Polls `check` until it holds; the test fails with `what` if it never does. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export async function startProduct(env: Record<string, string>): Promise<ProductProcess> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...START.nodeOptions, COMPILED_MAIN], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, ...START.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
  };
  try {
    await eventually('the product to answer /healthz', async () => child.exitCode !== null || (await fetch(`${url}/healthz`)).ok, START_TIMEOUT_MS);
    if (child.exitCode !== null) throw new Error(`the product exited with ${child.exitCode}`);
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`);
  }
  return { url, pid: child.pid!, output: () => output, stop };
}

/** The nice value of each of the process's threads (Linux, from /proc), the main thread's first. */
export function threadNiceValues(pid: number): { main: number; others: number[] } {
  const niceOf = (tid: string) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3 and nice field 19.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  };
  const others = readdirSync(`/proc/${pid}/task`).filter((tid) => tid !== String(pid));
  return { main: niceOf(String(pid)), others: others.map(niceOf) };
}

/** The demo's user (server/main.ts seeds it), whom the seeds' webhooks name. */
export const DEMO_EXTERNAL_ID = 'your_external_id';

/** Belvo's invalid_credentials webhook for `linkId` and the demo's user, as Belvo posts it; the answer's status. */
export async function postDemoWebhook(product: ProductProcess, linkId: string): Promise<number> {
  const res = await fetch(`${product.url}/webhooks/belvo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: WEBHOOK_AUTH },
    body: JSON.stringify(freshSeedWebhook('link-invalid-credentials', { linkId, externalId: DEMO_EXTERNAL_ID })),
  });
  return res.status;
}

/** Processes of one deployment: a test database and a data folder they share, Belvo's webhook token set. */
export interface ProductFleet {
  database: TestDatabase;
  start(env: Record<string, string>): Promise<ProductProcess>;
  /** Stops every process started, then drops the database and the folder. */
  close(): Promise<void>;
}

export async function productFleet(): Promise<ProductFleet> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-fleet-'));
  const started: ProductProcess[] = [];
  return {
    database,
    async start(env) {
      const product = await startProduct({
        DATA_DIR: dataDir,
        DATABASE_URL: productDatabaseUrl(database),
        BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
        ...env,
      });
      started.push(product);
      return product;
    },
    async close() {
      await Promise.all(started.map((p) => p.stop()));
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
