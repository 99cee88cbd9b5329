import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextAttempt, type RetryPolicy } from '../../server/jobs/retry.ts';

const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 3_000 };
const NOW = 1_000_000;
const after = (attempts: number, random: () => number, permanent = false) => nextAttempt(POLICY, { attempts, permanent }, NOW, random);

describe('the retry rule', () => {
  test('a failed try is retried while tries remain, and the last one fails the job for good', () => {
    assert.equal(after(1, () => 0).state, 'pending');
    assert.equal(after(2, () => 0).state, 'pending');
    assert.deepEqual(after(3, () => 0), { state: 'failed' });
    assert.deepEqual(after(4, () => 0), { state: 'failed' });
  });

  test('a failure that cannot pass is not retried, however many tries remain', () => {
    assert.deepEqual(after(1, () => 0, true), { state: 'failed' });
  });

  test('the wait doubles with each try, between half the step and the whole, and stops growing at the ceiling', () => {
    assert.deepEqual(after(1, () => 0), { state: 'pending', retryAt: NOW + 500 });
    assert.deepEqual(after(1, () => 1), { state: 'pending', retryAt: NOW + 1_000 });
    assert.deepEqual(after(2, () => 0), { state: 'pending', retryAt: NOW + 1_000 });
    assert.deepEqual(after(2, () => 1), { state: 'pending', retryAt: NOW + 2_000 });
    const late = nextAttempt({ ...POLICY, maxAttempts: 10 }, { attempts: 8, permanent: false }, NOW, () => 1);
    assert.deepEqual(late, { state: 'pending', retryAt: NOW + 3_000 });
  });
});
