import { ClusterStore, KubeObject, ObjectRef } from './ClusterStore';
import {
  findCondition,
  kubeTime,
  removeCondition,
  setCondition,
  statusOf,
} from './fluxConditions';
import {
  ReleaseSpec,
  releaseSpecOf,
  requestsOf,
  runningMessage,
  snapshotOf,
} from './fluxRelease';
import { refOf, writeStatus } from './fluxStatusWriter';
import { deployWorkload, removeWorkload } from './fluxWorkload';

const FIELD_MANAGER = 'helm-controller';
const MAX_HISTORY = 5;
type Action = 'install' | 'upgrade';
const COUNTER: Record<Action, 'installFailures' | 'upgradeFailures'> = {
  install: 'installFailures',
  upgrade: 'upgradeFailures',
};

/**
 * The simulated helm-controller's reconciliation of one HelmRelease: install
 * or upgrade when the desired release differs from the deployed one, with
 * helm-controller's conditions, history and failure counting. A failed
 * release is retried only within `spec.<action>.remediation.retries`; past
 * that it is Stalled until its spec changes or a reset/force is requested,
 * as in Flux. Not simulated: charts (the Deployment stands for what a chart
 * renders), rollback remediation between retries, tests and drift detection.
 * Returns when to retry (ms), if at all.
 */
export class HelmReconciler {
  constructor(
    private readonly store: ClusterStore,
    private readonly sleep: (ms: number) => Promise<boolean>,
    private readonly delayMs: number,
    /** The injected failure message for a HelmRelease, if any. */
    private readonly failureFor: (
      namespace: string,
      name: string,
    ) => string | undefined,
  ) {}

  async reconcile(ref: ObjectRef): Promise<number | undefined> {
    const object = this.store.get(ref);
    const spec = (object?.spec ?? {}) as Record<string, any>;
    if (!object || spec.suspend) return undefined;
    const generation = object.metadata.generation;
    const status = statusOf(object);
    const release = releaseSpecOf(object);
    const requests = requestsOf(object, status);
    const mustReset =
      requests.reset ||
      status.lastAttemptedGeneration !== generation ||
      status.lastAttemptedRevision !== release.chartVersion ||
      status.lastAttemptedConfigDigest !== release.configDigest;
    const counters = mustReset
      ? {
          failures: undefined,
          installFailures: undefined,
          upgradeFailures: undefined,
        }
      : {};
    const history: Array<Record<string, any>> = status.history ?? [];
    const latest = history[0];
    const inSync =
      latest?.status === 'deployed' &&
      latest.chartName === release.chartName &&
      latest.chartVersion === release.chartVersion &&
      latest.configDigest === release.configDigest;
    const bookkeeping = {
      ...requests.handled,
      ...counters,
      observedGeneration: generation,
    };

    if (inSync && !requests.force) {
      this.write(object, s => {
        let conditions = removeCondition(
          removeCondition(s.conditions ?? [], 'Reconciling'),
          'Stalled',
        );
        // Like Flux's summary: Ready follows Released once nothing runs.
        const released = findCondition(conditions, 'Released');
        if (released) {
          conditions = setCondition(
            conditions,
            { ...released, type: 'Ready' },
            generation,
          );
        }
        return { ...s, ...bookkeeping, conditions };
      });
      return undefined;
    }
    // Helm upgrades once a release succeeded; until then a failed install is
    // uninstalled (Flux's install remediation) and installed afresh.
    const action: Action = history.some(h => h.status !== 'failed')
      ? 'upgrade'
      : 'install';
    const active: Action =
      latest?.status === 'failed'
        ? status.lastAttemptedReleaseAction ?? action
        : action;
    const failed = mustReset ? 0 : status[COUNTER[active]] ?? 0;
    if (failed > release.retries[active] && !requests.force) {
      this.write(object, s => ({
        ...s,
        ...bookkeeping,
        conditions: setCondition(
          removeCondition(s.conditions ?? [], 'Reconciling'),
          {
            type: 'Stalled',
            status: 'True',
            reason: 'RetriesExceeded',
            message: `Failed to ${active} after ${failed} attempt(s)`,
          },
          generation,
        ),
      }));
      return undefined;
    }

    const running = runningMessage(action, release);
    this.write(object, s => {
      let conditions = removeCondition(s.conditions ?? [], 'Stalled');
      for (const type of ['Reconciling', 'Ready']) {
        conditions = setCondition(
          conditions,
          {
            type,
            status: type === 'Ready' ? 'Unknown' : 'True',
            reason: 'Progressing',
            message: running,
          },
          generation,
        );
      }
      return { ...s, ...counters, conditions };
    });
    if (!(await this.sleep(this.delayMs))) return undefined;
    if (!this.store.get(ref)) return undefined;
    return this.release(object, release, action, requests.handled);
  }

  /** `helm uninstall` after the HelmRelease is deleted. */
  uninstall(deleted: KubeObject): void {
    removeWorkload(this.store, releaseSpecOf(deleted));
  }

  /** Runs the Helm action and records its outcome. */
  private release(
    object: KubeObject,
    release: ReleaseSpec,
    action: Action,
    handled: Record<string, unknown>,
  ): number | undefined {
    const generation = object.metadata.generation;
    const now = kubeTime();
    // An install starts a new release history, as Flux clears it.
    const history: Array<Record<string, any>> =
      action === 'install'
        ? []
        : statusOf(this.store.get(refOf(object)) ?? object).history ?? [];
    const version =
      Math.max(0, ...history.map(h => Number(h.version) || 0)) + 1;
    const firstDeployed =
      history.find(h => h.status === 'deployed')?.firstDeployed ?? now;
    const attempted = {
      ...handled,
      observedGeneration: generation,
      helmChart: release.helmChart,
      storageNamespace: release.namespace,
      lastAttemptedGeneration: generation,
      lastAttemptedRevision: release.chartVersion,
      lastAttemptedConfigDigest: release.configDigest,
      lastAttemptedReleaseAction: action,
    };

    let failure = this.failureFor(release.owner.namespace, release.owner.name);
    if (failure === undefined) {
      try {
        deployWorkload(this.store, release);
      } catch (error) {
        // What Helm would report too, e.g. the namespace does not exist.
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    const reason = `${action === 'install' ? 'Install' : 'Upgrade'}${
      failure === undefined ? 'Succeeded' : 'Failed'
    }`;
    if (failure === undefined) {
      const message = `Helm ${action} succeeded for release ${release.namespace}/${release.name}.v${version} with chart ${release.chartName}@${release.chartVersion}`;
      const previous = history.map(h =>
        h.status === 'deployed' ? { ...h, status: 'superseded' } : h,
      );
      this.write(object, s => {
        let conditions = removeCondition(
          removeCondition(s.conditions ?? [], 'Reconciling'),
          'Stalled',
        );
        for (const type of ['Released', 'Ready']) {
          conditions = setCondition(
            conditions,
            { type, status: 'True', reason, message },
            generation,
          );
        }
        const releases = [
          snapshotOf(release, version, 'deployed', firstDeployed, now),
          ...previous,
        ];
        return {
          ...s,
          ...attempted,
          history: releases.slice(0, MAX_HISTORY),
          conditions,
        };
      });
      return undefined;
    }

    const message = `Helm ${action} failed for release ${release.namespace}/${
      release.name
    } with chart ${release.chartName}@${
      release.chartVersion
    }: ${failure.trim()}`;
    let retryAfter: number | undefined;
    this.write(object, s => {
      const failures = (s.failures ?? 0) + 1;
      const count = (s[COUNTER[action]] ?? 0) + 1;
      let conditions = s.conditions ?? [];
      for (const type of ['Released', 'Ready']) {
        conditions = setCondition(
          conditions,
          { type, status: 'False', reason, message },
          generation,
        );
      }
      if (count > release.retries[action]) {
        conditions = removeCondition(conditions, 'Reconciling');
        conditions = setCondition(
          conditions,
          {
            type: 'Stalled',
            status: 'True',
            reason: 'RetriesExceeded',
            message: `Failed to ${action} after ${count} attempt(s)`,
          },
          generation,
        );
      } else {
        retryAfter = this.delayMs;
        conditions = setCondition(
          conditions,
          {
            type: 'Reconciling',
            status: 'True',
            reason: 'ProgressingWithRetry',
            message,
          },
          generation,
        );
      }
      const releases = [
        snapshotOf(release, version, 'failed', firstDeployed, now),
        ...history,
      ];
      return {
        ...s,
        ...attempted,
        failures,
        [COUNTER[action]]: count,
        history: releases.slice(0, MAX_HISTORY),
        conditions,
      };
    });
    return retryAfter;
  }

  private write(
    object: KubeObject,
    mutate: (status: Record<string, any>) => Record<string, any>,
  ) {
    writeStatus(this.store, object, FIELD_MANAGER, mutate);
  }
}
