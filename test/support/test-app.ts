// The whole portal for one test: a fresh database, configuration from an environment object, a
// manual clock and, unless the test brings its own, a Belvo simulator on loopback. Nothing here
// replaces our own code: tests talk to it over HTTP (supertest) and run the worker by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createRuntime, type Runtime } from '../../server/runtime.ts';
import { startBelvoSimulator } from './belvo-simulator-server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { manualClock, type ManualClock } from './manual-clock.ts';

export const WEBHOOK_AUTH = 'Bearer test-webhook-token-0123456789abcdef';
export const API_KEY = 'test-operator-key-0123456789abcdef';

export interface TestApp extends Runtime {
  config: Config;
  database: TestDatabase;
  clock: ManualClock;
  /** Every log line the app wrote, for tests that check what is (not) logged. */
  logs: string[];
  belvoUrl: string;
  simulatorServer: Awaited<ReturnType<typeof startBelvoSimulator>> | undefined;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Where Belvo is; by default a fresh simulator on loopback. */
  belvoUrl?: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-app-'));
  const clock = manualClock();
  const simulatorServer = options.belvoUrl ? undefined : await startBelvoSimulator({ clock });
  const belvoUrl = options.belvoUrl ?? simulatorServer!.url;
  const database = await createTestDatabase();
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'https://relink.example.com',
    BELVO_API_URL: belvoUrl,
    BELVO_SECRET_ID: 'test-secret-id',
    BELVO_SECRET_PASSWORD: 'test-secret-password',
    BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
    OPERATOR_API_KEY: API_KEY,
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const runtime = createRuntime({
    config,
    db: database.db,
    clock,
    logger,
    random: () => 0.5,
    // The manual clock stands still, so every request of a test file would share one rate-limit window.
    portalLimits: { perIp: { limit: 100_000, windowMs: 60_000 } },
  });
  return {
    ...runtime,
    config,
    database,
    clock,
    logs,
    belvoUrl,
    simulatorServer,
    async close() {
      await runtime.worker.stop();
      await database.close();
      await simulatorServer?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
