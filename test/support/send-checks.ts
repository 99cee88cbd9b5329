// Waiting for the worker to get somewhere, and measuring what a local server received: for tests of
// sending at a rate.

/** Runs `round` (a worker round, say) until `condition` holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, round: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await round();
  }
}

/** The most arrivals within any one second, whatever the window's start. */
export function busiestSecond(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! - sorted[i]! < 1_000) j++;
    most = Math.max(most, j - i);
  }
  return most;
}
