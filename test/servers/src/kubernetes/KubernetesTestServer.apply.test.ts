import {
  CustomObjectsApi,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { kubeConfigFor, statusOf } from './__testUtils__/kubeClients';

const GROUP = 'kustomize.toolkit.fluxcd.io';

function kustomization(
  spec: Record<string, unknown> = {},
): KubernetesObject & { spec: unknown } {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: './apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...spec,
    },
  };
}

const namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'flux-system' },
};

describe('KubernetesTestServer server-side apply through @kubernetes/client-node', () => {
  let server: KubernetesTestServer;
  let objects: KubernetesObjectApi;
  let custom: CustomObjectsApi;

  /** Applies as `kubectl apply --server-side` does, through discovery. */
  const apply = (
    object: KubernetesObject,
    manager = 'fleet-portal',
    options: { force?: boolean; dryRun?: string } = {},
  ) =>
    objects.patch(
      object,
      undefined,
      options.dryRun,
      manager,
      options.force,
      PatchStrategy.ServerSideApply,
    );

  beforeEach(async () => {
    server = await KubernetesTestServer.start({ clusters: [{ name: 'dev' }] });
    const kc = kubeConfigFor(server.clusterUrl('dev'));
    objects = KubernetesObjectApi.makeApiClient(kc);
    custom = kc.makeApiClient(CustomObjectsApi);
  });

  afterEach(async () => {
    await server.close();
  });

  it('applies a Namespace, a Secret and a Kustomization, mapping kinds to resources by discovery', async () => {
    const ns = await apply(namespace);
    expect(ns.metadata?.uid).toBeDefined();
    const secret = await apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'git', namespace: 'flux-system' },
      stringData: { password: 'hunter2' },
    } as KubernetesObject);
    expect((secret as { data?: Record<string, string> }).data).toEqual({
      password: Buffer.from('hunter2').toString('base64'),
    });
    const created = await apply(kustomization());
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.managedFields?.[0]).toMatchObject({
      manager: 'fleet-portal',
      operation: 'Apply',
    });

    const paths = server.requests.map(r => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'GET /api/v1',
        `GET /apis/${GROUP}/v1`,
        'PATCH /api/v1/namespaces/flux-system',
        'PATCH /api/v1/namespaces/flux-system/secrets/git',
        `PATCH /apis/${GROUP}/v1/namespaces/flux-system/kustomizations/apps`,
      ]),
    );
    expect(server.requests.find(r => r.path.endsWith('/apps'))?.query).toEqual({
      fieldManager: 'fleet-portal',
    });
  });

  it('changes nothing when the same configuration is applied twice', async () => {
    await apply(namespace);
    const first = await apply(kustomization());
    const rv = server.store('dev').resourceVersion;
    const second = await apply(kustomization());
    expect(second.metadata?.resourceVersion).toBe(
      first.metadata?.resourceVersion,
    );
    expect(server.store('dev').resourceVersion).toBe(rv);
  });

  it('answers 409 naming a field another manager owns, and moves it with force', async () => {
    await apply(namespace);
    await apply(kustomization());
    await custom.patchNamespacedCustomObject(
      {
        group: GROUP,
        version: 'v1',
        namespace: 'flux-system',
        plural: 'kustomizations',
        name: 'apps',
        body: { spec: { interval: '1h' } },
        fieldManager: 'kubectl-edit',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    const { code, status } = await statusOf(
      apply(kustomization({ interval: '5m' })),
    );
    expect(code).toBe(409);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Apply failed with 1 conflict: conflict with "kubectl-edit" using ${GROUP}/v1: .spec.interval`,
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: `conflict with "kubectl-edit" using ${GROUP}/v1`,
            field: '.spec.interval',
          },
        ],
      },
      code: 409,
    });

    const forced = await apply(
      kustomization({ interval: '5m' }),
      'fleet-portal',
      { force: true },
    );
    expect((forced as { spec?: { interval?: string } }).spec?.interval).toBe(
      '5m',
    );
    expect(forced.metadata?.managedFields?.map(m => m.manager)).toEqual([
      'fleet-portal',
    ]);
  });

  it('removes a field the manager no longer applies, unless another manager applies it too', async () => {
    await apply(namespace);
    await apply(kustomization({ targetNamespace: 'apps', suspend: false }));
    await apply(kustomization({ targetNamespace: 'apps' }), 'other');
    const after = (await apply(kustomization())) as {
      spec?: Record<string, unknown>;
    };
    // targetNamespace is shared with "other"; suspend was fleet-portal's alone.
    expect(after.spec?.targetNamespace).toBe('apps');
    expect(after.spec).not.toHaveProperty('suspend');
  });

  it('stores nothing on dryRun=All', async () => {
    await apply(namespace);
    const dry = await apply(kustomization(), 'fleet-portal', { dryRun: 'All' });
    expect(dry.metadata?.name).toBe('apps');
    const { code, status } = await statusOf(
      objects.read({
        apiVersion: `${GROUP}/v1`,
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace: 'flux-system' },
      }),
    );
    expect(code).toBe(404);
    expect(status.message).toBe(`kustomizations.${GROUP} "apps" not found`);
    expect(status.details).toEqual({
      name: 'apps',
      group: GROUP,
      kind: 'kustomizations',
    });
  });

  it('answers 404 for an object in a namespace that does not exist', async () => {
    const { code, status } = await statusOf(apply(kustomization()));
    expect(code).toBe(404);
    expect(status).toMatchObject({
      reason: 'NotFound',
      message: 'namespaces "flux-system" not found',
      details: { name: 'flux-system', kind: 'namespaces' },
    });
  });

  it('answers 422 naming the field when a Flux object fails its CRD schema', async () => {
    await apply(namespace);
    const { code, status } = await statusOf(
      apply(kustomization({ interval: 'often', prune: 'yes' })),
    );
    expect(code).toBe(422);
    expect(status.reason).toBe('Invalid');
    expect(status.details.kind).toBe('Kustomization');
    expect(
      status.details.causes.map((c: { field: string }) => c.field).sort(),
    ).toEqual(['spec.interval', 'spec.prune']);
    expect(status.message).toMatch(
      /^Kustomization\.kustomize\.toolkit\.fluxcd\.io "apps" is invalid: \[/,
    );
  });

  it('accepts a valid HelmRelease', async () => {
    await apply(namespace);
    const release = await apply({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: {
        interval: '5m',
        chart: {
          spec: {
            chart: 'web',
            version: '1.2.3',
            sourceRef: { kind: 'HelmRepository', name: 'charts' },
          },
        },
        values: { image: { tag: '1.2.3' } },
      },
    } as KubernetesObject);
    expect(release.metadata?.generation).toBe(1);
    expect((release as { status?: unknown }).status).toEqual({
      observedGeneration: -1,
    });
  });

  it('requires a fieldManager for apply', async () => {
    await apply(namespace);
    const { code, status } = await statusOf(
      objects.patch(
        kustomization(),
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    expect(code).toBe(422);
    expect(status.message).toContain(
      'fieldManager: Required value: is required for apply patch',
    );
  });
});
