// A worker in a process of its own (crashing-worker.ts) over a test's database, for tests that kill
// it mid-work: the environment it and the test's own runtime share, and the spawn.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './database.ts';
import { API_KEY, WEBHOOK_AUTH } from './test-app.ts';

/** Configuration for both sides: the test's database, Belvo unreachable (no test here calls it). */
export function workerProcessEnv(database: TestDatabase, dataDir: string, extra: Record<string, string>): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PUBLIC_URL: 'https://relink.example.com',
    BELVO_API_URL: 'http://127.0.0.1:9/',
    BELVO_SECRET_ID: 'id',
    BELVO_SECRET_PASSWORD: 'password',
    BELVO_WEBHOOK_AUTH: WEBHOOK_AUTH,
    OPERATOR_API_KEY: API_KEY,
    ...extra,
  };
}

export function spawnWorkerProcess(database: TestDatabase, env: Record<string, string>, leaseMs: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./crashing-worker.ts', import.meta.url))], {
    env: { ...process.env, ...env, RELINK_TEST_SCHEMA: database.schema ?? '', RELINK_TEST_LEASE_MS: String(leaseMs) },
    stdio: 'ignore',
  });
}
