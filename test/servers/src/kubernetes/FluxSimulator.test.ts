import {
  AccountFixture,
  deploymentRef,
  FOLDER,
  hrRef,
  ksRef,
  sourceRef,
  HELM_RELEASE,
  PORTAL,
  REPOSITORY_URL,
} from './__testUtils__/AccountFixture';

// The simulated source- and kustomize-controllers against the simulated API
// server and a real bare repository holding the account folder the portal
// renders (accounts-backend's golden files), committed with isomorphic-git.

let t: AccountFixture;

beforeEach(async () => {
  t = await AccountFixture.create();
});

afterEach(async () => {
  await t.dispose();
});

describe('FluxSimulator', () => {
  it('applies the account folder: HelmReleases in the account namespace, Ready with the revision and an inventory', async () => {
    const sha = await t.deployAccount();

    const source = t.status(sourceRef);
    expect(source.artifact.revision).toBe(`main@sha1:${sha}`);
    expect(
      source.conditions.find((c: any) => c.type === 'Ready'),
    ).toMatchObject({
      status: 'True',
      reason: 'Succeeded',
      message: `stored artifact for revision 'main@sha1:${sha}'`,
    });

    const ks = t.status(ksRef);
    expect(t.condition(ksRef)).toMatchObject({
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${sha}`,
    });
    expect(t.condition(ksRef, 'Reconciling')).toBeUndefined();
    expect(ks.lastAppliedRevision).toBe(`main@sha1:${sha}`);
    expect(ks.lastAttemptedRevision).toBe(`main@sha1:${sha}`);
    expect(ks.observedGeneration).toBe(t.get(ksRef).metadata.generation);
    expect(ks.inventory.entries).toEqual(
      expect.arrayContaining([
        { id: 'acme_account-config__ConfigMap', v: 'v1' },
        { id: 'acme_backend_helm.toolkit.fluxcd.io_HelmRelease', v: 'v2' },
        { id: 'acme_engine_helm.toolkit.fluxcd.io_HelmRelease', v: 'v2' },
        {
          id: 'acme_slack_notification.toolkit.fluxcd.io_Provider',
          v: 'v1beta3',
        },
      ]),
    );
    expect(ks.inventory.entries).toHaveLength(6);

    const names = t.store
      .list(HELM_RELEASE.apiVersion, 'HelmRelease', { namespace: 'acme' })
      .items.map(i => i.metadata.name);
    expect(names.sort()).toEqual(['admin', 'backend', 'engine']);
    const backend = t.get(hrRef('backend'));
    expect(backend.metadata.labels).toMatchObject({
      'fleet-portal.io/account': 'acme',
      'kustomize.toolkit.fluxcd.io/name': 'acme',
      'kustomize.toolkit.fluxcd.io/namespace': 'acme',
    });
    expect(backend.metadata.managedFields?.map(f => f.manager)).toContain(
      'kustomize-controller',
    );
    expect(t.condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
      message:
        'Helm install succeeded for release acme/backend.v1 with chart backend@1.4.0',
    });
    const hr = t.status(hrRef('backend'));
    expect(hr.history).toHaveLength(1);
    expect(hr.history[0]).toMatchObject({
      name: 'backend',
      namespace: 'acme',
      version: 1,
      status: 'deployed',
      chartName: 'backend',
      chartVersion: '1.4.0',
      appVersion: 'main-3f9c2a1-1763800000',
    });
    expect(hr).toMatchObject({
      lastAttemptedReleaseAction: 'install',
      lastAttemptedRevision: '1.4.0',
      observedGeneration: 1,
      lastAttemptedGeneration: 1,
    });
    expect(hr.lastAttemptedConfigDigest).toBe(hr.history[0].configDigest);
    expect(t.status(hrRef('engine')).history[0]).toMatchObject({
      chartName: 'engine',
      chartVersion: '2.1.0',
    });

    const deployment = t.get(deploymentRef('backend'));
    const values = (backend.spec as any).values;
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/instance': 'backend',
    });
    expect((deployment.spec as any).template.spec.containers[0].image).toBe(
      `${values.image.repository}:${values.image.tag}`,
    );
    expect(deployment.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 1,
    });
  });

  it('applies nothing while the Kustomization is suspended and catches up on resume', async () => {
    const first = await t.deployAccount();
    t.store.mergePatch(
      ksRef,
      { spec: { suspend: true } },
      { fieldManager: PORTAL },
    );
    t.editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 2;
    });
    const second = await t.commit('Scale backend');
    await t.flux.idle();

    const source = t.status(sourceRef);
    expect(source.artifact.revision).toBe(`main@sha1:${second}`);
    expect(t.status(ksRef).lastAppliedRevision).toBe(`main@sha1:${first}`);
    expect(t.get(hrRef('backend')).metadata.generation).toBe(1);

    t.store.mergePatch(
      ksRef,
      { spec: { suspend: false } },
      { fieldManager: PORTAL },
    );
    await t.flux.idle();
    expect(t.status(ksRef).lastAppliedRevision).toBe(`main@sha1:${second}`);
    expect((t.get(hrRef('backend')).spec as any).values.replicas).toBe(2);
    expect(t.status(hrRef('backend')).history[0].version).toBe(2);
  });

  it('prunes a HelmRelease whose file was removed, with its workload', async () => {
    await t.deployAccount();
    delete t.files[`${FOLDER}/helmrelease-engine.yaml`];
    t.setResources([
      'account-config.yaml',
      'alert.yaml',
      'helmrelease-admin.yaml',
      'helmrelease-backend.yaml',
      'provider.yaml',
    ]);
    const sha = await t.commit('Remove engine');
    await t.flux.idle();

    expect(t.store.get(hrRef('engine'))).toBeUndefined();
    expect(t.store.get(deploymentRef('engine'))).toBeUndefined();
    expect(t.store.get(hrRef('backend'))).toBeDefined();
    expect(t.status(ksRef).lastAppliedRevision).toBe(`main@sha1:${sha}`);
    expect(
      t.status(ksRef).inventory.entries.map((e: any) => e.id),
    ).not.toContain('acme_engine_helm.toolkit.fluxcd.io_HelmRelease');
  });

  it('fails on an invalid object, naming it, and applies nothing of that commit', async () => {
    const first = await t.deployAccount();
    t.files[`${FOLDER}/helmrelease-broken.yaml`] = t.files[
      `${FOLDER}/helmrelease-engine.yaml`
    ]
      .replace('name: engine', 'name: broken')
      .replace('interval: 5m', 'interval: every five minutes');
    t.setResources([
      'account-config.yaml',
      'alert.yaml',
      'helmrelease-admin.yaml',
      'helmrelease-backend.yaml',
      'helmrelease-broken.yaml',
      'helmrelease-engine.yaml',
      'provider.yaml',
    ]);
    t.editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 5;
    });
    const second = await t.commit('Add a broken release');
    await t.flux.idle();

    const ready = t.condition(ksRef);
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ReconciliationFailed',
    });
    expect(ready.message).toMatch(
      /^HelmRelease\/acme\/broken dry-run failed \(Invalid\): .*spec\.interval/,
    );
    expect(t.condition(ksRef, 'Reconciling')).toMatchObject({
      reason: 'ProgressingWithRetry',
    });
    expect(t.status(ksRef)).toMatchObject({
      lastAttemptedRevision: `main@sha1:${second}`,
      lastAppliedRevision: `main@sha1:${first}`,
    });
    expect(t.store.get(hrRef('broken'))).toBeUndefined();
    expect((t.get(hrRef('backend')).spec as any).values.replicas).toBe(1);
  });

  it('reconciles a Kustomization on request, restoring what was deleted by hand', async () => {
    await t.deployAccount();
    t.store.delete(hrRef('admin'));
    await t.flux.idle();
    // helm-controller uninstalls; nothing brings it back before the next run.
    expect(t.store.get(deploymentRef('admin'))).toBeUndefined();
    expect(t.store.get(hrRef('admin'))).toBeUndefined();

    t.annotate(ksRef, {
      'reconcile.fluxcd.io/requestedAt': '2026-11-23T10:00:00Z',
    });
    await t.flux.idle();
    expect(t.status(ksRef).lastHandledReconcileAt).toBe('2026-11-23T10:00:00Z');
    expect(t.condition(hrRef('admin'))).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
    });
    expect(t.store.get(deploymentRef('admin'))).toBeDefined();
  });

  it('reconciles again every spec.interval', async () => {
    await t.commit('Add account acme');
    t.flux.start();
    t.provision({ interval: '50ms' });
    await t.flux.idle();
    const restored = new Promise<void>(resolve => {
      const unsubscribe = t.store.subscribe(({ type, object }) => {
        if (type === 'ADDED' && object.kind === 'HelmRelease') {
          unsubscribe();
          resolve();
        }
      });
    });
    t.store.delete(hrRef('engine'));
    await restored;
    expect(t.get(hrRef('engine')).metadata.labels).toMatchObject({
      'kustomize.toolkit.fluxcd.io/name': 'acme',
    });
  });

  it('deletes what a pruning Kustomization applied when the Kustomization is deleted', async () => {
    await t.deployAccount();
    t.store.delete(ksRef);
    await t.flux.idle();

    expect(
      t.store.list(HELM_RELEASE.apiVersion, 'HelmRelease', {
        namespace: 'acme',
      }).items,
    ).toEqual([]);
    expect(
      t.store.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'acme',
        name: 'account-config',
      }),
    ).toBeUndefined();
    expect(t.store.get(deploymentRef('backend'))).toBeUndefined();
    expect(
      t.store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'acme' }),
    ).toBeDefined();
  });

  it('reports a missing source, an unknown repository and a missing branch', async () => {
    const sha = await t.commit('Initial');
    t.flux.start();
    t.provision({
      sourceRef: {
        kind: 'GitRepository',
        name: 'elsewhere',
        namespace: 'flux-system',
      },
    });
    const other = { ...sourceRef, name: 'other-config' };
    t.store.apply(
      {
        apiVersion: other.apiVersion,
        kind: other.kind,
        metadata: { name: other.name, namespace: other.namespace },
        spec: { interval: '1m', url: REPOSITORY_URL, ref: { branch: 'main' } },
      },
      { fieldManager: PORTAL },
    );
    await t.flux.idle();

    expect(t.condition(ksRef)).toMatchObject({
      status: 'False',
      reason: 'ArtifactFailed',
      message: 'gitrepositories.source.toolkit.fluxcd.io "elsewhere" not found',
    });
    expect(t.condition(other)).toMatchObject({
      status: 'False',
      reason: 'GitOperationFailed',
      message: `failed to checkout and determine revision: unable to clone '${REPOSITORY_URL}': repository not found`,
    });

    t.patchSpec(sourceRef, { ref: { branch: 'next' } }, 'flux-cli');
    await t.flux.idle();
    expect(t.condition(sourceRef)).toMatchObject({
      status: 'False',
      reason: 'GitOperationFailed',
      message: `failed to checkout and determine revision: unable to clone '${REPOSITORY_URL}': couldn't find remote ref "refs/heads/next"`,
    });
    expect(t.condition(sourceRef, 'FetchFailed')).toMatchObject({
      status: 'True',
    });
    // The last artifact stays, as source-controller keeps it.
    expect(t.status(sourceRef).artifact.revision).toBe(`main@sha1:${sha}`);
  });

  it('stops without leaving timers or writing afterwards', async () => {
    // Every timer started while the simulator runs, until it fires or is cleared.
    const pending = new Set<unknown>();
    const realSetTimeout = global.setTimeout;
    const realClearTimeout = global.clearTimeout;
    const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((
      fn: (...a: unknown[]) => void,
      ms?: number,
    ) => {
      const handle = realSetTimeout(() => {
        pending.delete(handle);
        fn();
      }, ms);
      pending.add(handle);
      return handle;
    }) as typeof setTimeout);
    const clearSpy = jest
      .spyOn(global, 'clearTimeout')
      .mockImplementation(handle => {
        pending.delete(handle);
        realClearTimeout(handle);
      });
    try {
      await t.commit('Add account acme');
      const slow = AccountFixture.flux(t.store, t.repository, {
        sourceMs: 1,
        kustomizeMs: 1,
        helmMs: 60_000,
        pollMs: 10,
      });
      const helmStarted = new Promise<void>(resolve => {
        const unsubscribe = t.store.subscribe(({ object }) => {
          const reconciling = (object.status as any)?.conditions?.find(
            (c: any) => c.type === 'Reconciling',
          );
          if (object.kind === 'HelmRelease' && reconciling?.status === 'True') {
            unsubscribe();
            resolve();
          }
        });
      });
      slow.start();
      t.provision();
      await helmStarted;
      // The release in progress, the Kustomization's interval and the poll.
      expect(pending.size).toBeGreaterThanOrEqual(3);

      await slow.stop();
      expect(pending.size).toBe(0);
      const version = t.store.resourceVersion;
      await new Promise(resolve => realSetTimeout(resolve, 20));
      expect(t.store.resourceVersion).toBe(version);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });
});
