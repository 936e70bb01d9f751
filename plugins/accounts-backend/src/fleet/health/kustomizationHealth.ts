import {
  AccountStatus,
  ClusterSyncStatus,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../../cluster/ClusterClient';
import { revisionSha } from '../../cluster/readiness/summarizeReadiness';
import {
  conditionText,
  currentTrue,
  describe,
  findCondition,
  FluxStatus,
  neverReconciled,
  pendingChange,
  readyFailure,
  readyWaiting,
  reportedConditions,
  staleMessage,
  statusOf,
  suspendedMessage,
  suspension,
} from './fluxStatus';

/** The account's Kustomization as the portal shows it. */
export type KustomizationHealth = NonNullable<AccountStatus['kustomization']>;

interface KustomizationStatus extends FluxStatus {
  lastAppliedRevision?: string;
  lastAttemptedRevision?: string;
}

const SHOWN_CONDITIONS = ['Ready', 'Healthy', 'Reconciling', 'Stalled'];

/** `main@sha1:3f9c2a1…` → `main@3f9c2a1`, for sentences. */
function shortRevision(revision: string): string {
  const sha = revisionSha(revision);
  if (!sha) return revision;
  // The ref is what precedes the sha: `<ref>@sha1:<sha>` or `<ref>/<sha>`.
  const cut = Math.max(revision.lastIndexOf('@'), revision.lastIndexOf('/'));
  const short = sha.slice(0, 7);
  return cut > 0 ? `${revision.slice(0, cut)}@${short}` : short;
}

function assess(k: KubeObject): { state: HealthState; message: string } {
  const name = describe(k);
  const status = statusOf<KustomizationStatus>(k);
  const { suspended, suspendedBy } = suspension(k);
  if (suspended) {
    return { state: 'suspended', message: suspendedMessage(k, suspendedBy) };
  }
  if (neverReconciled(k)) {
    return {
      state: 'unknown',
      message: `${name} has not been reconciled by Flux yet (no status conditions)`,
    };
  }
  const applied = status.lastAppliedRevision;
  const attempted = status.lastAttemptedRevision;
  const stillApplied = applied
    ? `; the cluster still has ${shortRevision(applied)}`
    : '; nothing was applied yet';
  const failure = currentTrue(k, 'Stalled') ?? readyFailure(k);
  if (failure) {
    const on = attempted ? ` on ${shortRevision(attempted)}` : '';
    return {
      state: 'failed',
      message: `${name} failed${on} (${
        failure.reason ?? failure.type
      }): ${conditionText(failure)}${
        attempted !== applied ? stillApplied : ''
      }`,
    };
  }
  const reconciling = currentTrue(k, 'Reconciling');
  if (attempted && attempted !== applied) {
    return {
      state: 'progressing',
      message: `Flux is applying ${shortRevision(attempted)} with ${name}${
        reconciling ? `: ${conditionText(reconciling)}` : ''
      }${stillApplied}`,
    };
  }
  const pending = pendingChange(k);
  if (pending) {
    return {
      state: 'progressing',
      message: `${name} is progressing: ${pending}`,
    };
  }
  const waiting = reconciling ?? readyWaiting(k);
  if (waiting) {
    return {
      state: 'progressing',
      message: `${name} is progressing: ${conditionText(waiting)}`,
    };
  }
  const ready = findCondition(k, 'Ready');
  if (ready?.status === 'True') {
    return {
      state: 'healthy',
      message: `${name} is Ready: ${conditionText(ready)}`,
    };
  }
  return {
    state: 'unknown',
    message: ready
      ? `${name} reports Ready ${ready.status}: ${conditionText(ready)}`
      : `${name} reports no Ready condition`,
  };
}

/**
 * The account's Kustomization rolled up like a release (see
 * `releaseHealth`), first rule that applies: the cluster cannot be read →
 * `stale` (with what was last known); `spec.suspend` → `suspended`; no
 * status conditions → `unknown`; `Stalled` True or Ready False for a reason
 * other than waiting, for the current spec → `failed`; the last attempted
 * revision is not the last applied one, a spec generation or reconcile
 * request not handled yet, `Reconciling` True or Ready waiting →
 * `progressing`; Ready True → `healthy`; else `unknown`. `undefined` when
 * the cluster has no Kustomization for the account.
 */
export function kustomizationHealth(
  object: KubeObject | undefined,
  cluster: ClusterSyncStatus,
): KustomizationHealth | undefined {
  if (!object) return undefined;
  const status = statusOf<KustomizationStatus>(object);
  const verdict = assess(object);
  return {
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? '',
    ...(cluster.stale
      ? { state: 'stale', message: staleMessage(cluster, verdict.message) }
      : verdict),
    conditions: reportedConditions(object, SHOWN_CONDITIONS),
    ...(status.lastAppliedRevision !== undefined && {
      lastAppliedRevision: status.lastAppliedRevision,
    }),
    ...(status.lastAttemptedRevision !== undefined && {
      lastAttemptedRevision: status.lastAttemptedRevision,
    }),
    ...suspension(object),
    ...(status.lastHandledReconcileAt !== undefined && {
      lastHandledReconcileAt: status.lastHandledReconcileAt,
    }),
  };
}
