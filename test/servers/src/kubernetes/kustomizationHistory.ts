import { kubeTime } from './fluxConditions';
import { formatGoDuration } from './goDuration';

const MAX_HISTORY = 5;

/** One reconciliation of a Kustomization, for its `status.history`. */
export interface ReconcileAttempt {
  /** Digest of the built manifests. */
  digest: string;
  /** The Ready reason it ended with. */
  result: string;
  revision: string;
  durationMs: number;
}

/**
 * `status.history` after `attempt`: newest first, one entry per distinct
 * build (repeated reconciliations of the same manifests count up), five kept.
 */
export function upsertHistory(
  history: Array<Record<string, any>> | undefined,
  attempt: ReconcileAttempt,
): Array<Record<string, any>> {
  const now = kubeTime();
  const entries = [...(history ?? [])];
  const index = entries.findIndex(e => e.digest === attempt.digest);
  const existing = index >= 0 ? entries.splice(index, 1)[0] : undefined;
  const entry = {
    digest: attempt.digest,
    firstReconciled: existing?.firstReconciled ?? now,
    lastReconciled: now,
    lastReconciledDuration: formatGoDuration(attempt.durationMs),
    lastReconciledStatus: attempt.result,
    metadata: { revision: attempt.revision },
    totalReconciliations: (existing?.totalReconciliations ?? 0) + 1,
  };
  return [entry, ...entries].slice(0, MAX_HISTORY);
}
