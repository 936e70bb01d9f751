import { setTimeout as sleep } from 'timers/promises';
import { ClusterClient, KubeObject, KubeObjectRef } from '../ClusterClient';

/** How long to wait for Flux to handle a request, and how often to look. */
export interface ReconcileWait {
  timeoutMs: number;
  intervalMs: number;
}

/** What {@link waitForReconcile} saw last. */
export interface ReconcileOutcome {
  /** Flux echoed the token in `status.lastHandledReconcileAt`. */
  handled: boolean;
  /** The object as last read; absent when it is gone or was not read. */
  object?: KubeObject;
  /** Why the object could not be read back, when it could not. */
  error?: string;
}

/** The token Flux last handled on the object, if any. */
export function lastHandledReconcileAt(object: KubeObject): string | undefined {
  const status = (object.status ?? {}) as { lastHandledReconcileAt?: string };
  return status.lastHandledReconcileAt;
}

/**
 * Reads the object until Flux has handled the reconcile request `token`
 * (`status.lastHandledReconcileAt` equals it, as `flux reconcile` waits
 * for), the wait runs out, or the object is gone. It reads at least once.
 * Never throws: the request is already written, so a failed read only means
 * it is not known to be handled.
 */
export async function waitForReconcile(
  client: ClusterClient,
  ref: KubeObjectRef,
  token: string,
  wait: ReconcileWait,
): Promise<ReconcileOutcome> {
  const deadline = Date.now() + wait.timeoutMs;
  let object: KubeObject | undefined;
  for (;;) {
    try {
      object = await client.get(ref);
    } catch (error) {
      return {
        handled: false,
        object,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    if (!object) return { handled: false };
    if (lastHandledReconcileAt(object) === token) {
      return { handled: true, object };
    }
    const left = deadline - Date.now();
    if (left <= 0) return { handled: false, object };
    await sleep(Math.min(wait.intervalMs, left));
  }
}
