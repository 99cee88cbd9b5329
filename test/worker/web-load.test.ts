// The web thread's load, as the worker thread reads it: busy while its event loop is saturated,
// not busy once it breathes again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebLoadBuffer, publishWebLoad, webIsBusy } from '../../server/worker/web-load.ts';

const nextSample = () => new Promise((resolve) => setTimeout(resolve, 120));

test('a saturated event loop reads as busy, an idle one as not', async () => {
  const buffer = createWebLoadBuffer();
  const stop = publishWebLoad(buffer);
  const busy = webIsBusy(buffer);
  try {
    await nextSample();
    assert.equal(busy(), false, 'idle');
    let sawBusy = false;
    for (let i = 0; i < 20 && !sawBusy; i++) {
      // Work without a pause, as a loop flooded with requests does, then let the sample be taken.
      const until = performance.now() + 150;
      while (performance.now() < until);
      await new Promise((resolve) => setImmediate(resolve));
      sawBusy = busy();
    }
    assert.ok(sawBusy, 'busy while saturated');
    for (let i = 0; i < 20 && busy(); i++) await nextSample();
    assert.equal(busy(), false, 'not busy once idle again');
  } finally {
    stop();
  }
});
