import { CustomErrorBase } from '@backstage/errors';

/**
 * The task was cancelled while an action was waiting.
 *
 * @public
 */
export class TaskCancelledError extends CustomErrorBase {
  name = 'TaskCancelledError' as const;
}

/** Options of {@link pollUntil}. */
export interface PollUntilOptions<T> {
  /** Reads the current state; its failures end the polling. */
  read: () => Promise<T>;
  /** Whether the state read is final (success or failure). */
  isDone: (value: T) => boolean;
  /** Called with every state read, before `isDone`. */
  onValue?: (value: T) => void;
  intervalMs: number;
  timeoutMs: number;
  /** The task's cancellation signal. */
  signal?: AbortSignal;
  /** What is awaited, for the cancellation message. */
  what: string;
}

/**
 * Reads a state every `intervalMs` until it is final, the timeout passes or
 * the task is cancelled (then it throws {@link TaskCancelledError}). Always
 * reads at least once. Answers the last state read and whether it was final.
 */
export async function pollUntil<T>(
  options: PollUntilOptions<T>,
): Promise<{ value: T; done: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    throwIfCancelled(options.signal, options.what);
    const value = await options.read();
    options.onValue?.(value);
    if (options.isDone(value)) {
      return { value, done: true };
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      return { value, done: false };
    }
    await sleep(Math.min(options.intervalMs, left), options);
  }
}

function throwIfCancelled(signal: AbortSignal | undefined, what: string) {
  if (signal?.aborted) {
    throw new TaskCancelledError(`Cancelled while waiting for ${what}`);
  }
}

/** Waits, but wakes up at once when the task is cancelled. */
function sleep(
  ms: number,
  options: { signal?: AbortSignal; what: string },
): Promise<void> {
  const { signal, what } = options;
  return new Promise((resolve, reject) => {
    // Cancelled during the read: 'abort' has fired already.
    if (signal?.aborted) {
      reject(new TaskCancelledError(`Cancelled while waiting for ${what}`));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(new TaskCancelledError(`Cancelled while waiting for ${what}`));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
