import { ClusterSyncStatus } from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../../cluster/ClusterClient';
import { validateFluxObject } from '../../gitops/render/fluxSchemas';
import {
  fixtureScenarios,
  loadFixture,
  loadFixtures,
} from './__fixtures__/loadFixture';
import { releaseHealth, ReleaseHealthInput } from './releaseHealth';

const cluster: ClusterSyncStatus = {
  cluster: 'staging-eu',
  syncedAt: '2026-11-22T10:59:30.000Z',
  stale: false,
};

const TAG = 'main-3f9c2a1-1763800000';

function health(
  scenario: string | KubeObject,
  input: Partial<ReleaseHealthInput> = {},
) {
  const release =
    typeof scenario === 'string' ? loadFixture(scenario) : scenario;
  return releaseHealth({
    service: release.metadata.name,
    namespace: 'acme',
    release,
    cluster,
    ...input,
  });
}

describe('the fixtures', () => {
  it('cover every scenario of the health model', () => {
    expect(fixtureScenarios()).toEqual([
      'helmrelease-drifted',
      'helmrelease-healthy',
      'helmrelease-never-reconciled',
      'helmrelease-reconcile-requested',
      'helmrelease-stalled-retries-exhausted',
      'helmrelease-suspended-by-portal',
      'helmrelease-upgrade-failed-rolled-back',
      'helmrelease-upgrade-in-progress',
      'imagepolicy-non-numeric-tag',
      'kustomization-build-failed',
      'kustomization-healthy',
    ]);
  });

  it.each(fixtureScenarios())(
    '%s is valid against its Flux CRD, status included',
    scenario => {
      expect(loadFixtures(scenario).flatMap(validateFluxObject)).toEqual([]);
    },
  );
});

describe('releaseHealth', () => {
  it('is healthy when Ready, with everything Flux reports filled in', () => {
    const result = health('helmrelease-healthy', {
      desiredTag: TAG,
      liveTag: TAG,
    });
    expect(result).toEqual({
      service: 'backend',
      namespace: 'acme',
      state: 'healthy',
      message:
        'HelmRelease acme/backend is Ready: Helm upgrade succeeded for release acme/backend.v4 with chart backend@1.4.0',
      desired: {
        tag: TAG,
        build: {
          branch: 'main',
          commit: '3f9c2a1',
          builtAt: '2025-11-22T08:26:40.000Z',
        },
      },
      live: expect.objectContaining({ tag: TAG }),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'UpgradeSucceeded',
          message:
            'Helm upgrade succeeded for release acme/backend.v4 with chart backend@1.4.0',
          lastTransitionTime: '2026-11-22T09:12:41Z',
        },
        expect.objectContaining({ type: 'Released', status: 'True' }),
      ],
      history: [
        {
          version: 4,
          chartVersion: '1.4.0',
          appVersion: '1.4.0',
          status: 'deployed',
          deployedAt: '2026-11-22T09:12:29Z',
        },
        {
          version: 3,
          chartVersion: '1.3.2',
          appVersion: '1.3.2',
          status: 'superseded',
          deployedAt: '2026-11-14T16:40:05Z',
        },
      ],
      lastAttemptedRevision: '1.4.0',
      failures: { install: 0, upgrade: 0, total: 0 },
      suspended: false,
      generation: 4,
      observedGeneration: 4,
      lastHandledReconcileAt: '2026-11-21T08:00:00.000Z',
    });
  });

  it('lists history newest first even when the status does not', () => {
    const release = loadFixture('helmrelease-healthy');
    const status = release.status as { history: unknown[] };
    status.history.reverse();
    expect(health(release).history.map(h => h.version)).toEqual([4, 3]);
  });

  it('is failed when the upgrade failed and was rolled back, naming the revision rolled back to', () => {
    const result = health('helmrelease-upgrade-failed-rolled-back');
    expect(result.state).toBe('failed');
    expect(result.message).toBe(
      'Upgrade of HelmRelease acme/backend failed and was rolled back to Helm revision 6 (chart backend@1.4.0): ' +
        'Helm upgrade failed for release acme/backend with chart backend@1.4.0: context deadline exceeded; Flux will retry',
    );
    expect(result.failures).toEqual({ install: 0, upgrade: 1, total: 1 });
    expect(result.conditions.map(c => c.type)).toEqual([
      'Ready',
      'Released',
      'Remediated',
      'Reconciling',
    ]);
    expect(result.history.map(h => [h.version, h.status])).toEqual([
      [6, 'deployed'],
      [5, 'failed'],
      [4, 'superseded'],
    ]);
  });

  it('names the attempted chart when the rollback went to another one', () => {
    const release = loadFixture('helmrelease-upgrade-failed-rolled-back');
    (
      release.status as { lastAttemptedRevision: string }
    ).lastAttemptedRevision = '1.5.0';
    expect(health(release).message).toMatch(
      /^Upgrade of HelmRelease acme\/backend to chart 1\.5\.0 failed and was rolled back to Helm revision 6 \(chart backend@1\.4\.0\): /,
    );
  });

  it('is failed when stalled after the retries ran out, with the Helm error on one line', () => {
    const result = health('helmrelease-stalled-retries-exhausted');
    expect(result.state).toBe('failed');
    expect(result.message).toBe(
      'HelmRelease acme/engine is stalled (RetriesExceeded): Helm upgrade failed for release acme/engine with chart engine@2.1.0: ' +
        'cannot patch "engine" with kind Deployment: Deployment.apps "engine" is invalid: ' +
        'spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1; ' +
        'Failed to upgrade after 3 attempt(s), so Flux stops retrying until the spec changes or a reset is requested',
    );
    expect(result.failures).toEqual({ install: 0, upgrade: 3, total: 3 });
    expect(result.lastAttemptedRevision).toBe('2.1.0');
  });

  it('is failed on Ready False with a failure reason (here a missing chart artifact)', () => {
    const release = loadFixture('helmrelease-healthy');
    (release.status as { conditions: unknown[] }).conditions = [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ArtifactFailed',
        message: 'Could not load chart: unexpected EOF',
        observedGeneration: 4,
        lastTransitionTime: '2026-11-22T11:00:00Z',
      },
    ];
    expect(health(release)).toMatchObject({
      state: 'failed',
      message:
        'HelmRelease acme/backend failed (ArtifactFailed): Could not load chart: unexpected EOF',
    });
  });

  it('does not hold a failure of an earlier generation against a newer spec', () => {
    const release = loadFixture('helmrelease-stalled-retries-exhausted');
    release.metadata.generation = 8;
    expect(health(release)).toMatchObject({
      state: 'progressing',
      message:
        'HelmRelease acme/engine is progressing: Flux has not finished generation 8 of its spec yet (last finished: 7)',
    });
  });

  it('is failed when the ImagePolicy picking the tag fails, naming it and its message', () => {
    const result = health('helmrelease-healthy', {
      imagePolicy: loadFixture('imagepolicy-non-numeric-tag'),
    });
    expect(result.state).toBe('failed');
    expect(result.message).toBe(
      "ImagePolicy flux-system/backend-staging fails (Failure): failed to parse invalid numeric value '1763900000-rc1', so the service's image is not updated",
    );
  });

  it('ignores an ImagePolicy that is Ready', () => {
    const policy = loadFixture('imagepolicy-non-numeric-tag');
    (policy.status as { conditions: unknown[] }).conditions = [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Succeeded',
        message: `Latest image tag for backend resolved to ${TAG}`,
        observedGeneration: 2,
        lastTransitionTime: '2026-11-22T10:02:33Z',
      },
    ];
    expect(health('helmrelease-healthy', { imagePolicy: policy }).state).toBe(
      'healthy',
    );
  });

  it('is progressing while the last attempted chart is newer than the deployed one', () => {
    const result = health('helmrelease-upgrade-in-progress');
    expect(result.state).toBe('progressing');
    expect(result.message).toBe(
      "Flux is upgrading HelmRelease acme/engine to chart 2.1.0 (deployed: 2.0.0): Running 'upgrade' action with timeout of 5m0s",
    );
  });

  it('is progressing on the attempted revision alone, without Reconciling or a new generation', () => {
    const release = loadFixture('helmrelease-healthy');
    (
      release.status as { lastAttemptedRevision: string }
    ).lastAttemptedRevision = '1.5.0';
    expect(health(release)).toMatchObject({
      state: 'progressing',
      message:
        'Flux is upgrading HelmRelease acme/backend to chart 1.5.0 (deployed: 1.4.0)',
    });
  });

  it('compares the attempt with the deployed revision, not a failed one above it, while Flux retries', () => {
    const release = loadFixture('helmrelease-stalled-retries-exhausted');
    // The attempt before the last: retries left, the next upgrade running.
    const status = release.status as {
      conditions: unknown[];
      history: unknown[];
    };
    status.conditions = [
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: "Running 'upgrade' action with timeout of 5m0s",
        observedGeneration: 7,
      },
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: "Running 'upgrade' action with timeout of 5m0s",
        observedGeneration: 7,
      },
    ];
    status.history.shift();
    expect(health(release)).toMatchObject({
      state: 'progressing',
      message:
        "Flux is upgrading HelmRelease acme/engine to chart 2.1.0 (deployed: 2.0.0): Running 'upgrade' action with timeout of 5m0s",
    });
  });

  it('is progressing while a reconcile request is not handled yet', () => {
    const result = health('helmrelease-reconcile-requested');
    expect(result.state).toBe('progressing');
    expect(result.message).toBe(
      'HelmRelease acme/admin is progressing: the reconcile requested at 2026-11-22T10:55:00.000Z is not handled yet',
    );
    expect(result.lastHandledReconcileAt).toBe('2026-11-21T16:30:00.000Z');
  });

  it('is healthy again once Flux echoed the request', () => {
    const release = loadFixture('helmrelease-reconcile-requested');
    (
      release.status as { lastHandledReconcileAt: string }
    ).lastHandledReconcileAt = '2026-11-22T10:55:00.000Z';
    expect(health(release).state).toBe('healthy');
  });

  it('is progressing on Reconciling True alone, with its message', () => {
    const release = loadFixture('helmrelease-healthy');
    (release.status as { conditions: unknown[] }).conditions.push({
      type: 'Reconciling',
      status: 'True',
      reason: 'Progressing',
      message: 'Detecting drift for revision 1.4.0',
      observedGeneration: 4,
      lastTransitionTime: '2026-11-22T11:00:00Z',
    });
    expect(health(release)).toMatchObject({
      state: 'progressing',
      message:
        'HelmRelease acme/backend is reconciling: Detecting drift for revision 1.4.0',
    });
  });

  it("is drifted on Helm's Drifted condition, with its message on one line", () => {
    const result = health('helmrelease-drifted', {
      desiredTag: TAG,
      liveTag: TAG,
    });
    expect(result.state).toBe('drifted');
    expect(result.message).toBe(
      'Helm found HelmRelease acme/admin drifted from its release: Cluster state of release acme/admin.v3 has drifted from the desired state: ' +
        'Deployment/acme/admin changed (0 additions, 1 changes, 0 removals)',
    );
    expect(result.conditions.map(c => c.type)).toEqual([
      'Ready',
      'Released',
      'Drifted',
    ]);
  });

  it('is drifted when Ready but the cluster runs another tag than the config repository says', () => {
    const result = health('helmrelease-healthy', {
      desiredTag: 'main-7d41e0b-1763900000',
      liveTag: TAG,
    });
    expect(result.state).toBe('drifted');
    expect(result.message).toBe(
      `The config repository says main-7d41e0b-1763900000 but the cluster runs ${TAG}, though HelmRelease acme/backend is Ready`,
    );
    expect(result.desired?.build?.commit).toBe('7d41e0b');
    expect(result.live?.build?.commit).toBe('3f9c2a1');
  });

  it('does not call it drifted when either tag is unknown', () => {
    expect(health('helmrelease-healthy', { desiredTag: TAG }).state).toBe(
      'healthy',
    );
    expect(health('helmrelease-healthy', { liveTag: TAG }).state).toBe(
      'healthy',
    );
  });

  it('is suspended, saying who suspended it through the portal and when', () => {
    const result = health('helmrelease-suspended-by-portal');
    expect(result).toMatchObject({
      state: 'suspended',
      suspended: true,
      suspendedBy: {
        actor: 'user:default/alice',
        at: '2026-11-22T08:05:00.000Z',
      },
      message:
        'HelmRelease acme/backend was suspended by user:default/alice at 2026-11-22T08:05:00.000Z: Flux does not reconcile it until it is resumed',
    });
  });

  it('is suspended without suspendedBy when suspended outside the portal', () => {
    const release = loadFixture('helmrelease-suspended-by-portal');
    delete release.metadata.annotations;
    const result = health(release);
    expect(result.state).toBe('suspended');
    expect(result).not.toHaveProperty('suspendedBy');
    expect(result.message).toMatch(
      /is suspended \(spec\.suspend, not set through the portal\)/,
    );
  });

  it('is unknown when never reconciled', () => {
    expect(health('helmrelease-never-reconciled')).toMatchObject({
      state: 'unknown',
      message:
        'HelmRelease acme/beat has not been reconciled by Flux yet (no status conditions)',
      conditions: [],
      history: [],
      generation: 1,
      observedGeneration: -1,
    });
  });

  it('is unknown when the cluster has no such HelmRelease', () => {
    expect(
      releaseHealth({
        service: 'engine',
        namespace: 'acme',
        cluster,
        desiredTag: '2.1.0',
      }),
    ).toEqual({
      service: 'engine',
      namespace: 'acme',
      state: 'unknown',
      message: "HelmRelease acme/engine is not on cluster 'staging-eu'",
      desired: { tag: '2.1.0' },
      conditions: [],
      history: [],
      failures: { install: 0, upgrade: 0, total: 0 },
      suspended: false,
    });
  });

  it('is unknown when Ready is Unknown for no reason it explains', () => {
    const release = loadFixture('helmrelease-healthy');
    (release.status as { conditions: unknown[] }).conditions = [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'ControllerRestarted',
        message: 'no report since the controller restarted',
        observedGeneration: 4,
        lastTransitionTime: '2026-11-22T11:00:00Z',
      },
    ];
    expect(health(release)).toMatchObject({
      state: 'unknown',
      message:
        'HelmRelease acme/backend reports Ready Unknown (ControllerRestarted): no report since the controller restarted',
    });
  });

  describe('when the cluster cannot be read', () => {
    const stale: ClusterSyncStatus = {
      cluster: 'staging-eu',
      syncedAt: '2026-11-22T10:40:00.000Z',
      stale: true,
      error: "Cluster 'staging-eu' did not answer within 5 s",
    };

    it('is stale, naming the error and what was last known, with every field still filled in', () => {
      const result = health('helmrelease-upgrade-failed-rolled-back', {
        cluster: stale,
        desiredTag: 'main-7d41e0b-1763900000',
      });
      expect(result.state).toBe('stale');
      expect(result.message).toMatch(
        /^Cluster 'staging-eu' cannot be read now \(Cluster 'staging-eu' did not answer within 5 s\); last known as of 2026-11-22T10:40:00\.000Z: Upgrade of HelmRelease acme\/backend failed and was rolled back to Helm revision 6/,
      );
      expect(result.history).toHaveLength(3);
      expect(result.failures.upgrade).toBe(1);
      expect(result.conditions).toHaveLength(4);
      expect(result.desired?.tag).toBe('main-7d41e0b-1763900000');
    });

    it('is stale even for a healthy release or one not on the cluster', () => {
      expect(health('helmrelease-healthy', { cluster: stale }).state).toBe(
        'stale',
      );
      expect(
        releaseHealth({ service: 'beat', namespace: 'acme', cluster: stale })
          .message,
      ).toMatch(
        /last known as of .*: HelmRelease acme\/beat is not on cluster/,
      );
    });
  });
});
