import {
  ClusterSyncStatus,
  HealthState,
  HelmReleaseRevision,
  ReleaseHealth,
} from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../../cluster/ClusterClient';
import {
  conditionText,
  currentTrue,
  describe,
  findCondition,
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
import { parseImageVersion } from './imageVersion';
import {
  HelmReleaseStatus,
  HelmSnapshot,
  releaseFailure,
} from './releaseFailure';

/** What {@link releaseHealth} decides from. */
export interface ReleaseHealthInput {
  /** The service: the HelmRelease's name. */
  service: string;
  /** The account's namespace. */
  namespace: string;
  /** The HelmRelease as last read from the cluster; absent when it has none. */
  release?: KubeObject;
  /** The image tag the config repository asks for. */
  desiredTag?: string;
  /** The image tag the cluster runs (the workload's first container). */
  liveTag?: string;
  /** The ImagePolicy that picks the service's tag, where one does. */
  imagePolicy?: KubeObject;
  /** Whether the cluster could be read. */
  cluster: ClusterSyncStatus;
}

/** The conditions shown, in this order, as far as the release reports them. */
const SHOWN_CONDITIONS = [
  'Ready',
  'Released',
  'Remediated',
  'Drifted',
  'Reconciling',
  'Stalled',
] as const;

interface Verdict {
  state: HealthState;
  message: string;
}

function history(snapshots: HelmSnapshot[] | undefined): HelmReleaseRevision[] {
  return (snapshots ?? [])
    .filter(s => typeof s.version === 'number')
    .map(s => ({
      version: s.version as number,
      ...(s.chartVersion !== undefined && { chartVersion: s.chartVersion }),
      ...(s.appVersion !== undefined && { appVersion: s.appVersion }),
      ...(s.status !== undefined && { status: s.status }),
      ...(s.lastDeployed !== undefined && { deployedAt: s.lastDeployed }),
    }))
    .sort((a, b) => b.version - a.version);
}

/** Everything known of the release, whatever its state. */
function details(release: KubeObject) {
  const status = statusOf<HelmReleaseStatus>(release);
  const install = status.installFailures ?? 0;
  const upgrade = status.upgradeFailures ?? 0;
  const { generation } = release.metadata;
  return {
    conditions: reportedConditions(release, SHOWN_CONDITIONS),
    history: history(status.history),
    ...(status.lastAttemptedRevision !== undefined && {
      lastAttemptedRevision: status.lastAttemptedRevision,
    }),
    // `failures` counts every failed reconciliation, not only Helm actions.
    failures: { install, upgrade, total: status.failures ?? install + upgrade },
    ...suspension(release),
    ...(generation !== undefined && { generation }),
    ...(status.observedGeneration !== undefined && {
      observedGeneration: status.observedGeneration,
    }),
    ...(status.lastHandledReconcileAt !== undefined && {
      lastHandledReconcileAt: status.lastHandledReconcileAt,
    }),
  };
}

/** A failing ImagePolicy: Ready False (not waiting) or Stalled, for its spec. */
function imagePolicyFailure(
  policy: KubeObject | undefined,
): string | undefined {
  if (!policy) return undefined;
  const failure = currentTrue(policy, 'Stalled') ?? readyFailure(policy);
  return failure
    ? `${describe(policy)} fails (${
        failure.reason ?? failure.type
      }): ${conditionText(failure)}, so the service's image is not updated`
    : undefined;
}

/**
 * The chart Flux last tried, when it is not the one deployed: the newest
 * history entry Helm reports deployed (failed attempts stack up above it
 * while Flux retries).
 */
function attemptNotDeployed(release: KubeObject): string | undefined {
  const status = statusOf<HelmReleaseStatus>(release);
  const attempted = status.lastAttemptedRevision;
  const { generation } = release.metadata;
  // An attempt for an earlier spec says nothing about the current one.
  if ((status.lastAttemptedGeneration ?? Infinity) < (generation ?? 0)) {
    return undefined;
  }
  const deployed = status.history?.find(
    s => (s.status ?? 'deployed') === 'deployed',
  );
  if (!attempted || deployed?.chartVersion === attempted) return undefined;
  return deployed?.chartVersion
    ? `Flux is upgrading ${describe(
        release,
      )} to chart ${attempted} (deployed: ${deployed.chartVersion})`
    : `Flux is installing chart ${attempted} for ${describe(release)}`;
}

function progressing(release: KubeObject): string | undefined {
  const name = describe(release);
  const reconciling = currentTrue(release, 'Reconciling');
  const attempt = attemptNotDeployed(release);
  if (attempt) {
    return reconciling ? `${attempt}: ${conditionText(reconciling)}` : attempt;
  }
  const pending = pendingChange(release);
  if (pending) return `${name} is progressing: ${pending}`;
  if (reconciling)
    return `${name} is reconciling: ${conditionText(reconciling)}`;
  const waiting = readyWaiting(release);
  if (waiting) return `${name} is waiting: ${conditionText(waiting)}`;
  return undefined;
}

function assess(release: KubeObject, input: ReleaseHealthInput): Verdict {
  const name = describe(release);
  const { suspended, suspendedBy } = suspension(release);
  if (suspended) {
    return {
      state: 'suspended',
      message: suspendedMessage(release, suspendedBy),
    };
  }
  if (neverReconciled(release)) {
    return {
      state: 'unknown',
      message: `${name} has not been reconciled by Flux yet (no status conditions)`,
    };
  }
  const failure =
    releaseFailure(release) ?? imagePolicyFailure(input.imagePolicy);
  if (failure) return { state: 'failed', message: failure };
  const moving = progressing(release);
  if (moving) return { state: 'progressing', message: moving };
  const drifted = currentTrue(release, 'Drifted');
  if (drifted) {
    return {
      state: 'drifted',
      message: `Helm found ${name} drifted from its release: ${conditionText(
        drifted,
      )}`,
    };
  }
  const ready = findCondition(release, 'Ready');
  const { desiredTag, liveTag } = input;
  if (ready?.status === 'True') {
    if (
      desiredTag !== undefined &&
      liveTag !== undefined &&
      desiredTag !== liveTag
    ) {
      return {
        state: 'drifted',
        message: `The config repository says ${desiredTag} but the cluster runs ${liveTag}, though ${name} is Ready`,
      };
    }
    return {
      state: 'healthy',
      message: `${name} is Ready: ${conditionText(ready)}`,
    };
  }
  return {
    state: 'unknown',
    message: ready
      ? `${name} reports Ready ${ready.status} (${
          ready.reason ?? 'no reason'
        }): ${conditionText(ready)}`
      : `${name} reports no Ready condition`,
  };
}

/**
 * Rolls one HelmRelease up into one {@link HealthState}, with one sentence
 * for people (Flux's message where there is one) and everything known of it.
 * The first rule that applies decides:
 *
 * 1. The cluster cannot be read → `stale`; the message names the cluster's
 *    error and what the rules below say of the last known object, and all
 *    fields are filled in from it.
 * 2. No HelmRelease → `unknown`: not on the cluster.
 * 3. `spec.suspend` → `suspended`, with who and when from the portal's
 *    `fleet-portal.io/suspended-by` and `-at` annotations.
 * 4. No status conditions yet → `unknown`: never reconciled (a new object's
 *    `observedGeneration` is -1 until Flux reports).
 * 5. For the current spec (each condition's own `observedGeneration`):
 *    `Remediated` True while Ready is not True (install or upgrade failed,
 *    then rolled back or uninstalled; the message says to which revision),
 *    `Stalled` True (retries exhausted), or Ready False for a reason other
 *    than waiting (`InstallFailed`, `UpgradeFailed`, `TestFailed`,
 *    `ArtifactFailed`, …) → `failed`.
 * 6. The ImagePolicy, when given, is Stalled or Ready False (not waiting),
 *    e.g. a non-numeric tag under a numerical policy → `failed`, naming it.
 * 7. `lastAttemptedRevision` (attempted for the current generation) is
 *    not the chart of the newest deployed `history` entry: an install or
 *    upgrade under way; or
 *    `observedGeneration` < `generation`; or `reconcile.fluxcd.io/requestedAt`
 *    is not yet `lastHandledReconcileAt`; or `Reconciling` True; or Ready is
 *    not True for a waiting reason (`Progressing`, `DependencyNotReady`, …)
 *    → `progressing`.
 * 8. `Drifted` True (Helm's drift detection) → `drifted`.
 * 9. Ready True, but the config repository's tag and the running tag are
 *    both known and differ → `drifted`.
 * 10. Ready True → `healthy`.
 * 11. Otherwise (Ready Unknown or absent) → `unknown`.
 */
export function releaseHealth(input: ReleaseHealthInput): ReleaseHealth {
  const { service, namespace, release, cluster, desiredTag, liveTag } = input;
  const known = {
    service,
    namespace,
    ...(desiredTag !== undefined && { desired: parseImageVersion(desiredTag) }),
    ...(liveTag !== undefined && { live: parseImageVersion(liveTag) }),
    conditions: [],
    history: [],
    failures: { install: 0, upgrade: 0, total: 0 },
    suspended: false,
    ...(release && details(release)),
  };
  const verdict: Verdict = release
    ? assess(release, input)
    : {
        state: 'unknown',
        message: `HelmRelease ${namespace}/${service} is not on cluster '${cluster.cluster}'`,
      };
  if (cluster.stale) {
    return {
      ...known,
      state: 'stale',
      message: staleMessage(cluster, verdict.message),
    };
  }
  return { ...known, ...verdict };
}
