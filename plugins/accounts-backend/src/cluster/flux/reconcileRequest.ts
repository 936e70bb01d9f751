import {
  FORCE_AT_ANNOTATION,
  REQUESTED_AT_ANNOTATION,
  RESET_AT_ANNOTATION,
} from './fluxAnnotations';

/** What `flux reconcile helmrelease` adds to a plain request. */
export interface ReconcileOptions {
  /** A one-off Helm upgrade even when nothing changed (`--force`). */
  force?: boolean;
  /** Reset the failure counters of a stalled release (`--reset`). */
  reset?: boolean;
}

/** A reconcile request: its token and the annotations that carry it. */
export interface ReconcileRequest {
  /** RFC 3339; Flux echoes it in `status.lastHandledReconcileAt`. */
  token: string;
  annotations: Record<string, string>;
}

/**
 * A reconcile request as the flux CLI makes one: the current time in
 * `reconcile.fluxcd.io/requestedAt`, and the same token in `forceAt` or
 * `resetAt` for those options (helm-controller honours them only when they
 * equal `requestedAt`).
 */
export function reconcileRequest(
  options: ReconcileOptions = {},
  now: Date = new Date(),
): ReconcileRequest {
  const token = now.toISOString();
  return {
    token,
    annotations: {
      [REQUESTED_AT_ANNOTATION]: token,
      ...(options.force && { [FORCE_AT_ANNOTATION]: token }),
      ...(options.reset && { [RESET_AT_ANNOTATION]: token }),
    },
  };
}
