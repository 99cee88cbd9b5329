// The worker thread records its samples (messages, Belvo calls, case changes) like any code, but
// the registry that /metrics reads is the web thread's: the worker thread sends them over its port
// in batches, and the web thread records them as its own. A thread that dies loses at most the
// batch it had not sent yet.
import type { MessagePort } from 'node:worker_threads';
import { record, setSampleSink, type Sample } from './samples.ts';

/** How long samples wait on the worker thread before going over: one message, whatever their number. */
const BATCH_MS = 500;

export interface SampleBatch {
  relinkSamples: Sample[];
}

export function isSampleBatch(message: unknown): message is SampleBatch {
  return typeof message === 'object' && message !== null && Array.isArray((message as SampleBatch).relinkSamples);
}

/** On the worker thread: this thread's samples go to `port` from now on. `flush` sends what waits (before exiting). */
export function forwardSamplesTo(port: MessagePort): { flush(): void } {
  let pending: Sample[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    port.postMessage({ relinkSamples: pending } satisfies SampleBatch);
    pending = [];
  };
  setSampleSink((sample) => {
    pending.push(sample);
    timer ??= setTimeout(flush, BATCH_MS).unref();
  });
  return { flush };
}

/** On the web thread: a batch from the worker thread, recorded as if it had been recorded here. */
export function receiveSamples(batch: SampleBatch): void {
  for (const sample of batch.relinkSamples) record(sample);
}
