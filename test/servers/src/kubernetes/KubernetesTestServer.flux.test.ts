import {
  CustomObjectsApi,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import {
  BareRepository,
  createBareRepository,
} from './__testUtils__/bareRepository';
import { kubeConfigFor } from './__testUtils__/kubeClients';

const release = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'engine', namespace: 'acme' },
  spec: {
    interval: '5m',
    chart: {
      spec: {
        chart: 'engine',
        version: '2.1.0',
        sourceRef: {
          kind: 'HelmRepository',
          name: 'charts',
          namespace: 'flux-system',
        },
      },
    },
  },
} as KubernetesObject;

type Condition = { type: string; status: string; message?: string };

describe('KubernetesTestServer with simulated Flux', () => {
  let repository: BareRepository;
  let server: KubernetesTestServer;

  beforeEach(async () => {
    repository = await createBareRepository();
    await repository.commit({ 'README.md': 'config\n' }, 'Initial commit');
    server = await KubernetesTestServer.start({
      clusters: [{ name: 'dev' }],
      flux: {
        gitRepositories: [
          {
            namespace: 'flux-system',
            name: 'flux-system',
            url: 'https://github.com/acme/config',
            branch: 'main',
            path: repository.gitdir,
          },
        ],
        timing: { sourceMs: 1, kustomizeMs: 1, helmMs: 1, pollMs: 20 },
      },
    });
  });

  afterEach(async () => {
    await server.close();
    repository.remove();
  });

  it('starts Flux in each cluster and fails a release on request from /simulator/', async () => {
    const kc = kubeConfigFor(server.clusterUrl('dev'));
    const sources = await kc
      .makeApiClient(CustomObjectsApi)
      .listNamespacedCustomObject({
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        namespace: 'flux-system',
        plural: 'gitrepositories',
      });
    expect(
      sources.items.map((i: KubernetesObject) => i.metadata?.name),
    ).toEqual(['flux-system']);

    const failure = `${server.url}/simulator/clusters/dev/releases/acme/engine/failure`;
    const failed = await fetch(failure, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'image pull back-off' }),
    });
    expect(failed.status).toBe(200);
    expect(await failed.json()).toMatchObject({
      failing: true,
      message: 'image pull back-off',
    });

    // Watch the release until the simulated helm-controller reports it.
    const notReady = new Promise<Condition>((resolve, reject) => {
      new Watch(kc)
        .watch(
          '/apis/helm.toolkit.fluxcd.io/v2/namespaces/acme/helmreleases',
          {},
          (_type, object) => {
            const ready = (object.status?.conditions ?? []).find(
              (c: Condition) => c.type === 'Ready',
            );
            if (ready?.status === 'False') resolve(ready);
          },
          error => (error ? reject(error) : undefined),
        )
        .catch(reject);
    });
    const objects = KubernetesObjectApi.makeApiClient(kc);
    await objects.patch(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme' } },
      undefined,
      undefined,
      'fleet-portal',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    await objects.patch(
      release,
      undefined,
      undefined,
      'fleet-portal',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect((await notReady).message).toContain('image pull back-off');

    const cleared = await fetch(failure, { method: 'DELETE' });
    expect(await cleared.json()).toMatchObject({ failing: false });
    const clusters = await (
      await fetch(`${server.url}/simulator/clusters`)
    ).json();
    expect(clusters.clusters[0]).toMatchObject({ name: 'dev', flux: true });
  });
});
