// A real HTTP server on 127.0.0.1 standing in for the operator's webhook endpoint: it keeps every
// request it gets, answers each as the test says (204 by default, or never, to wait out a timeout),
// and verifies nothing itself: tests verify signatures with standardwebhooks' own `verify`.
//
//   const receiver = await startWebhookReceiver();
//   receiver.answerWith(() => ({ status: 500 }));    // answer what arrives next with a 500
//   receiver.answerWith(() => 'hang');               // never answer (until close or release)
//   const [first] = await receiver.waitForRequests(1);
//   first.headers['webhook-id'], first.body, first.json
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Date.now() on arrival. */
  at: number;
}

export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  answerWith(answer: (request: ReceivedRequest) => Answer): void;
  /** Resolves once `count` requests have arrived in all, with the first `count`; fails after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Answers every request left hanging with this status. */
  release(status: number): void;
  /** The headers as a plain record, for standardwebhooks' verify. */
  signatureHeaders(request: ReceivedRequest): Record<string, string>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  let answer: (request: ReceivedRequest) => Answer = () => ({ status: 204 });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json: body ? JSON.parse(body) : undefined,
        at: Date.now(),
      };
      requests.push(request);
      for (const wake of [...waiters]) wake();
      const given = answer(request);
      if (given === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(given.status, given.headers ?? {}).end(given.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/relink/events`,
    requests,
    answerWith(next) {
      answer = next;
    },
    waitForRequests(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${requests.length} of ${count} requests arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (requests.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(requests.slice(0, count));
        };
        waiters.add(check);
        check();
      });
    },
    release(status) {
      for (const res of [...hanging]) res.writeHead(status).end();
    },
    signatureHeaders(request) {
      const pick = (name: string) => String(request.headers[name] ?? '');
      return { 'webhook-id': pick('webhook-id'), 'webhook-timestamp': pick('webhook-timestamp'), 'webhook-signature': pick('webhook-signature') };
    },
    async close() {
      for (const res of [...hanging]) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
