// Process entry: configuration, database and migrations, then what RELINK_ROLE asks for: the web
// server on this thread, the background worker on threads of its own (WORKER_THREADS, one by
// default), each with its own database connection, or both (the default). SIGTERM and SIGINT stop
// taking requests, let the worker finish its round, and close the database.
import type { Server } from 'node:http';
import { threadId } from 'node:worker_threads';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { isPostgresUrl, openDatabase } from './db/database.ts';
import { createWriteLockBuffer, sharedWriteLock } from './db/sqlite-write-lock.ts';
import { createHealthRouter } from './http/health-routes.ts';
import { createLogger, type Logger } from './logger.ts';
import { observeRequests } from './observability.ts';
import { createWebRuntime } from './web-runtime.ts';
import { findUserByExternalId, upsertUser } from './users/user-repository.ts';
import { startWorkerThreads, type WorkerHost } from './worker/worker-host.ts';
import { createWebLoadBuffer, publishWebLoad } from './worker/web-load.ts';

/** The seeds' webhooks name this external_id; in the demo it belongs to a user whose mail lands in the dev inbox. */
const DEMO_EXTERNAL_ID = 'your_external_id';

async function seedDemoUser(db: Knex): Promise<void> {
  if (await findUserByExternalId(db, DEMO_EXTERNAL_ID)) return;
  await upsertUser(db, DEMO_EXTERNAL_ID, { email: 'demo.user@example.com', phone: '+5215512345678', name: 'Demo' }, systemClock.now());
}

/**
 * In production nobody reads the dev inbox (it is never served), so a channel left on it sends to
 * no one while its cases say "sent". Said where messages are sent, so it is read at deploy time.
 */
function warnOfUnsentChannels(config: Config, logger: Logger): void {
  if (!config.production || config.role === 'web') return;
  const unset = [...(config.smtpUrl ? [] : ['e-mail (SMTP_URL)']), ...(config.twilio ? [] : ['SMS (TWILIO_ACCOUNT_SID)'])];
  if (unset.length === 0) return;
  logger.warn(`NODE_ENV=production with ${unset.join(' and ')} unset: those messages go to the dev inbox, which production never shows, so nobody receives them`, {
    dev_inbox_channels: unset,
  });
}

function describeStart(config: Config, logger: Logger): void {
  const demo = config.belvo.simulator;
  logger.info('relink started', {
    role: config.role,
    url: config.publicUrl,
    database: config.databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql',
    belvo: demo ? 'built-in simulator' : config.belvo.apiUrl,
    email: config.smtpUrl ? 'smtp' : 'dev inbox',
    sms: config.twilio ? 'twilio' : 'dev inbox',
    webhook_auth: config.belvo.webhookAuth ? 'required' : 'not configured: any sender accepted (demo only)',
  });
  warnOfUnsentChannels(config, logger);
  if (config.publicUrl.startsWith('https:') && config.trustProxy === undefined) {
    logger.warn('PUBLIC_URL is https but TRUST_PROXY is unset: behind a proxy, session cookies will not be marked Secure and rate limits will see the proxy address');
  }
  if (!config.production && config.role !== 'worker') {
    process.stdout.write(
      [
        '',
        `  Relink demo is running at ${config.publicUrl}`,
        `  Fire Belvo's webhooks:   ${config.publicUrl}/dev`,
        `  Read what users receive: ${config.publicUrl}/dev/inbox`,
        `  Operator API key:        ${config.operatorApiKey}`,
        `  Operator console:        ${config.publicUrl}/admin  (password: ${config.adminPasswordGenerated ? config.adminPassword : 'ADMIN_PASSWORD'})`,
        '',
      ].join('\n') + '\n',
    );
  }
}

function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}

/**
 * A worker-only process still answers /healthz and /readyz (its thread alive, its database
 * answering) and, unless metrics are off, /metrics: what its worker thread counted.
 */
function workerOnlyApp(config: Config, db: Knex, logger: Logger, worker: WorkerHost): Express {
  const app = express();
  app.disable('x-powered-by');
  observeRequests(app, { config, db, clock: systemClock, logger });
  app.use(createHealthRouter({ db, workerRunning: () => worker.running() }));
  return app;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const serveWeb = config.role !== 'worker';
  // SQLite has one writer: the threads that write take turns, the web thread first.
  const writingThreads = (serveWeb ? 1 : 0) + (config.role === 'web' ? 0 : config.worker.threads);
  const writeLock = writingThreads > 1 && !isPostgresUrl(config.databaseUrl) ? createWriteLockBuffer() : undefined;
  const { db, close: closeDatabase } = await openDatabase(config.databaseUrl, logger, {
    ...(writeLock ? { writeLock: sharedWriteLock(writeLock, { holder: threadId + 1, priority: serveWeb }) } : {}),
    checkpoints: config.role === 'web' ? 'own thread' : 'worker thread',
  });
  const webLoad = config.role === 'all' ? createWebLoadBuffer() : undefined;
  if (webLoad) publishWebLoad(webLoad);
  if (serveWeb && config.belvo.simulator) await seedDemoUser(db);
  let worker: WorkerHost | undefined;
  const app = serveWeb
    ? createWebRuntime({ config, db, logger, wakeWorker: () => worker?.wake() }).app
    : workerOnlyApp(config, db, logger, (worker = startWorkerThreads({ config, writeLock, webLoad, logger })));
  const server = await listen(app, config.port);
  // Belvo gives up after 5 s; a connection idle longer than Node's default keep-alive is not worth holding.
  server.requestTimeout = 30_000;
  // After listening: in the demo, the worker asks the built-in Belvo simulator, on this server.
  if (config.role === 'all') worker = startWorkerThreads({ config, writeLock, webLoad, logger });
  describeStart(config, logger);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await worker?.stop();
    await closeDatabase();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

await main();
