import {
  AccountFixture,
  deploymentRef,
  hrRef,
  ksRef,
} from './__testUtils__/AccountFixture';

// The simulated helm-controller, driven by HelmReleases the simulated
// kustomize-controller applies from a real bare repository.

let t: AccountFixture;

beforeEach(async () => {
  t = await AccountFixture.create();
});

afterEach(async () => {
  await t.dispose();
});

describe('FluxSimulator helm-controller', () => {
  it('upgrades a HelmRelease whose values a new commit changes, superseding the previous revision', async () => {
    await t.deployAccount();
    t.editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.image.tag = 'main-4a0b1c2-1763900000';
      doc.spec.values.replicas = 3;
    });
    const sha = await t.commit('Deploy backend main-4a0b1c2');
    await t.flux.idle();

    expect(t.status(ksRef).lastAppliedRevision).toBe(`main@sha1:${sha}`);
    const backend = t.get(hrRef('backend'));
    expect(backend.metadata.generation).toBe(2);
    const hr = t.status(hrRef('backend'));
    expect(hr.observedGeneration).toBe(2);
    expect(hr.history.map((h: any) => [h.version, h.status])).toEqual([
      [2, 'deployed'],
      [1, 'superseded'],
    ]);
    expect(hr.history[0].appVersion).toBe('main-4a0b1c2-1763900000');
    expect(hr.history[0].configDigest).not.toBe(hr.history[1].configDigest);
    expect(hr.history[0].firstDeployed).toBe(hr.history[1].firstDeployed);
    expect(t.condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release acme/backend.v2 with chart backend@1.4.0',
    });
    expect(t.get(deploymentRef('backend')).status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
    });
    // Releases whose HelmRelease did not change are left alone.
    expect(t.status(hrRef('admin')).history).toHaveLength(1);
  });

  it('fails an upgrade like Flux, stays failed on a plain reconcile request and recovers on a reset', async () => {
    await t.deployAccount();
    const deployedImage = (t.get(deploymentRef('backend')).spec as any).template
      .spec.containers[0].image;
    t.flux.failRelease(
      'acme',
      'backend',
      'timed out waiting for the condition',
    );
    t.editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.image.tag = 'main-5b5b5b5-1764000000';
    });
    await t.commit('Deploy a broken backend');
    await t.flux.idle();

    const message =
      'Helm upgrade failed for release acme/backend with chart backend@1.4.0: timed out waiting for the condition';
    expect(t.condition(hrRef('backend'))).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
      message,
    });
    expect(t.condition(hrRef('backend'), 'Released')).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
      message,
    });
    expect(t.condition(hrRef('backend'), 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
      message: 'Failed to upgrade after 1 attempt(s)',
    });
    let hr = t.status(hrRef('backend'));
    expect(hr).toMatchObject({
      failures: 1,
      upgradeFailures: 1,
      lastAttemptedReleaseAction: 'upgrade',
      observedGeneration: 2,
    });
    expect(hr.history.map((h: any) => [h.version, h.status])).toEqual([
      [2, 'failed'],
      [1, 'deployed'],
    ]);
    expect(
      (t.get(deploymentRef('backend')).spec as any).template.spec.containers[0]
        .image,
    ).toBe(deployedImage);

    // `flux reconcile hr` alone does not retry a release out of retries.
    t.flux.clearFailure('acme', 'backend');
    t.annotate(hrRef('backend'), {
      'reconcile.fluxcd.io/requestedAt': 'first',
    });
    await t.flux.idle();
    hr = t.status(hrRef('backend'));
    expect(hr.lastHandledReconcileAt).toBe('first');
    expect(t.condition(hrRef('backend'))).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
    });
    expect(hr.history).toHaveLength(2);

    // `flux reconcile hr --reset` does.
    t.annotate(hrRef('backend'), {
      'reconcile.fluxcd.io/requestedAt': 'second',
      'reconcile.fluxcd.io/resetAt': 'second',
    });
    await t.flux.idle();
    hr = t.status(hrRef('backend'));
    expect(t.condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release acme/backend.v3 with chart backend@1.4.0',
    });
    expect(t.condition(hrRef('backend'), 'Stalled')).toBeUndefined();
    expect(hr).toMatchObject({
      lastHandledReconcileAt: 'second',
      lastHandledResetAt: 'second',
    });
    expect(hr.failures).toBeUndefined();
    expect(hr.upgradeFailures).toBeUndefined();
    expect(hr.history.map((h: any) => [h.version, h.status])).toEqual([
      [3, 'deployed'],
      [2, 'failed'],
      [1, 'superseded'],
    ]);
  });

  it('reports a failed install and installs nothing', async () => {
    t.flux.failRelease('acme', 'engine', 'image pull back-off');
    await t.deployAccount();

    expect(t.condition(hrRef('engine'))).toMatchObject({
      status: 'False',
      reason: 'InstallFailed',
      message:
        'Helm install failed for release acme/engine with chart engine@2.1.0: image pull back-off',
    });
    expect(t.status(hrRef('engine'))).toMatchObject({
      failures: 1,
      installFailures: 1,
      lastAttemptedReleaseAction: 'install',
    });
    expect(t.store.get(deploymentRef('engine'))).toBeUndefined();
    expect(t.condition(hrRef('backend'))).toMatchObject({ status: 'True' });

    // Suspending and resuming changes the generation, which resets the counts.
    t.flux.clearFailure('acme', 'engine');
    for (const suspend of [true, false]) {
      t.store.mergePatch(
        hrRef('engine'),
        { spec: { suspend } },
        { fieldManager: 'flux-cli' },
      );
    }
    await t.flux.idle();
    expect(t.condition(hrRef('engine'))).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
      message:
        'Helm install succeeded for release acme/engine.v1 with chart engine@2.1.0',
    });
    expect(t.status(hrRef('engine')).history).toEqual([
      expect.objectContaining({ version: 1, status: 'deployed' }),
    ]);
    expect(t.store.get(deploymentRef('engine'))).toBeDefined();
  });

  it('retries a failing install spec.install.remediation.retries times, then stalls', async () => {
    t.editFile('helmrelease-engine.yaml', doc => {
      doc.spec.install = { remediation: { retries: 2 } };
    });
    t.flux.failRelease('acme', 'engine', 'image pull back-off');
    await t.deployAccount();

    expect(t.status(hrRef('engine'))).toMatchObject({
      failures: 3,
      installFailures: 3,
    });
    expect(t.condition(hrRef('engine'), 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
      message: 'Failed to install after 3 attempt(s)',
    });
    expect(t.condition(hrRef('engine'), 'Reconciling')).toBeUndefined();
  });

  it('does not reconcile a suspended HelmRelease until it is resumed', async () => {
    await t.deployAccount();
    t.store.mergePatch(
      hrRef('backend'),
      { spec: { suspend: true } },
      { fieldManager: 'flux-cli' },
    );
    t.editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 4;
    });
    await t.commit('Scale backend');
    await t.flux.idle();

    const backend = t.get(hrRef('backend'));
    expect((backend.spec as any).values.replicas).toBe(4);
    expect(t.status(hrRef('backend')).observedGeneration).toBeLessThan(
      backend.metadata.generation!,
    );
    expect(t.status(hrRef('backend')).history).toHaveLength(1);

    t.store.mergePatch(
      hrRef('backend'),
      { spec: { suspend: false } },
      { fieldManager: 'flux-cli' },
    );
    await t.flux.idle();
    expect(t.status(hrRef('backend')).history[0]).toMatchObject({
      version: 2,
      status: 'deployed',
    });
    expect(t.get(deploymentRef('backend')).status).toMatchObject({
      readyReplicas: 4,
    });
  });
});
