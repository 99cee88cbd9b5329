// WORKER_THREADS: the process's limits are the operator's promise to the SMTP relay and the
// database, so its worker threads divide them; together they never exceed them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { shareOf, workerThreadConfig } from '../../server/worker/worker-thread-share.ts';

describe("the worker threads' shares of the process's limits", () => {
  test('add up to the limit exactly, the remainder going to the first threads', () => {
    for (const [limit, count] of [[40, 2], [10, 3], [7, 7], [100, 16], [5, 1]] as const) {
      const shares = Array.from({ length: count }, (_, index) => shareOf(limit, count, index));
      assert.equal(shares.reduce((a, b) => a + b, 0), limit, `${limit} over ${count}`);
      assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, `${limit} over ${count}: ${shares.join(', ')}`);
    }
    assert.deepEqual([0, 1, 2].map((index) => shareOf(10, 3, index)), [4, 3, 3]);
  });

  test("each thread's configuration carries its share of the SMTP connections, events and sends, and the rest as given", () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'relink-share-')), WORKER_THREADS: '3', SMTP_MAX_CONNECTIONS: '40', EVENT_CONCURRENCY: '8' });
    const threads = [0, 1, 2].map((index) => workerThreadConfig(config, index));
    assert.deepEqual(threads.map((t) => t.smtpMaxConnections), [14, 13, 13]);
    assert.deepEqual(threads.map((t) => t.worker.eventConcurrency), [3, 3, 2]);
    assert.deepEqual(threads.map((t) => t.worker.sendConcurrency), [27, 27, 26], 'SEND_CONCURRENCY follows the 40 connections: 80');
    for (const thread of threads) {
      assert.equal(thread.worker.threads, 3);
      assert.equal(thread.databaseUrl, config.databaseUrl);
      assert.deepEqual(thread.reminders, config.reminders);
    }
  });
});
