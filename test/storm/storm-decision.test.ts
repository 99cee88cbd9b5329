// The storm guard's decision, without a database: more than N new cases in the window is a storm,
// a hold lasts until released, and a release restarts counting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStormGuard } from '../../server/storm/storm-config.ts';
import { countingFrom, decideFirstMessage, type StormState } from '../../server/storm/storm-decision.ts';

const guard = { threshold: 50, windowMs: 10 * 60_000 };
const now = 1_000_000_000;

describe('decideFirstMessage', () => {
  test('the fiftieth case of the window sends, the fifty-first starts holding', () => {
    assert.deepEqual(decideFirstMessage(guard, undefined, 50), { type: 'send' });
    assert.deepEqual(decideFirstMessage(guard, undefined, 51), { type: 'start_holding', reason: 'threshold' });
  });

  test('while the institution is held, every first message is held, counted or not, guard on or off', () => {
    const holding: StormState = { state: 'holding', reason: 'institution_down', countingSince: 0 };
    assert.deepEqual(decideFirstMessage(guard, holding, 1), { type: 'hold' });
    assert.deepEqual(decideFirstMessage(guard, holding, undefined), { type: 'hold' });
    assert.deepEqual(decideFirstMessage(undefined, holding, undefined), { type: 'hold' });
  });

  test('with the guard off, or no new case, counts start nothing', () => {
    assert.deepEqual(decideFirstMessage(undefined, undefined, 5_000), { type: 'send' });
    assert.deepEqual(decideFirstMessage(guard, { state: 'released', reason: 'threshold', countingSince: now }, undefined), { type: 'send' });
  });
});

describe('countingFrom', () => {
  test('is the sliding window, or the last release when that is later', () => {
    assert.equal(countingFrom(guard, undefined, now), now - guard.windowMs);
    assert.equal(countingFrom(guard, { state: 'released', reason: 'threshold', countingSince: now - 60_000 }, now), now - 60_000);
    assert.equal(countingFrom(guard, { state: 'released', reason: 'threshold', countingSince: now - 3_600_000 }, now), now - guard.windowMs);
  });
});

test('STORM_GUARD reads N/<minutes>m', () => {
  assert.deepEqual(parseStormGuard('3/1m'), { threshold: 3, windowMs: 60_000 });
  assert.equal(parseStormGuard('off'), undefined);
});
