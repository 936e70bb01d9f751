import {
  AbortError,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  FetchError,
  PatchStrategy,
  RequestContext,
  ResponseContext,
  VersionApi,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { KubernetesTestServer } from './KubernetesTestServer';
import { kubeConfigFor, statusOf } from './__testUtils__/kubeClients';

const GROUP = 'kustomize.toolkit.fluxcd.io';

describe('KubernetesTestServer through @kubernetes/client-node', () => {
  let server: KubernetesTestServer;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      clusters: [{ name: 'dev' }, { name: 'prod', token: 'prod-token' }],
    });
    core = kubeConfigFor(server.clusterUrl('dev')).makeApiClient(CoreV1Api);
  });

  afterEach(async () => {
    await server.close();
  });

  const configMap = (
    namespace: string,
    name: string,
    labels: Record<string, string>,
  ) =>
    core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, labels }, data: { key: name } },
    });

  it('serves /version and keeps each cluster apart', async () => {
    const version = await kubeConfigFor(server.clusterUrl('dev'))
      .makeApiClient(VersionApi)
      .getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    await configMap('default', 'only-in-dev', {});
    expect(server.store('prod').list('v1', 'ConfigMap').items).toEqual([]);
    expect(
      server
        .store('dev')
        .list('v1', 'ConfigMap')
        .items.map(i => i.metadata.name),
    ).toEqual(['only-in-dev']);
  });

  it('creates, and answers 409 AlreadyExists for a second create', async () => {
    const created = await configMap('default', 'settings', {});
    expect(created.metadata?.managedFields?.[0]).toMatchObject({
      operation: 'Update',
    });
    const { code, status } = await statusOf(
      configMap('default', 'settings', {}),
    );
    expect(code).toBe(409);
    expect(status).toMatchObject({
      reason: 'AlreadyExists',
      message: 'configmaps "settings" already exists',
      details: { name: 'settings', kind: 'configmaps' },
    });
  });

  it('lists with label selectors, per namespace and across namespaces', async () => {
    await core.createNamespace({ body: { metadata: { name: 'team-a' } } });
    await configMap('default', 'a', { tier: 'web', env: 'prod' });
    await configMap('team-a', 'b', { tier: 'web' });
    await configMap('team-a', 'c', { tier: 'db', env: 'dev' });
    const across = async (labelSelector?: string) =>
      (await core.listConfigMapForAllNamespaces({ labelSelector })).items.map(
        i => i.metadata?.name,
      );
    expect(await across()).toEqual(['a', 'b', 'c']);
    expect(await across('tier=web')).toEqual(['a', 'b']);
    expect(await across('tier in (web,db),env')).toEqual(['a', 'c']);
    expect(await across('env notin (prod)')).toEqual(['b', 'c']);
    expect(await across('!env')).toEqual(['b']);
    expect(await across('tier!=web')).toEqual(['c']);
    const inTeamA = await core.listNamespacedConfigMap({
      namespace: 'team-a',
      labelSelector: 'tier==web',
    });
    expect(inTeamA.items.map(i => i.metadata?.name)).toEqual(['b']);
    expect(inTeamA.metadata?.resourceVersion).toBe(
      server.store('dev').resourceVersion,
    );

    const { code, status } = await statusOf(
      core.listConfigMapForAllNamespaces({ labelSelector: 'tier in web' }),
    );
    expect(code).toBe(400);
    expect(status.reason).toBe('BadRequest');
  });

  it('pages a list with limit and continue', async () => {
    for (const name of ['a', 'b', 'c']) await configMap('default', name, {});
    const first = await core.listNamespacedConfigMap({
      namespace: 'default',
      limit: 2,
    });
    expect(first.items.map(i => i.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const rest = await core.listNamespacedConfigMap({
      namespace: 'default',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(rest.items.map(i => i.metadata?.name)).toEqual(['c']);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('answers a missing object with a 404 Status', async () => {
    const { code, status } = await statusOf(
      core.readNamespacedSecret({ namespace: 'default', name: 'nope' }),
    );
    expect(code).toBe(404);
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'secrets "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'secrets' },
      code: 404,
    });
  });

  it('patches with a JSON patch (the typed default) and a merge patch', async () => {
    await configMap('default', 'settings', { a: 'b' });
    const jsonPatched = await core.patchNamespacedConfigMap({
      namespace: 'default',
      name: 'settings',
      fieldManager: 'editor',
      body: [
        { op: 'add', path: '/data/extra', value: 'x' },
        { op: 'replace', path: '/data/key', value: 'changed' },
        { op: 'remove', path: '/metadata/labels/a' },
      ],
    });
    expect(jsonPatched.data).toEqual({ key: 'changed', extra: 'x' });
    expect(jsonPatched.metadata?.labels).toBeUndefined();
    const merged = await core.patchNamespacedConfigMap(
      {
        namespace: 'default',
        name: 'settings',
        fieldManager: 'editor',
        body: { data: { extra: null, more: 'y' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ key: 'changed', more: 'y' });
    expect(
      merged.metadata?.managedFields?.find(m => m.manager === 'editor')
        ?.operation,
    ).toBe('Update');

    const { code } = await statusOf(
      core.patchNamespacedConfigMap({
        namespace: 'default',
        name: 'settings',
        body: [{ op: 'remove', path: '/data/absent' }],
      }),
    );
    expect(code).toBe(400);
  });

  it('bumps generation on spec changes, never on status subresource writes', async () => {
    const apps = kubeConfigFor(server.clusterUrl('dev')).makeApiClient(
      AppsV1Api,
    );
    const deployment = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'web:1' }] },
          },
        },
      },
    });
    expect(deployment.metadata?.generation).toBe(1);
    const status = await apps.patchNamespacedDeploymentStatus(
      {
        namespace: 'default',
        name: 'web',
        fieldManager: 'kube-controller-manager',
        body: { status: { observedGeneration: 1, replicas: 1 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(status.metadata?.generation).toBe(1);
    expect(status.status?.replicas).toBe(1);
    const scaled = await apps.patchNamespacedDeployment(
      { namespace: 'default', name: 'web', body: { spec: { replicas: 3 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(scaled.metadata?.generation).toBe(2);
    expect(scaled.status?.replicas).toBe(1);
  });

  it('serves the status subresource of a Flux object', async () => {
    const custom = kubeConfigFor(server.clusterUrl('dev')).makeApiClient(
      CustomObjectsApi,
    );
    const params = {
      group: GROUP,
      version: 'v1',
      namespace: 'default',
      plural: 'kustomizations',
      name: 'apps',
    };
    await custom.createNamespacedCustomObject({
      ...params,
      body: {
        apiVersion: `${GROUP}/v1`,
        kind: 'Kustomization',
        metadata: { name: 'apps' },
        spec: {
          interval: '5m',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'repo' },
        },
      },
    });
    const condition = {
      type: 'Ready',
      status: 'True',
      reason: 'ReconciliationSucceeded',
      message: 'Applied',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const patched = await custom.patchNamespacedCustomObjectStatus(
      {
        ...params,
        fieldManager: 'kustomize-controller',
        body: { status: { observedGeneration: 1, conditions: [condition] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata.generation).toBe(1);
    const read = await custom.getNamespacedCustomObjectStatus(params);
    expect(read.status.conditions).toEqual([condition]);
    const specChange = await custom.patchNamespacedCustomObject(
      { ...params, body: { spec: { suspend: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(specChange.metadata.generation).toBe(2);

    const deleted = await custom.deleteNamespacedCustomObject(params);
    expect(deleted).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'apps', kind: 'kustomizations' },
    });
    expect(
      (await statusOf(custom.getNamespacedCustomObject(params))).code,
    ).toBe(404);
  });

  it('answers 401 Unauthorized without the cluster token', async () => {
    const noToken = kubeConfigFor(server.clusterUrl('prod')).makeApiClient(
      CoreV1Api,
    );
    const wrong = kubeConfigFor(
      server.clusterUrl('prod'),
      'guess',
    ).makeApiClient(CoreV1Api);
    const right = kubeConfigFor(
      server.clusterUrl('prod'),
      'prod-token',
    ).makeApiClient(CoreV1Api);
    await expect(noToken.listNamespace()).rejects.toMatchObject({ code: 401 });
    await expect(wrong.listNamespace()).rejects.toMatchObject({ code: 401 });
    const namespaces = await right.listNamespace();
    expect(namespaces.items.map(n => n.metadata?.name)).toContain('default');
  });

  it('never answers a hanging cluster: the client gives up on its own timeout', async () => {
    server.hang('dev', true);
    // The client's own header middleware (typed calls want its Observable
    // style), with an abort signal that times the request out client-side.
    const abortAfter = (ms: number) => {
      const options = setHeaderOptions('Accept', 'application/json');
      const [header] = options.middleware!;
      return {
        ...options,
        middleware: [
          {
            pre: (context: RequestContext) => {
              context.setSignal(AbortSignal.timeout(ms));
              return header.pre(context);
            },
            post: (response: ResponseContext) => header.post(response),
          },
        ],
      };
    };
    await expect(
      core.listNamespace({}, abortAfter(200)),
    ).rejects.toBeInstanceOf(AbortError);
    expect(server.requests.at(-1)).toMatchObject({
      cluster: 'dev',
      path: '/api/v1/namespaces',
      status: 0,
    });
    server.hang('dev', false);
    await expect(core.listNamespace()).resolves.toBeDefined();
  });

  it('resets the connections of a refusing cluster', async () => {
    server.refuse('dev', true);
    const error = await core.listNamespace().catch(e => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error.code).toMatch(/^(ECONNRESET|EPIPE)$/);
    server.refuse('dev', false);
    await expect(core.listNamespace()).resolves.toBeDefined();
  });

  it('logs requests without bodies', async () => {
    await core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: { name: 's' },
        stringData: { password: 'sentinel-secret-value' },
      },
    });
    expect(server.requests).toContainEqual(
      expect.objectContaining({
        cluster: 'dev',
        method: 'POST',
        path: '/api/v1/namespaces/default/secrets',
        status: 201,
      }),
    );
    expect(JSON.stringify(server.requests)).not.toContain(
      'sentinel-secret-value',
    );
  });

  it('refuses an unreadable body with 400, without quoting it', async () => {
    const base = `${server.clusterUrl(
      'dev',
    )}/api/v1/namespaces/default/secrets`;
    const json = await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"stringData": {"password": "sentinel-secret-value"',
    });
    const yaml = await fetch(`${base}/s?fieldManager=t`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'stringData:\n  password: sentinel-secret-value\n   broken: [',
    });
    for (const response of [json, yaml]) {
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({
        kind: 'Status',
        reason: 'BadRequest',
        code: 400,
      });
      expect(text).not.toContain('sentinel-secret-value');
    }
  });

  it('lists the clusters at /simulator/clusters, without their tokens', async () => {
    const response = await fetch(`${server.url}/simulator/clusters`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.clusters).toEqual([
      expect.objectContaining({
        name: 'dev',
        url: server.clusterUrl('dev'),
        requiresToken: false,
        flux: false,
      }),
      expect.objectContaining({
        name: 'prod',
        url: server.clusterUrl('prod'),
        requiresToken: true,
      }),
    ]);
    expect(JSON.stringify(body)).not.toContain('prod-token');
    const failure = await fetch(
      `${server.url}/simulator/clusters/dev/releases/default/web/failure`,
      {
        method: 'POST',
        body: JSON.stringify({ message: 'boom' }),
      },
    );
    expect(failure.status).toBe(409);
  });
});
