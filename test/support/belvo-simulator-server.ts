// The Belvo simulator on a real loopback port, mounted where the demo mounts it (/sandbox/belvo),
// so tests call it over HTTP exactly as the portal calls Belvo.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  createBelvoSimulator,
  type BelvoSimulator,
  type BelvoSimulatorOptions,
} from '../../server/sandbox/belvo-simulator.ts';

export interface RunningBelvoSimulator {
  /** The apiUrl to give the Belvo client. */
  url: string;
  secretId: string;
  secretPassword: string;
  simulator: BelvoSimulator;
  close(): Promise<void>;
}

export async function startBelvoSimulator(
  options: Partial<BelvoSimulatorOptions> = {},
): Promise<RunningBelvoSimulator> {
  const secretId = options.secretId ?? 'test-secret-id';
  const secretPassword = options.secretPassword ?? 'test-secret-password';
  const simulator = createBelvoSimulator({ keepBodies: true, ...options, secretId, secretPassword });
  const app = express();
  app.use('/sandbox/belvo', simulator.router);

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/sandbox/belvo`,
    secretId,
    secretPassword,
    simulator,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hung and slow calls would otherwise hold the server open.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
