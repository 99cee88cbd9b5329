// The worker's loops: each task in a loop of its own (a slow one holds up nobody else), several
// lanes of a task side by side, and the loops giving way while the web thread is saturated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../server/logger.ts';
import type { WorkerTask } from '../../server/jobs/worker-task.ts';
import { createWorker } from '../../server/worker/worker.ts';

/** A task whose every run waits until the test lets it finish. */
function gatedTask(name: string, lanes = 1) {
  const waiting: Array<() => void> = [];
  let runs = 0;
  const task: WorkerTask = {
    name,
    lanes,
    run: () => {
      runs += 1;
      return new Promise<number>((resolve) => waiting.push(() => resolve(1)));
    },
  };
  return {
    task,
    runs: () => runs,
    inFlight: () => waiting.length,
    releaseAll() {
      for (const release of waiting.splice(0)) release();
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

test('a task stuck in a long run holds up no other task, and lanes of one task run side by side', async () => {
  const slow = gatedTask('slow');
  const laned = gatedTask('laned', 3);
  let quickRuns = 0;
  const quick: WorkerTask = { name: 'quick', run: async () => (++quickRuns < 5 ? 1 : 0) };
  const worker = createWorker({ tasks: [slow.task, laned.task, quick], logger: silentLogger, pollMs: 10_000 });
  worker.start();
  await until(() => quickRuns >= 5 && laned.inFlight() === 3);
  assert.equal(slow.inFlight(), 1, 'the slow task is still in its first run');
  assert.equal(laned.inFlight(), 3, 'three lanes of one task at once');
  let stopped = false;
  const stopping = worker.stop().then(() => (stopped = true));
  // Stopping waits for the runs in flight; each lets go when the test says so.
  while (!stopped) {
    slow.releaseAll();
    laned.releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await stopping;
});

test('while the web thread is busy the loops give way, and take up the work when it is not', async () => {
  let busy = true;
  let runs = 0;
  const task: WorkerTask = { name: 'events', run: async () => (++runs < 3 ? 1 : 0) };
  const worker = createWorker({ tasks: [task], logger: silentLogger, pollMs: 10_000, yieldWhile: () => busy });
  worker.start();
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  worker.wake();
  assert.equal(runs, 0, 'nothing runs while the web thread is saturated, even when woken');
  busy = false;
  await until(() => runs >= 3);
  await worker.stop();
});

test('a web thread that stays busy slows the loops down but never stops them', async () => {
  let runs = 0;
  const task: WorkerTask = { name: 'outbox', run: async () => (++runs, 1) };
  const maxYieldMs = 100;
  const worker = createWorker({ tasks: [task], logger: silentLogger, pollMs: 10_000, yieldWhile: () => true, maxYieldMs });
  const started = performance.now();
  worker.start();
  await until(() => runs >= 3);
  const elapsed = performance.now() - started;
  await worker.stop();
  assert.ok(elapsed >= 2 * maxYieldMs, `each round waited its turn first (${Math.round(elapsed)} ms for 3)`);
});

test('runOnce runs every task once, in order, whatever their lanes: what tests drive', async () => {
  const order: string[] = [];
  const task = (name: string, lanes: number): WorkerTask => ({ name, lanes, run: async () => (order.push(name), 2) });
  const worker = createWorker({ tasks: [task('events', 4), task('outbox', 8)], logger: silentLogger });
  assert.equal(await worker.runOnce(), 4);
  assert.deepEqual(order, ['events', 'outbox']);
});
