// The child side of a benchmarked server: listen on a random loopback port, tell the parent which,
// and leave when the parent lets go of us (it stops us, or it died), so no server outlives a run.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export async function serveForParent(app: Express, onClose: () => Promise<void> = async () => {}): Promise<void> {
  if (!process.send) throw new Error('start this file through bench/webhooks.ts (it needs an IPC channel)');
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close(() => {
      onClose().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  });
  process.send({ port: (server.address() as AddressInfo).port });
}
