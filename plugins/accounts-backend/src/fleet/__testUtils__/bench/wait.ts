/**
 * Waiting in the fleet benchmark: a pause, and polling a condition until a
 * deadline.
 */

export const sleep = (delay: number) =>
  new Promise(done => setTimeout(done, delay));

/**
 * Polls `condition` every 10 ms; throws once `deadlineMs` have passed since
 * `from` (a `performance.now()` reading).
 */
export async function until(
  condition: () => boolean,
  what: string,
  from: number,
  deadlineMs: number,
) {
  while (!condition()) {
    if (performance.now() - from > deadlineMs) {
      throw new Error(`Gave up waiting for ${what}`);
    }
    await sleep(10);
  }
}
