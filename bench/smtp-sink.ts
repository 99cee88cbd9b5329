// A local SMTP server that takes `delayMs` to accept each message, as a real relay does, and keeps
// nothing but a count. Plain SMTP on loopback (no STARTTLS), no authentication.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  readonly received: number;
  readonly mostConnections: number;
  close(): Promise<void>;
}

export async function startSmtpSink(delayMs: number): Promise<SmtpSink> {
  let received = 0;
  let open = 0;
  let most = 0;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 1_000,
    onConnect(_session, callback) {
      open += 1;
      most = Math.max(most, open);
      callback();
    },
    onClose() {
      open -= 1;
    },
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        setTimeout(() => {
          received += 1;
          callback();
        }, delayMs);
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    get mostConnections() {
      return most;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
