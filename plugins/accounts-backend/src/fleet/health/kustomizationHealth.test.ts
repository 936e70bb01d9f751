import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { loadFixture } from './__fixtures__/loadFixture';
import { kustomizationHealth } from './kustomizationHealth';

const cluster: ClusterSyncStatus = {
  cluster: 'staging-eu',
  syncedAt: '2026-11-22T10:59:30.000Z',
  stale: false,
};

const NEW = 'main@sha1:3f9c2a1b4d5e6f708192a3b4c5d6e7f8091a2b3c';
const OLD = 'main@sha1:0123456789abcdef0123456789abcdef01234567';

type Conditions = { conditions: Array<Record<string, unknown>> };

describe('kustomizationHealth', () => {
  it('is healthy when Ready on the revision it attempted, with what Flux reports', () => {
    expect(
      kustomizationHealth(loadFixture('kustomization-healthy'), cluster),
    ).toEqual({
      name: 'acme',
      namespace: 'acme',
      state: 'healthy',
      message: `Kustomization acme/acme is Ready: Applied revision: ${NEW}`,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ReconciliationSucceeded',
          message: `Applied revision: ${NEW}`,
          lastTransitionTime: '2026-11-22T10:07:44Z',
        },
        expect.objectContaining({ type: 'Healthy', status: 'True' }),
      ],
      lastAppliedRevision: NEW,
      lastAttemptedRevision: NEW,
      suspended: false,
      lastHandledReconcileAt: '2026-11-22T09:00:00.000Z',
    });
  });

  it('is failed when the build failed, with the error on one line and what the cluster still has', () => {
    const result = kustomizationHealth(
      loadFixture('kustomization-build-failed'),
      cluster,
    );
    expect(result?.state).toBe('failed');
    expect(result?.message).toBe(
      'Kustomization acme/acme failed on main@3f9c2a1 (BuildFailed): kustomize build failed: accumulating resources: ' +
        "accumulation err='accumulating resources from 'helmrelease-engine.yaml': " +
        "open /tmp/kustomization-1432219083/k8s/flux/staging/acme/helmrelease-engine.yaml: no such file or directory'; " +
        'the cluster still has main@0123456',
    );
    expect(result?.lastAppliedRevision).toBe(OLD);
    expect(result?.lastAttemptedRevision).toBe(NEW);
  });

  it('is failed when Stalled', () => {
    const k = loadFixture('kustomization-healthy');
    (k.status as Conditions).conditions = [
      {
        type: 'Stalled',
        status: 'True',
        reason: 'InvalidPath',
        message: 'path ./k8s/flux/staging/acme not found',
        observedGeneration: 1,
      },
      {
        type: 'Ready',
        status: 'False',
        reason: 'InvalidPath',
        message: 'path ./k8s/flux/staging/acme not found',
        observedGeneration: 1,
      },
    ];
    expect(kustomizationHealth(k, cluster)).toMatchObject({
      state: 'failed',
      message:
        'Kustomization acme/acme failed on main@3f9c2a1 (InvalidPath): path ./k8s/flux/staging/acme not found',
    });
  });

  it('is progressing while applying a revision other than the last applied one', () => {
    const k = loadFixture('kustomization-build-failed');
    (k.status as Conditions).conditions = [
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: `Building manifests for revision ${NEW} with a timeout of 4m30s`,
        observedGeneration: 1,
      },
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
        observedGeneration: 1,
      },
    ];
    expect(kustomizationHealth(k, cluster)).toMatchObject({
      state: 'progressing',
      message: `Flux is applying main@3f9c2a1 with Kustomization acme/acme: Building manifests for revision ${NEW} with a timeout of 4m30s; the cluster still has main@0123456`,
    });
  });

  it('is progressing on a new generation or an unhandled reconcile request', () => {
    const k = loadFixture('kustomization-healthy');
    k.metadata.generation = 2;
    expect(kustomizationHealth(k, cluster)).toMatchObject({
      state: 'progressing',
      message:
        'Kustomization acme/acme is progressing: Flux has not finished generation 2 of its spec yet (last finished: 1)',
    });

    const requested = loadFixture('kustomization-healthy');
    requested.metadata.annotations = {
      'reconcile.fluxcd.io/requestedAt': '2026-11-22T11:00:00.000Z',
    };
    expect(kustomizationHealth(requested, cluster)).toMatchObject({
      state: 'progressing',
      message:
        'Kustomization acme/acme is progressing: the reconcile requested at 2026-11-22T11:00:00.000Z is not handled yet',
    });
  });

  it('does not hold a failure of an earlier generation against a newer spec', () => {
    const k = loadFixture('kustomization-build-failed');
    k.metadata.generation = 2;
    (k.status as { lastAttemptedRevision: string }).lastAttemptedRevision = OLD;
    expect(kustomizationHealth(k, cluster)?.state).toBe('progressing');
  });

  it('is suspended, saying who suspended it through the portal', () => {
    const k = loadFixture('kustomization-healthy');
    (k.spec as { suspend?: boolean }).suspend = true;
    k.metadata.annotations = {
      'fleet-portal.io/suspended-by': 'user:default/alice',
      'fleet-portal.io/suspended-at': '2026-11-22T08:05:00.000Z',
    };
    expect(kustomizationHealth(k, cluster)).toMatchObject({
      state: 'suspended',
      suspended: true,
      suspendedBy: {
        actor: 'user:default/alice',
        at: '2026-11-22T08:05:00.000Z',
      },
      message:
        'Kustomization acme/acme was suspended by user:default/alice at 2026-11-22T08:05:00.000Z: Flux does not reconcile it until it is resumed',
    });
  });

  it('is unknown when never reconciled', () => {
    const k = loadFixture('kustomization-healthy');
    k.status = { observedGeneration: -1 };
    expect(kustomizationHealth(k, cluster)).toMatchObject({
      state: 'unknown',
      message:
        'Kustomization acme/acme has not been reconciled by Flux yet (no status conditions)',
      conditions: [],
    });
  });

  it('is stale when the cluster cannot be read, keeping what was last known', () => {
    const result = kustomizationHealth(
      loadFixture('kustomization-build-failed'),
      {
        ...cluster,
        stale: true,
        error: "Cluster 'staging-eu' did not answer within 5 s",
      },
    );
    expect(result?.state).toBe('stale');
    expect(result?.message).toMatch(
      /^Cluster 'staging-eu' cannot be read now \(Cluster 'staging-eu' did not answer within 5 s\); last known as of 2026-11-22T10:59:30\.000Z: Kustomization acme\/acme failed on main@3f9c2a1 \(BuildFailed\)/,
    );
    expect(result?.lastAttemptedRevision).toBe(NEW);
  });

  it('is undefined when the cluster has no Kustomization for the account', () => {
    expect(kustomizationHealth(undefined, cluster)).toBeUndefined();
  });
});
