// The product under measurement, as `npm start` runs it: the compiled build in a process of its
// own (its worker thread included), configured by its environment only, like a production
// deployment: real Belvo keys (never called: the bench's links are registered with their bank),
// a brand, support, and either the dev inbox or a local SMTP server for e-mail.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort, peakRss, residentSetSize, waitFor } from './bench-os.ts';
import { startCommand } from './start-command.ts';

const MAIN = fileURLToPath(new URL('../server/main.js', import.meta.url));
/** The variables and node options `npm start` sets, so the bench runs the product as it does. */
const START = startCommand();
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export const WEBHOOK_AUTH = `Bearer ${randomBytes(24).toString('base64url')}`;

/** The operator the bench plays: its brand, support address and sender, for the product and for the drain's yardstick alike. */
export const BENCH_OPERATOR = { brandName: 'Bench Fintech', supportEmail: 'support@bench.example', mailFrom: 'no-reply@bench.example' } as const;

export interface Product {
  url: string;
  pid: number;
  peakRss(): number;
  rss(): number;
  output(): string;
  stop(): Promise<void>;
}

/** Production settings, a database and, optionally, a real SMTP server and more variables. */
export function productEnv(options: { dataDir: string; databaseUrl: string; smtpUrl?: string; extra?: Record<string, string> }) {
  return {
    NODE_ENV: 'production',
    DATA_DIR: options.dataDir,
    DATABASE_URL: options.databaseUrl,
    PUBLIC_URL: 'https://relink.example.com',
    APP_SECRET: randomBytes(32).toString('base64url'),
    BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
    OPERATOR_API_KEY: randomBytes(24).toString('base64url'),
    ADMIN_PASSWORD: randomBytes(12).toString('base64url'),
    BELVO_SECRET_ID: 'bench-secret-id',
    BELVO_SECRET_PASSWORD: 'bench-secret-password',
    BELVO_API_URL: 'http://127.0.0.1:9/',
    BRAND_NAME: BENCH_OPERATOR.brandName,
    SUPPORT_EMAIL: BENCH_OPERATOR.supportEmail,
    // Thousands of links of one bank breaking within minutes is what the storm guard holds: the
    // benches measure how fast everything is worked off and sent, so they run without it.
    STORM_GUARD: 'off',
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl, MAIL_FROM: `${BENCH_OPERATOR.brandName} <${BENCH_OPERATOR.mailFrom}>` } : {}),
    ...options.extra,
  };
}

export async function startProduct(env: Record<string, string>): Promise<Product> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [...START.nodeOptions, MAIN], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/', ...START.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    // The last lines are what explain a failure; the rest would only hold memory.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor('the product to answer /healthz', async () => {
      if (child.exitCode !== null) throw new Error(`the product exited with code ${child.exitCode}`);
      return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true;
    }, START_TIMEOUT_MS);
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`);
  }
  const pid = child.pid!;
  return { url, pid, peakRss: () => peakRss(pid), rss: () => residentSetSize(pid), output: () => output, stop };
}
