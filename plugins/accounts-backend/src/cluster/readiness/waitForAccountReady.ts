import { AccountReadiness } from '@fleet-portal/plugin-accounts-common';
import { ClusterClient } from '../ClusterClient';
import { readAccountReadiness, ReadinessAccount } from './readAccountReadiness';

/** Options of {@link waitForAccountReady}. */
export interface WaitForAccountReadyOptions {
  /** The commit Flux must have applied. */
  revision?: string;
  /** Give up after this long and return the last readiness. Default 600. */
  timeoutSeconds?: number;
  /** Pause between reads. Default 2000. */
  intervalMs?: number;
  /** Called with each readiness whose state or message differs from the last. */
  onProgress?: (readiness: AccountReadiness) => void;
  /** Stops waiting: the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** States after which waiting longer changes nothing by itself. */
const FINAL = new Set<AccountReadiness['state']>([
  'ready',
  'failed',
  'suspended',
]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reads the account's readiness until it is `ready`, `failed` or
 * `suspended`, or until the timeout, and returns the last one read: the
 * caller decides what a state other than `ready` means. `missing` is waited
 * on too (the Kustomization may still be on its way). A read that fails
 * (e.g. the cluster did not answer) is retried until the deadline; when no
 * read succeeded at all by then, its error is thrown.
 */
export async function waitForAccountReady(
  client: ClusterClient,
  account: ReadinessAccount,
  options: WaitForAccountReadyOptions = {},
): Promise<AccountReadiness> {
  const { signal, onProgress } = options;
  const deadline = Date.now() + (options.timeoutSeconds ?? 600) * 1000;
  const interval = options.intervalMs ?? 2000;
  let last: AccountReadiness | undefined;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const readiness = await readAccountReadiness(client, account, {
        revision: options.revision,
      });
      if (
        readiness.state !== last?.state ||
        readiness.message !== last?.message
      ) {
        onProgress?.(readiness);
      }
      last = readiness;
      if (FINAL.has(readiness.state)) return readiness;
    } catch (error) {
      // Only cluster trouble is worth retrying; anything else is a bug.
      if ((error as Error)?.name !== 'ServiceUnavailableError') throw error;
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      if (last) return last;
      throw lastError;
    }
    await sleep(Math.min(interval, remaining), signal);
  }
}
