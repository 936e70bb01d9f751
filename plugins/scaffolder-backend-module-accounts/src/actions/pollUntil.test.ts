import { pollUntil } from './pollUntil';

/** A state that reads as the next of `values` on each call, then the last. */
function sequence<T>(values: T[]) {
  let reads = 0;
  return {
    read: async () => values[Math.min(reads++, values.length - 1)],
    reads: () => reads,
  };
}

describe('pollUntil', () => {
  it('reads until the state is final and reports every state read', async () => {
    const states = sequence(['progressing', 'progressing', 'ready']);
    const seen: string[] = [];
    const result = await pollUntil({
      read: states.read,
      onValue: value => seen.push(value),
      isDone: value => value === 'ready',
      intervalMs: 1,
      timeoutMs: 60_000,
      what: 'the test',
    });
    expect(result).toEqual({ value: 'ready', done: true });
    expect(seen).toEqual(['progressing', 'progressing', 'ready']);
  });

  it('answers the last state, not final, once the timeout has passed', async () => {
    const states = sequence(['progressing']);
    const result = await pollUntil({
      read: states.read,
      isDone: () => false,
      intervalMs: 1,
      timeoutMs: 20,
      what: 'the test',
    });
    expect(result).toEqual({ value: 'progressing', done: false });
  });

  it('stops waiting when the task is cancelled', async () => {
    const controller = new AbortController();
    const states = sequence(['progressing']);
    const polling = pollUntil({
      read: async () => {
        // Cancelled while the first wait is under way.
        setImmediate(() => controller.abort());
        return states.read();
      },
      isDone: () => false,
      intervalMs: 3_600_000,
      timeoutMs: 7_200_000,
      signal: controller.signal,
      what: 'the test',
    });
    await expect(polling).rejects.toThrow(
      'Cancelled while waiting for the test',
    );
    expect(states.reads()).toBe(1);
  });

  it('does not read at all when cancelled before', async () => {
    const controller = new AbortController();
    controller.abort();
    const states = sequence(['ready']);
    await expect(
      pollUntil({
        read: states.read,
        isDone: () => true,
        intervalMs: 1,
        timeoutMs: 1,
        signal: controller.signal,
        what: 'the test',
      }),
    ).rejects.toMatchObject({ name: 'TaskCancelledError' });
    expect(states.reads()).toBe(0);
  });

  it('ends with the failure of a read', async () => {
    await expect(
      pollUntil({
        read: async () => {
          throw new Error('backend down');
        },
        isDone: () => true,
        intervalMs: 1,
        timeoutMs: 1,
        what: 'the test',
      }),
    ).rejects.toThrow('backend down');
  });
});
