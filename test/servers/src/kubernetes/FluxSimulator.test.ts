import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import {
  BareRepository,
  createBareRepository,
} from './__testUtils__/bareRepository';
import { KubeObject, ObjectRef } from './ClusterStore';
import { FluxSimulator } from './FluxSimulator';
import { InMemoryClusterStore } from './InMemoryClusterStore';

// The simulated Flux controllers against the simulated API server and a
// real bare repository: the account folder is what the portal renders
// (the accounts-backend golden files), committed with isomorphic-git.

const GOLDEN = path.resolve(
  __dirname,
  '../../../../plugins/accounts-backend/src/gitops/render/__fixtures__/golden/staging-acme',
);
const FOLDER = 'k8s/flux/staging/acme';
const PORTAL = 'fleet-portal';
const HELM_RELEASE = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
};
const KUSTOMIZATION = {
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
};
const ksRef: ObjectRef = { ...KUSTOMIZATION, namespace: 'acme', name: 'acme' };
const hrRef = (name: string): ObjectRef => ({
  ...HELM_RELEASE,
  namespace: 'acme',
  name,
});
const deploymentRef = (name: string): ObjectRef => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'acme',
  name,
});

let repository: BareRepository;
let gitdir: string;
let store: InMemoryClusterStore;
let flux: FluxSimulator;
let files: Record<string, string>;

beforeEach(async () => {
  repository = await createBareRepository();
  gitdir = repository.gitdir;
  files = { 'README.md': '# fleet config\n' };
  for (const name of fs.readdirSync(GOLDEN)) {
    files[`${FOLDER}/${name}`] = fs.readFileSync(
      path.join(GOLDEN, name),
      'utf8',
    );
  }
  store = new InMemoryClusterStore({ name: 'staging-eu' });
  flux = new FluxSimulator({
    store,
    gitRepositories: [
      {
        namespace: 'flux-system',
        name: 'fleet-config',
        url: 'http://127.0.0.1:1/acme/config.git',
        branch: 'main',
        path: gitdir,
      },
    ],
    timing: { sourceMs: 5, kustomizeMs: 5, helmMs: 5, pollMs: 20 },
  });
});

afterEach(async () => {
  await flux.stop();
  repository.remove();
});

/** Commits `files` as the whole tree of main; returns the commit sha. */
function commit(message: string): Promise<string> {
  return repository.commit(files, message);
}

/** What the portal's provisioning applies for an account. */
function provision(spec: Record<string, unknown> = {}) {
  store.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
    { fieldManager: PORTAL },
  );
  store.apply(
    {
      ...KUSTOMIZATION,
      metadata: { name: 'acme', namespace: 'acme' },
      spec: {
        interval: '5m',
        path: `./${FOLDER}`,
        prune: true,
        sourceRef: {
          kind: 'GitRepository',
          name: 'fleet-config',
          namespace: 'flux-system',
        },
        ...spec,
      },
    },
    { fieldManager: PORTAL },
  );
}

function get(ref: ObjectRef): KubeObject {
  const object = store.get(ref);
  if (!object)
    throw new Error(`${ref.kind} ${ref.namespace}/${ref.name} is missing`);
  return object;
}

function status(ref: ObjectRef): Record<string, any> {
  return (get(ref).status ?? {}) as Record<string, any>;
}

function condition(ref: ObjectRef, type = 'Ready') {
  return status(ref).conditions?.find((c: { type: string }) => c.type === type);
}

/** Rewrites one YAML file of the account folder. */
function editFile(name: string, edit: (doc: any) => void) {
  const doc = YAML.parse(files[`${FOLDER}/${name}`]);
  edit(doc);
  files[`${FOLDER}/${name}`] = YAML.stringify(doc);
}

function setResources(resources: string[]) {
  files[`${FOLDER}/kustomization.yaml`] = YAML.stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  });
}

function requestReconcile(ref: ObjectRef, annotations: Record<string, string>) {
  store.mergePatch(
    ref,
    { metadata: { annotations } },
    { fieldManager: 'flux-cli' },
  );
}

async function deployAccount(): Promise<string> {
  const sha = await commit('Add account acme');
  flux.start();
  provision();
  await flux.idle();
  return sha;
}

describe('FluxSimulator', () => {
  it('applies the account folder: HelmReleases in the account namespace, Ready with the revision and an inventory', async () => {
    const sha = await deployAccount();

    const source = status({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet-config',
    });
    expect(source.artifact.revision).toBe(`main@sha1:${sha}`);
    expect(
      source.conditions.find((c: any) => c.type === 'Ready'),
    ).toMatchObject({
      status: 'True',
      reason: 'Succeeded',
      message: `stored artifact for revision 'main@sha1:${sha}'`,
    });

    const ks = status(ksRef);
    expect(condition(ksRef)).toMatchObject({
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: `Applied revision: main@sha1:${sha}`,
    });
    expect(condition(ksRef, 'Reconciling')).toBeUndefined();
    expect(ks.lastAppliedRevision).toBe(`main@sha1:${sha}`);
    expect(ks.lastAttemptedRevision).toBe(`main@sha1:${sha}`);
    expect(ks.observedGeneration).toBe(get(ksRef).metadata.generation);
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

    const names = store
      .list(HELM_RELEASE.apiVersion, 'HelmRelease', { namespace: 'acme' })
      .items.map(i => i.metadata.name);
    expect(names.sort()).toEqual(['admin', 'backend', 'engine']);
    const backend = get(hrRef('backend'));
    expect(backend.metadata.labels).toMatchObject({
      'fleet-portal.io/account': 'acme',
      'kustomize.toolkit.fluxcd.io/name': 'acme',
      'kustomize.toolkit.fluxcd.io/namespace': 'acme',
    });
    expect(backend.metadata.managedFields?.map(f => f.manager)).toContain(
      'kustomize-controller',
    );
    expect(condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
      message:
        'Helm install succeeded for release acme/backend.v1 with chart backend@1.4.0',
    });
    const hr = status(hrRef('backend'));
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
    expect(status(hrRef('engine')).history[0]).toMatchObject({
      chartName: 'engine',
      chartVersion: '2.1.0',
    });

    const deployment = get(deploymentRef('backend'));
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

  it('upgrades a HelmRelease whose values a new commit changes, superseding the previous revision', async () => {
    await deployAccount();
    editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.image.tag = 'main-4a0b1c2-1763900000';
      doc.spec.values.replicas = 3;
    });
    const sha = await commit('Deploy backend main-4a0b1c2');
    await flux.idle();

    expect(status(ksRef).lastAppliedRevision).toBe(`main@sha1:${sha}`);
    const backend = get(hrRef('backend'));
    expect(backend.metadata.generation).toBe(2);
    const hr = status(hrRef('backend'));
    expect(hr.observedGeneration).toBe(2);
    expect(hr.history.map((h: any) => [h.version, h.status])).toEqual([
      [2, 'deployed'],
      [1, 'superseded'],
    ]);
    expect(hr.history[0].appVersion).toBe('main-4a0b1c2-1763900000');
    expect(hr.history[0].configDigest).not.toBe(hr.history[1].configDigest);
    expect(hr.history[0].firstDeployed).toBe(hr.history[1].firstDeployed);
    expect(condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release acme/backend.v2 with chart backend@1.4.0',
    });
    expect(get(deploymentRef('backend')).status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
    });
    // Releases whose HelmRelease did not change are left alone.
    expect(status(hrRef('admin')).history).toHaveLength(1);
  });

  it('fails an upgrade like Flux, stays failed on a plain reconcile request and recovers on a reset', async () => {
    await deployAccount();
    const deployedImage = (get(deploymentRef('backend')).spec as any).template
      .spec.containers[0].image;
    flux.failRelease('acme', 'backend', 'timed out waiting for the condition');
    editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.image.tag = 'main-5b5b5b5-1764000000';
    });
    await commit('Deploy a broken backend');
    await flux.idle();

    const message =
      'Helm upgrade failed for release acme/backend with chart backend@1.4.0: timed out waiting for the condition';
    expect(condition(hrRef('backend'))).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
      message,
    });
    expect(condition(hrRef('backend'), 'Released')).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
      message,
    });
    expect(condition(hrRef('backend'), 'Stalled')).toMatchObject({
      status: 'True',
      reason: 'RetriesExceeded',
      message: 'Failed to upgrade after 1 attempt(s)',
    });
    let hr = status(hrRef('backend'));
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
      (get(deploymentRef('backend')).spec as any).template.spec.containers[0]
        .image,
    ).toBe(deployedImage);

    // `flux reconcile hr` alone does not retry a release out of retries.
    flux.clearFailure('acme', 'backend');
    requestReconcile(hrRef('backend'), {
      'reconcile.fluxcd.io/requestedAt': 'first',
    });
    await flux.idle();
    hr = status(hrRef('backend'));
    expect(hr.lastHandledReconcileAt).toBe('first');
    expect(condition(hrRef('backend'))).toMatchObject({
      status: 'False',
      reason: 'UpgradeFailed',
    });
    expect(hr.history).toHaveLength(2);

    // `flux reconcile hr --reset` does.
    requestReconcile(hrRef('backend'), {
      'reconcile.fluxcd.io/requestedAt': 'second',
      'reconcile.fluxcd.io/resetAt': 'second',
    });
    await flux.idle();
    hr = status(hrRef('backend'));
    expect(condition(hrRef('backend'))).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
      message:
        'Helm upgrade succeeded for release acme/backend.v3 with chart backend@1.4.0',
    });
    expect(condition(hrRef('backend'), 'Stalled')).toBeUndefined();
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
    flux.failRelease('acme', 'engine', 'image pull back-off');
    await deployAccount();

    expect(condition(hrRef('engine'))).toMatchObject({
      status: 'False',
      reason: 'InstallFailed',
      message:
        'Helm install failed for release acme/engine with chart engine@2.1.0: image pull back-off',
    });
    expect(status(hrRef('engine'))).toMatchObject({
      failures: 1,
      installFailures: 1,
      lastAttemptedReleaseAction: 'install',
    });
    expect(store.get(deploymentRef('engine'))).toBeUndefined();
    expect(condition(hrRef('backend'))).toMatchObject({ status: 'True' });
  });

  it('applies nothing while the Kustomization is suspended and catches up on resume', async () => {
    const first = await deployAccount();
    store.mergePatch(
      ksRef,
      { spec: { suspend: true } },
      { fieldManager: PORTAL },
    );
    editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 2;
    });
    const second = await commit('Scale backend');
    await flux.idle();

    const source = status({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet-config',
    });
    expect(source.artifact.revision).toBe(`main@sha1:${second}`);
    expect(status(ksRef).lastAppliedRevision).toBe(`main@sha1:${first}`);
    expect(get(hrRef('backend')).metadata.generation).toBe(1);

    store.mergePatch(
      ksRef,
      { spec: { suspend: false } },
      { fieldManager: PORTAL },
    );
    await flux.idle();
    expect(status(ksRef).lastAppliedRevision).toBe(`main@sha1:${second}`);
    expect((get(hrRef('backend')).spec as any).values.replicas).toBe(2);
    expect(status(hrRef('backend')).history[0].version).toBe(2);
  });

  it('does not reconcile a suspended HelmRelease until it is resumed', async () => {
    await deployAccount();
    store.mergePatch(
      hrRef('backend'),
      { spec: { suspend: true } },
      { fieldManager: 'flux-cli' },
    );
    editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 4;
    });
    await commit('Scale backend');
    await flux.idle();

    const backend = get(hrRef('backend'));
    expect((backend.spec as any).values.replicas).toBe(4);
    expect(status(hrRef('backend')).observedGeneration).toBeLessThan(
      backend.metadata.generation!,
    );
    expect(status(hrRef('backend')).history).toHaveLength(1);

    store.mergePatch(
      hrRef('backend'),
      { spec: { suspend: false } },
      { fieldManager: 'flux-cli' },
    );
    await flux.idle();
    expect(status(hrRef('backend')).history[0]).toMatchObject({
      version: 2,
      status: 'deployed',
    });
    expect(get(deploymentRef('backend')).status).toMatchObject({
      readyReplicas: 4,
    });
  });

  it('prunes a HelmRelease whose file was removed, with its workload', async () => {
    await deployAccount();
    delete files[`${FOLDER}/helmrelease-engine.yaml`];
    setResources([
      'account-config.yaml',
      'alert.yaml',
      'helmrelease-admin.yaml',
      'helmrelease-backend.yaml',
      'provider.yaml',
    ]);
    const sha = await commit('Remove engine');
    await flux.idle();

    expect(store.get(hrRef('engine'))).toBeUndefined();
    expect(store.get(deploymentRef('engine'))).toBeUndefined();
    expect(store.get(hrRef('backend'))).toBeDefined();
    expect(status(ksRef).lastAppliedRevision).toBe(`main@sha1:${sha}`);
    expect(status(ksRef).inventory.entries.map((e: any) => e.id)).not.toContain(
      'acme_engine_helm.toolkit.fluxcd.io_HelmRelease',
    );
  });

  it('fails on an invalid object, naming it, and applies nothing of that commit', async () => {
    const first = await deployAccount();
    files[`${FOLDER}/helmrelease-broken.yaml`] = files[
      `${FOLDER}/helmrelease-engine.yaml`
    ]
      .replace('name: engine', 'name: broken')
      .replace('interval: 5m', 'interval: every five minutes');
    setResources([
      'account-config.yaml',
      'alert.yaml',
      'helmrelease-admin.yaml',
      'helmrelease-backend.yaml',
      'helmrelease-broken.yaml',
      'helmrelease-engine.yaml',
      'provider.yaml',
    ]);
    editFile('helmrelease-backend.yaml', doc => {
      doc.spec.values.replicas = 5;
    });
    const second = await commit('Add a broken release');
    await flux.idle();

    const ready = condition(ksRef);
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ReconciliationFailed',
    });
    expect(ready.message).toMatch(
      /^HelmRelease\/acme\/broken dry-run failed \(Invalid\): .*spec\.interval/,
    );
    expect(condition(ksRef, 'Reconciling')).toMatchObject({
      reason: 'ProgressingWithRetry',
    });
    expect(status(ksRef)).toMatchObject({
      lastAttemptedRevision: `main@sha1:${second}`,
      lastAppliedRevision: `main@sha1:${first}`,
    });
    expect(store.get(hrRef('broken'))).toBeUndefined();
    expect((get(hrRef('backend')).spec as any).values.replicas).toBe(1);
  });

  it('reconciles a Kustomization on request, restoring what was deleted by hand', async () => {
    await deployAccount();
    store.delete(hrRef('admin'));
    await flux.idle();
    // helm-controller uninstalls; nothing brings it back before the next run.
    expect(store.get(deploymentRef('admin'))).toBeUndefined();
    expect(store.get(hrRef('admin'))).toBeUndefined();

    requestReconcile(ksRef, {
      'reconcile.fluxcd.io/requestedAt': '2026-11-23T10:00:00Z',
    });
    await flux.idle();
    expect(status(ksRef).lastHandledReconcileAt).toBe('2026-11-23T10:00:00Z');
    expect(condition(hrRef('admin'))).toMatchObject({
      status: 'True',
      reason: 'InstallSucceeded',
    });
    expect(store.get(deploymentRef('admin'))).toBeDefined();
  });

  it('reconciles again every spec.interval', async () => {
    await commit('Add account acme');
    flux.start();
    provision({ interval: '50ms' });
    await flux.idle();
    const restored = new Promise<void>(resolve => {
      const unsubscribe = store.subscribe(({ type, object }) => {
        if (type === 'ADDED' && object.kind === 'HelmRelease') {
          unsubscribe();
          resolve();
        }
      });
    });
    store.delete(hrRef('engine'));
    await restored;
    expect(get(hrRef('engine')).metadata.labels).toMatchObject({
      'kustomize.toolkit.fluxcd.io/name': 'acme',
    });
  });

  it('deletes what a pruning Kustomization applied when the Kustomization is deleted', async () => {
    await deployAccount();
    store.delete(ksRef);
    await flux.idle();

    expect(
      store.list(HELM_RELEASE.apiVersion, 'HelmRelease', { namespace: 'acme' })
        .items,
    ).toEqual([]);
    expect(
      store.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'acme',
        name: 'account-config',
      }),
    ).toBeUndefined();
    expect(store.get(deploymentRef('backend'))).toBeUndefined();
    expect(
      store.get({ apiVersion: 'v1', kind: 'Namespace', name: 'acme' }),
    ).toBeDefined();
  });

  it('reports a missing source and a missing branch', async () => {
    await commit('Initial');
    flux.start();
    provision({
      sourceRef: {
        kind: 'GitRepository',
        name: 'elsewhere',
        namespace: 'flux-system',
      },
    });
    store.apply(
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'fleet-config-next', namespace: 'flux-system' },
        spec: {
          interval: '1m',
          url: 'http://127.0.0.1:1/acme/config.git',
          ref: { branch: 'next' },
        },
      },
      { fieldManager: PORTAL },
    );
    await flux.idle();

    expect(condition(ksRef)).toMatchObject({
      status: 'False',
      reason: 'ArtifactFailed',
      message: 'gitrepositories.source.toolkit.fluxcd.io "elsewhere" not found',
    });
    const next = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet-config-next',
    };
    expect(condition(next)).toMatchObject({
      status: 'False',
      reason: 'GitOperationFailed',
    });
    expect(condition(next).message).toContain(
      "unable to clone 'http://127.0.0.1:1/acme/config.git'",
    );
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
      await commit('Add account acme');
      const slow = new FluxSimulator({
        store,
        gitRepositories: [
          {
            namespace: 'flux-system',
            name: 'fleet-config',
            url: 'http://127.0.0.1:1/acme/config.git',
            branch: 'main',
            path: gitdir,
          },
        ],
        timing: { sourceMs: 1, kustomizeMs: 1, helmMs: 60_000, pollMs: 10 },
      });
      const helmStarted = new Promise<void>(resolve => {
        const unsubscribe = store.subscribe(({ object }) => {
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
      provision();
      await helmStarted;
      // The release in progress, the Kustomization's interval and the poll.
      expect(pending.size).toBeGreaterThanOrEqual(3);

      await slow.stop();
      expect(pending.size).toBe(0);
      const version = store.resourceVersion;
      await new Promise(resolve => realSetTimeout(resolve, 20));
      expect(store.resourceVersion).toBe(version);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
  });
});
