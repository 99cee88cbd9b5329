// Load for POST /webhooks/belvo. Every request is a new webhook (a fresh webhook_id, and for the
// product a link of its own), as Belvo's traffic is. Responses are counted per request, and the
// ids the server acknowledged with a 202 are kept for the final check.
import autocannon from 'autocannon';
import http from 'node:http';
import { startThread } from '../server/thread-entry.ts';

export const WEBHOOK_PATH = '/webhooks/belvo';
export const REQUEST_TIMEOUT_MS = 10_000;

export interface LoadTarget {
  url: string;
  authorization: string;
  /** The next webhook to send. */
  next(): { id: string; body: string };
  /** Ids answered 202 are added here, when given. */
  acknowledged?: Set<string>;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** Response times in milliseconds, one per answered request. */
  latencies: number[];
  /** Answers other than 202, by status. */
  otherStatuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
}

interface WebhookContext {
  id: string;
}

export function webhookHeaders(authorization: string): Record<string, string> {
  return { 'content-type': 'application/json', authorization };
}

export function emptyResult(): LoadResult {
  return { requests: 0, seconds: 0, latencies: [], otherStatuses: {}, errors: 0 };
}

export function countAnswer(result: LoadResult, status: number, ms: number): void {
  result.requests += 1;
  result.latencies.push(ms);
  if (status !== 202) result.otherStatuses[status] = (result.otherStatuses[status] ?? 0) + 1;
}

/** Closed loop: `connections` clients each send the next webhook as soon as the last is answered. */
export async function saturate(target: LoadTarget, connections: number, seconds: number): Promise<LoadResult> {
  const result = emptyResult();
  // autocannon resets the context before building each request and hands it back with that
  // request's answer (one request in flight per connection), so it carries the id between them.
  const requests: autocannon.Request[] = [
    {
      setupRequest(request, context) {
        const webhook = target.next();
        (context as WebhookContext).id = webhook.id;
        return { ...request, body: webhook.body };
      },
      onResponse(status, _body, context) {
        if (status === 202) target.acknowledged?.add((context as WebhookContext).id);
      },
    },
  ];
  const options: autocannon.Options = {
    url: target.url + WEBHOOK_PATH,
    connections,
    duration: seconds,
    timeout: REQUEST_TIMEOUT_MS / 1000,
    method: 'POST',
    headers: webhookHeaders(target.authorization),
    requests,
  };
  const summary = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err, done) => (err ? reject(err) : resolve(done)));
    instance.on('response', (_client, status, _bytes, ms) => countAnswer(result, status, ms));
  });
  result.seconds = summary.duration;
  result.errors = summary.errors;
  return result;
}

/** What the steady-load thread is given: the bodies to send, in order, one every 1000/rate ms. */
export interface SteadyWork {
  url: string;
  authorization: string;
  bodies: string[];
  rate: number;
  maxSockets: number;
}

/** What it hands back: the answers, and which bodies (by position) were answered 202. */
export interface SteadyAnswer {
  result: LoadResult;
  accepted: number[];
}

/**
 * Open loop: one new webhook every 1000/rate ms on a steady schedule, whatever the server does, so
 * a slow answer cannot hold the next request back and hide its own delay. Latency runs from the
 * moment the request is issued (including any wait for a free connection) to the end of its answer.
 * The webhooks are made first; a thread of their own sends them (steady-load-thread.ts).
 */
export async function steadyRate(target: LoadTarget, rate: number, seconds: number, maxSockets: number): Promise<LoadResult> {
  const webhooks = Array.from({ length: Math.round(rate * seconds) }, () => target.next());
  const work: SteadyWork = { url: target.url, authorization: target.authorization, bodies: webhooks.map((w) => w.body), rate, maxSockets };
  const thread = startThread(new URL('./steady-load-thread', import.meta.url), { workerData: work });
  const answer = await new Promise<SteadyAnswer>((resolve, reject) => {
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`the steady-load thread ended (code ${code}) before answering`)));
  });
  await thread.terminate();
  for (const index of answer.accepted) target.acknowledged?.add(webhooks[index]!.id);
  return answer.result;
}

/** Latency of GET `path`, asked every `everyMs` until `stop` resolves: how a load balancer sees the process. */
export async function probe(url: string, everyMs: number, stop: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (!stopped) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const request = http.get(url, { agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', () => {
        latencies.push(REQUEST_TIMEOUT_MS);
        resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  agent.destroy();
  return latencies;
}
