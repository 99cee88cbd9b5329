// 10,000 e-mails queued at once, sent by the product (`npm start`) to a local SMTP server that takes
// 50 ms to accept each one, as a real relay does: how long until the last is sent, and how /readyz
// answers meanwhile. SEND_CONCURRENCY and SMTP_MAX_CONNECTIONS are the product's defaults unless
// the caller sets them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countWhere, createBenchDatabase, seedQueuedEmails, seedUserAndLinks, type DatabaseKind } from './bench-database.ts';
import { percentile, progress, waitFor } from './bench-os.ts';
import { productEnv, startProduct } from './bench-product.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { probe } from './webhook-load.ts';

export interface DrainOptions {
  messages: number;
  smtpDelayMs: number;
  /** Variables for the product beyond its defaults (SEND_CONCURRENCY, SMTP_MAX_CONNECTIONS). */
  env: Record<string, string>;
}

export const DEFAULT_DRAIN: DrainOptions = { messages: 10_000, smtpDelayMs: 50, env: {} };
const TIMEOUT_MS = 15 * 60_000;

export interface DrainFigures {
  messages: number;
  /** From the first message sent to the last, in seconds. */
  seconds: number;
  perSecond: number;
  /** The most SMTP connections open at once. */
  smtpConnections: number;
  /** The least time the SMTP server alone allows at that many connections: messages × its delay / connections. */
  floorSeconds: number;
  readyzP99: number;
  readyzMax: number;
  env: Record<string, string>;
}

export async function drainBench(kind: DatabaseKind, options: DrainOptions = DEFAULT_DRAIN): Promise<DrainFigures> {
  const bench = await createBenchDatabase(kind);
  const smtp = await startSmtpSink(options.smtpDelayMs);
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-drain-'));
  try {
    const now = Date.now();
    const userId = await seedUserAndLinks(bench, [], now);
    await seedQueuedEmails(bench, userId, options.messages, now);
    progress(`drain (${kind}): ${options.messages.toLocaleString('en-US')} e-mails queued, SMTP takes ${options.smtpDelayMs} ms each`);
    const product = await startProduct(productEnv({ dataDir: dir, databaseUrl: bench.url, smtpUrl: smtp.url, extra: options.env }));
    let endProbe!: () => void;
    const ready = probe(`${product.url}/readyz`, 100, new Promise<void>((resolve) => (endProbe = resolve)));
    try {
      await waitFor('every e-mail sent', async () => (await countWhere(bench, 'outbox', ['pending', 'running'])) === 0, TIMEOUT_MS, 250);
    } finally {
      endProbe();
      await product.stop();
    }
    const latencies = await ready;
    const row = (await bench.db('outbox').where('state', 'done').min({ first: 'sent_at' }).max({ last: 'sent_at' }).count({ n: '*' }).first()) as {
      first: number | string;
      last: number | string;
      n: number | string;
    };
    const seconds = (Number(row.last) - Number(row.first)) / 1000 + options.smtpDelayMs / 1000;
    return {
      messages: Number(row.n),
      seconds,
      perSecond: Number(row.n) / seconds,
      smtpConnections: smtp.mostConnections,
      floorSeconds: (Number(row.n) * options.smtpDelayMs) / 1000 / smtp.mostConnections,
      readyzP99: percentile(latencies, 99),
      readyzMax: Math.max(...latencies),
      env: options.env,
    };
  } finally {
    await smtp.close();
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
