// SQLite lets one connection write at a time, and better-sqlite3 waits for the lock synchronously:
// a web thread that met a busy database would stall every request it serves. So the threads of one
// process take turns through this lock before they write, waiting asynchronously, and the web
// thread (the intake Belvo is timing) goes first: the worker starts no write transaction while the
// web thread waits for one. Writers in other processes still meet SQLITE_BUSY, which the client
// retries without blocking (sqlite-client.ts).
const HOLDER = 0;
const PRIORITY_WAITERS = 1;
/** Past this, waiting for the lock is an error, as SQLite's own busy timeout would be. */
export const WRITE_LOCK_TIMEOUT_MS = 5_000;

export interface WriteLock {
  acquire(): Promise<void>;
  release(): void;
}

export class WriteLockTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the database stayed busy for ${timeoutMs} ms`);
    this.name = 'WriteLockTimeoutError';
  }
}

/** The memory the threads of one process share for their lock; hand it to each thread. */
export function createWriteLockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

// Node has had Atomics.waitAsync since 16; TypeScript declares it only from lib ES2024, which would
// also admit APIs that Node 20 lacks.
const waitAsync = (Atomics as unknown as {
  waitAsync(cells: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

async function waitWhile(cells: Int32Array, index: number, value: number, deadline: { at: number; ms: number }): Promise<void> {
  const remaining = deadline.at - performance.now();
  if (remaining <= 0) throw new WriteLockTimeoutError(deadline.ms);
  const result = waitAsync(cells, index, value, remaining);
  if (result.async) await result.value;
}

/**
 * One thread's handle on the shared lock. `holder` names the thread (a positive number, unique in
 * the process), so that the lock of a thread that died holding it can be let go (releaseIfHeldBy).
 */
export function sharedWriteLock(
  buffer: SharedArrayBuffer,
  options: { holder: number; priority: boolean; timeoutMs?: number },
): WriteLock {
  const cells = new Int32Array(buffer);
  const { holder, priority } = options;
  const timeoutMs = options.timeoutMs ?? WRITE_LOCK_TIMEOUT_MS;
  if (!(holder > 0)) throw new Error('a write lock holder must be a positive number');

  async function take(deadline: { at: number; ms: number }): Promise<void> {
    for (;;) {
      if (!priority) {
        const waiting = Atomics.load(cells, PRIORITY_WAITERS);
        if (waiting > 0) {
          await waitWhile(cells, PRIORITY_WAITERS, waiting, deadline);
          continue;
        }
      }
      const current = Atomics.compareExchange(cells, HOLDER, 0, holder);
      if (current === 0) return;
      await waitWhile(cells, HOLDER, current, deadline);
    }
  }

  return {
    async acquire() {
      const deadline = { at: performance.now() + timeoutMs, ms: timeoutMs };
      if (!priority) return take(deadline);
      Atomics.add(cells, PRIORITY_WAITERS, 1);
      try {
        await take(deadline);
      } finally {
        Atomics.sub(cells, PRIORITY_WAITERS, 1);
        Atomics.notify(cells, PRIORITY_WAITERS);
      }
    },
    release() {
      Atomics.compareExchange(cells, HOLDER, holder, 0);
      Atomics.notify(cells, HOLDER);
    },
  };
}

/** Lets go of the lock if `holder` has it: for a thread that died in the middle of a write. */
export function releaseIfHeldBy(buffer: SharedArrayBuffer, holder: number): boolean {
  if (!(holder > 0)) return false;
  const cells = new Int32Array(buffer);
  const released = Atomics.compareExchange(cells, HOLDER, holder, 0) === holder;
  if (released) Atomics.notify(cells, HOLDER);
  return released;
}
