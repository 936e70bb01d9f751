import { Watch } from '@kubernetes/client-node';
import { KubeObject } from './ClusterStore';
import { KubernetesTestServer } from './KubernetesTestServer';
import { kubeConfigFor } from './__testUtils__/kubeClients';

interface Seen {
  type: string;
  object: KubeObject & { code?: number; reason?: string };
}

/** Collects a watch's events; `next(n)` resolves once n have arrived. */
function collector() {
  const events: Seen[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let resolveDone: (error: unknown) => void = () => {};
  const done = new Promise<unknown>(resolve => {
    resolveDone = resolve;
  });
  return {
    events,
    done,
    onEvent: (type: string, object: Seen['object']) => {
      events.push({ type, object });
      for (const w of waiters.filter(x => events.length >= x.count))
        w.resolve();
    },
    onDone: (error: unknown) => resolveDone(error ?? 'closed'),
    next: (count: number) =>
      new Promise<void>(resolve => {
        if (events.length >= count) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

const configMap = (
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels },
  data,
});

describe('KubernetesTestServer watches through client-node Watch', () => {
  let server: KubernetesTestServer;
  let watch: Watch;

  beforeEach(async () => {
    server = await KubernetesTestServer.start({
      clusters: [{ name: 'dev' }],
      historyLimit: 5,
    });
    watch = new Watch(kubeConfigFor(server.clusterUrl('dev')));
  });

  afterEach(async () => {
    await server.close();
  });

  it('sends ADDED, MODIFIED and DELETED after the resourceVersion it starts from', async () => {
    const store = server.store('dev');
    store.apply(configMap('before'), { fieldManager: 't' });
    const from = store.resourceVersion;
    store.apply(configMap('first'), { fieldManager: 't' });
    const events = collector();
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: from },
      events.onEvent,
      events.onDone,
    );
    await events.next(1);
    store.apply(configMap('first', {}, { a: '1' }), { fieldManager: 't' });
    store.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'default',
      name: 'first',
    });
    await events.next(3);
    expect(events.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'first'],
      ['MODIFIED', 'first'],
      ['DELETED', 'first'],
    ]);
    expect(
      events.events.map(e => Number(e.object.metadata.resourceVersion)),
    ).toEqual([Number(from) + 1, Number(from) + 2, Number(from) + 3]);
    controller.abort();
  });

  it('starts with the existing objects when no resourceVersion is given, filtered by labels', async () => {
    const store = server.store('dev');
    store.apply(configMap('web', { tier: 'web' }), { fieldManager: 't' });
    store.apply(configMap('db', { tier: 'db' }), { fieldManager: 't' });
    const events = collector();
    const controller = await watch.watch(
      '/api/v1/configmaps',
      { labelSelector: 'tier=web' },
      events.onEvent,
      events.onDone,
    );
    await events.next(1);
    // Leaving the selection is a DELETED for this watch.
    store.apply(configMap('web', { tier: 'other' }), { fieldManager: 't' });
    await events.next(2);
    expect(events.events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'web'],
      ['DELETED', 'web'],
    ]);
    controller.abort();
  });

  it('answers a too old resourceVersion with an ERROR event holding a 410 Status', async () => {
    const store = server.store('dev');
    const old = store.resourceVersion;
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      store.apply(configMap(name), { fieldManager: 't' });
    }
    const events = collector();
    await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: old },
      events.onEvent,
      events.onDone,
    );
    await events.done;
    expect(events.events).toHaveLength(1);
    expect(events.events[0].type).toBe('ERROR');
    expect(events.events[0].object).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
  });

  it('ends open watches on close()', async () => {
    const events = collector();
    await watch.watch(
      '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
      {
        resourceVersion: server.store('dev').resourceVersion,
        allowWatchBookmarks: true,
      },
      events.onEvent,
      events.onDone,
    );
    await server.close();
    await expect(events.done).resolves.toBeDefined();
    expect(events.events).toEqual([]);
  });
});
