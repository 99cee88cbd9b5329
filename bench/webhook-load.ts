// Load for POST /webhooks/belvo. Every request is a new webhook (a fresh webhook_id, and for the
// product a link of its own), as Belvo's traffic is. Responses are counted per request, and the
// ids the server acknowledged with a 202 are kept for the final check.
import autocannon from 'autocannon';
import http from 'node:http';

export const WEBHOOK_PATH = '/webhooks/belvo';
const REQUEST_TIMEOUT_MS = 10_000;

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

function headers(target: LoadTarget): Record<string, string> {
  return { 'content-type': 'application/json', authorization: target.authorization };
}

function emptyResult(): LoadResult {
  return { requests: 0, seconds: 0, latencies: [], otherStatuses: {}, errors: 0 };
}

function countAnswer(result: LoadResult, status: number, ms: number): void {
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
    headers: headers(target),
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

/**
 * Open loop: one new webhook every 1000/rate ms on a steady schedule, whatever the server does, so
 * a slow answer cannot hold the next request back and hide its own delay. Latency runs from the
 * moment the request is issued (including any wait for a free connection) to the end of its answer.
 */
export function steadyRate(target: LoadTarget, rate: number, seconds: number, maxSockets: number): Promise<LoadResult> {
  const result = emptyResult();
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const url = new URL(WEBHOOK_PATH, target.url);
  const total = Math.round(rate * seconds);
  let issued = 0;
  let settled = 0;
  const started = performance.now();

  return new Promise((resolve) => {
    function settle(): void {
      settled += 1;
      if (settled < total) return;
      result.seconds = (performance.now() - started) / 1000;
      agent.destroy();
      resolve(result);
    }

    function send(): void {
      const webhook = target.next();
      const sentAt = performance.now();
      let done = false;
      const fail = () => {
        if (done) return;
        done = true;
        result.errors += 1;
        settle();
      };
      const request = http.request(url, { method: 'POST', agent, headers: headers(target), timeout: REQUEST_TIMEOUT_MS }, (res) => {
        res.on('error', fail);
        res.resume();
        res.on('end', () => {
          if (done) return;
          done = true;
          countAnswer(result, res.statusCode ?? 0, performance.now() - sentAt);
          if (res.statusCode === 202) target.acknowledged?.add(webhook.id);
          settle();
        });
      });
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', fail);
      request.end(webhook.body);
    }

    // Timers fire about once a millisecond; each tick sends whatever the schedule says is due.
    function tick(): void {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000));
      while (issued < due) {
        issued += 1;
        send();
      }
      if (issued < total) setTimeout(tick, 1);
    }
    tick();
  });
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
