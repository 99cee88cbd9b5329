// The real portal, built by createRuntime as main.ts builds it, on a fresh SQLite file. The worker
// is not started: the benchmark measures intake (check, parse, record, answer) only.
// Arguments: <data dir> <Authorization value Belvo would send>.
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { createLogger } from '../server/logger.ts';
import { createRuntime } from '../server/runtime.ts';
import { serveForParent } from './serve-child.ts';

const [dataDir, webhookAuth] = process.argv.slice(2);
if (!dataDir || !webhookAuth) throw new Error('usage: portal-server.ts <data dir> <webhook auth>');

const config = loadConfig({
  DATA_DIR: dataDir,
  DATABASE_URL: `file:${join(dataDir, 'bench.db')}`,
  BELVO_WEBHOOK_AUTH: webhookAuth,
  BELVO_SECRET_ID: 'bench-secret-id',
  BELVO_SECRET_PASSWORD: 'bench-secret-password',
  // Never called: the worker, which is the only Belvo caller here, does not run.
  BELVO_API_URL: 'http://127.0.0.1:9/',
});
const logger = createLogger();
const { db, close } = await openDatabase(config.databaseUrl, logger);
const { app } = createRuntime({ config, db, logger });

await serveForParent(app, close);
