// 10,000 e-mails queued at once, sent by the product (`npm start`) to a local SMTP server that takes
// 50 ms to accept each one, as a real relay does: how long until the last is sent, and how /readyz
// answers meanwhile, with the settings of DRAIN_SETTINGS unless the caller gives others. The
// yardstick: the product's e-mail channel alone (nodemailer's pool over the same number of
// connections) sending as many copies of one rendered e-mail to a server just as slow, with no
// database and no worker: what the SMTP conversation itself allows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeOnPostgres, createBenchDatabase, seedQueuedEmails, seedUserAndLinks, unfinished, type DatabaseKind } from './bench-database.ts';
import { percentile, progress, waitFor } from './bench-os.ts';
import { BENCH_OPERATOR, productEnv, startProduct } from './bench-product.ts';
import { startSmtpSink } from './smtp-sink.ts';
import { createBrand } from '../server/brand/brand.ts';
import { createEmailChannel } from '../server/channels/email-channel.ts';
import { createMessageRenderer } from '../server/messages/render-message.ts';
import { probe } from './webhook-load.ts';

export interface DrainOptions {
  messages: number;
  smtpDelayMs: number;
  /** Variables for the product beyond its defaults (SMTP_MAX_CONNECTIONS, WORKER_THREADS, …), in each of its processes. */
  env: Record<string, string>;
  /** Processes of the product beside the one `npm start` runs, each started with RELINK_ROLE=worker (a deployment's extra workers). */
  extraWorkers: number;
}

/**
 * The deployment the drain's target is measured on. At the product's default of 10 SMTP connections
 * the server's 50 ms alone allow no less than 50 s for 10,000 e-mails; under 30 s needs a relay that
 * takes 17 or more. So: 40 connections, and two worker threads to use both cores of the bench's
 * 2-core machines (`--drain-env=` with nothing after it measures the defaults).
 */
export const DRAIN_SETTINGS: Record<string, string> = { SMTP_MAX_CONNECTIONS: '40', WORKER_THREADS: '2' };

export const DEFAULT_DRAIN: DrainOptions = { messages: 10_000, smtpDelayMs: 50, env: DRAIN_SETTINGS, extraWorkers: 0 };
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
  extraWorkers: number;
}

/** Sends waiting on the pool beyond its connections, so that none stands idle for want of one. */
const SENDS_PER_CONNECTION = 3;

export interface ChannelAloneFigures {
  messages: number;
  connections: number;
  seconds: number;
}

async function renderedEmail() {
  const brand = createBrand({ name: BENCH_OPERATOR.brandName, support: { email: BENCH_OPERATOR.supportEmail } });
  return createMessageRenderer(brand)('email', 'bench.user@example.com', {
    template: 'remediation',
    caseKind: 'credentials',
    webhookCode: 'invalid_credentials',
    locale: 'es',
    portalUrl: 'https://relink.example.com/r/bench-token-of-the-same-length-as-a-real-one',
    userName: 'Bench',
    institutionName: 'Erebor',
    consentDueDate: null,
  });
}

/** The yardstick: the e-mail channel alone sends `options.messages` e-mails over `connections`, the most the drain had open. */
export async function channelAloneBench(options: DrainOptions, connections: number): Promise<ChannelAloneFigures> {
  const smtp = await startSmtpSink(options.smtpDelayMs);
  try {
    progress(`drain yardstick: the e-mail channel alone, ${options.messages.toLocaleString('en-US')} e-mails over ${connections} connections`);
    const message = await renderedEmail();
    const channel = createEmailChannel({ smtpUrl: smtp.url, from: { name: BENCH_OPERATOR.brandName, address: BENCH_OPERATOR.mailFrom }, maxConnections: connections });
    let next = 0;
    const started = performance.now();
    const sender = async () => {
      while (next < options.messages) {
        next += 1;
        await channel.send(message);
      }
    };
    await Promise.all(Array.from({ length: connections * SENDS_PER_CONNECTION }, sender));
    return { messages: smtp.received, connections, seconds: (performance.now() - started) / 1000 };
  } finally {
    await smtp.close();
  }
}

export async function drainBench(kind: DatabaseKind, options: DrainOptions = DEFAULT_DRAIN): Promise<DrainFigures> {
  const bench = await createBenchDatabase(kind);
  const smtp = await startSmtpSink(options.smtpDelayMs);
  const dir = mkdtempSync(join(tmpdir(), 'relink-bench-drain-'));
  try {
    const now = Date.now();
    const userId = await seedUserAndLinks(bench, [], now);
    await seedQueuedEmails(bench, userId, options.messages, now);
    // Statistics that know the queue, as autovacuum's within a minute of it. Taken before it, on
    // tables analysed empty, each claim read and sorted every waiting e-mail (6 ms for 8 of 10,000),
    // and the drain took 37 to 39 s where it takes 24 to 32 (README, Performance).
    await analyzeOnPostgres(bench);
    progress(`drain (${kind}): ${options.messages.toLocaleString('en-US')} e-mails queued, SMTP takes ${options.smtpDelayMs} ms each`);
    const env = productEnv({ dataDir: dir, databaseUrl: bench.url, smtpUrl: smtp.url, extra: options.env });
    const products = [await startProduct(env)];
    let endProbe!: () => void;
    const ready = probe(`${products[0]!.url}/readyz`, 100, new Promise<void>((resolve) => (endProbe = resolve)));
    try {
      for (let i = 0; i < options.extraWorkers; i += 1) products.push(await startProduct({ ...env, RELINK_ROLE: 'worker' }));
      await waitFor('every e-mail sent', async () => (await unfinished(bench, 'outbox')) === 0, TIMEOUT_MS, 250);
    } finally {
      endProbe();
      await Promise.all(products.map((product) => product.stop()));
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
      extraWorkers: options.extraWorkers,
    };
  } finally {
    await smtp.close();
    await bench.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
