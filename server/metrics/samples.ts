// What the code counts and times, as samples: small tuples that the registry (registry.ts) turns
// into Prometheus metrics, on this thread or after a trip over the worker thread's port
// (thread-samples.ts). Until a registry is installed (metrics off, or a thread that forwards), a
// sample costs one call to a function that does nothing, so the hot paths record unconditionally.

export type WebhookOutcome = 'accepted' | 'duplicate' | 'invalid' | 'unauthorized' | 'limited' | 'error';
export type MessageStatus = 'sent' | 'failed' | 'retried';
export type DeliveryStatus = 'delivered' | 'retried' | 'failed';

/** [metric, its label values in order, an amount (counters) or an observation in seconds (timings)]. */
export type Sample =
  | ['webhooks', [type: string, outcome: WebhookOutcome], number]
  | ['messages', [channel: string, status: MessageStatus], number]
  | ['cases', [kind: string, status: string], number]
  | ['belvo', [operation: string, status: string], number]
  | ['http', [route: string, method: string, status: string], number]
  | ['retention', [table: string], number]
  | ['operatorWebhooks', [status: DeliveryStatus], number];

export type SampleSink = (sample: Sample) => void;

let sink: SampleSink = () => {};

/** Where samples go from now on: the registry on the thread that serves /metrics, the port on another. */
export function setSampleSink(next: SampleSink): void {
  sink = next;
}

export function record(sample: Sample): void {
  sink(sample);
}

/** A Belvo webhook answered: `type` is a known webhook type or `other`. */
export function countWebhook(type: string, outcome: WebhookOutcome): void {
  sink(['webhooks', [type, outcome], 1]);
}

export function countMessage(channel: string, status: MessageStatus): void {
  sink(['messages', [channel, status], 1]);
}

/** A case took a status: opened in it, or moved to it. */
export function countCaseStatus(kind: string, status: string): void {
  sink(['cases', [kind, status], 1]);
}

/** One call to Belvo: `operation` is the call's template (PUT /api/links/{id}/), `status` its HTTP status or why there was none. */
export function timeBelvoRequest(operation: string, status: string, seconds: number): void {
  sink(['belvo', [operation, status], seconds]);
}

/** One HTTP request: `route` is a pattern, never a path (a portal link's path holds its signed token). */
export function timeHttpRequest(route: string, method: string, status: number, seconds: number): void {
  sink(['http', [route, method, String(status)], seconds]);
}

/** Rows retention deleted, by table. */
export function countRetentionDeletions(counts: Record<string, number>): void {
  for (const [table, rows] of Object.entries(counts)) if (rows > 0) sink(['retention', [table], rows]);
}

/** One attempt to post an operator webhook: delivered (a 2xx), retried (tried again later), failed (for good). */
export function countOperatorWebhook(status: DeliveryStatus): void {
  sink(['operatorWebhooks', [status], 1]);
}
