// How busy the web thread's event loop is, shared with the worker threads of the same process. When
// the web thread is nearly saturated (a burst of webhooks), the worker pauses between rounds and
// leaves it the CPU: acknowledging Belvo inside its 5 s comes first, and the backlog is worked off
// once the burst is over (worker.ts bounds each pause). Processes without a web thread
// (RELINK_ROLE=worker) never pause.
import { performance } from 'node:perf_hooks';

const SAMPLE_EVERY_MS = 100;
/** Above this share of the last sample's time spent working, the web thread counts as busy. */
const BUSY_PERCENT = 80;

export function createWebLoadBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

/** Runs on the web thread: writes its event loop utilization (percent) every 100 ms. */
export function publishWebLoad(buffer: SharedArrayBuffer): () => void {
  const cells = new Int32Array(buffer);
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    Atomics.store(cells, 0, Math.round(performance.eventLoopUtilization(now, last).utilization * 100));
    last = now;
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Runs on a worker thread: whether the web thread is busy right now. */
export function webIsBusy(buffer: SharedArrayBuffer): () => boolean {
  const cells = new Int32Array(buffer);
  return () => Atomics.load(cells, 0) >= BUSY_PERCENT;
}
