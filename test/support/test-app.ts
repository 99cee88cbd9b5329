// The whole portal for one test, built by the same createRuntime as the real process: a fresh
// database, configuration from an environment object, a manual clock and, unless the test brings
// its own Belvo, the simulator on loopback. It listens on a loopback port for browser tests; other
// tests talk to `app` through supertest and run the worker by hand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import type { PortalLimits } from '../../server/portal/portal-routes.ts';
import { createRuntime, type Runtime } from '../../server/runtime.ts';
import { startBelvoSimulator, type RunningBelvoSimulator } from './belvo-simulator-server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { manualClock, type ManualClock } from './manual-clock.ts';

export const WEBHOOK_AUTH = 'Bearer test-webhook-token-0123456789abcdef';
export const API_KEY = 'test-operator-key-0123456789abcdef';
export const APP_SECRET = 'test-app-secret-0123456789abcdef0123456789';
/** My Belvo Portal's public page, on a host of our own so that no test reaches Belvo. */
export const RENEW_URL = 'https://meuportal.belvo.example/?mode=landing';

export interface TestApp extends Runtime {
  config: Config;
  database: TestDatabase;
  clock: ManualClock;
  /** Every log line the app wrote, for tests that check what is (not) logged. */
  logs: string[];
  /** Origin of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  belvoUrl: string;
  simulatorServer: RunningBelvoSimulator | undefined;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Where Belvo is; by default a fresh simulator on loopback. */
  belvoUrl?: string;
  /** How long the simulator's `slow` password takes to answer. */
  slowDelayMs?: number;
  /** The Belvo client's timeout. */
  belvoTimeoutMs?: number;
  /** How long the operator's webhook endpoint has to answer. */
  webhookTimeoutMs?: number;
  portalLimits?: Partial<PortalLimits>;
  /**
   * PUBLIC_URL is the listening server itself, for browser tests that follow a redirect back to us
   * (the Connect widget's callbacks). By default it is https://relink.example.com.
   */
  publicUrlIsServer?: boolean;
}

/** Listens before the app exists, so that PUBLIC_URL can name the port. */
function listen(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relink-app-'));
  const clock = manualClock();
  const simulatorServer = options.belvoUrl
    ? undefined
    : await startBelvoSimulator({ clock, slowDelayMs: options.slowDelayMs ?? 400 });
  const belvoUrl = options.belvoUrl ?? simulatorServer!.url;
  const database = await createTestDatabase();
  const server = await listen();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    APP_SECRET,
    PUBLIC_URL: options.publicUrlIsServer ? url : 'https://relink.example.com',
    BELVO_API_URL: belvoUrl,
    BELVO_SECRET_ID: simulatorServer?.secretId ?? 'test-secret-id',
    BELVO_SECRET_PASSWORD: simulatorServer?.secretPassword ?? 'test-secret-password',
    BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
    OPERATOR_API_KEY: API_KEY,
    MY_BELVO_PORTAL_URL: RENEW_URL,
    OPEN_FINANCE_TERMS_URL: 'https://fintech.example/terms',
    ...(simulatorServer ? { BELVO_WIDGET_URL: `${simulatorServer.url}/widget/` } : {}),
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
    belvoTimeoutMs: options.belvoTimeoutMs ?? 2_000,
    ...(options.webhookTimeoutMs ? { webhookTimeoutMs: options.webhookTimeoutMs } : {}),
    // The manual clock stands still, so every request of a test file would share one rate-limit window.
    portalLimits: { perIp: { limit: 100_000, windowMs: 60_000 }, ...options.portalLimits },
  });
  server.on('request', runtime.app);
  return {
    ...runtime,
    config,
    database,
    clock,
    logs,
    url,
    belvoUrl,
    simulatorServer,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.worker.stop();
      await database.close();
      await simulatorServer?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
