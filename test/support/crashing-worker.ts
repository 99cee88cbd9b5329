// A worker in a process of its own, so a test can kill it with SIGKILL in the middle of a send.
// Configuration comes from the environment, as for the real process; RELINK_TEST_SCHEMA names the
// PostgreSQL schema of the test's database, RELINK_TEST_LEASE_MS the lease it claims work with.
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime } from '../../server/runtime.ts';
import { openTestDatabase } from './database.ts';

const config = loadConfig();
const db = openTestDatabase(config.databaseUrl, process.env['RELINK_TEST_SCHEMA'] || undefined);
const runtime = createRuntime({
  config,
  db,
  logger: createLogger({ write: () => {} }),
  leaseMs: Number(process.env['RELINK_TEST_LEASE_MS']),
  pollMs: 50,
});
runtime.worker.start();
process.stdout.write('worker started\n');
