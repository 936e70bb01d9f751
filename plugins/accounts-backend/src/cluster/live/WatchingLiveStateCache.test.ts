import { KubernetesTestServer } from '@fleet-portal/test-servers';
import {
  LIVE_CLUSTERS,
  deployment,
  everyKindWatched as watched,
  helmRelease,
  liveCache,
  requestsOf as requests,
  resourceOf,
  seedAccount,
  startLiveServer,
  until,
} from './__testUtils__/liveFleet';
import { LIVE_RESOURCES, LiveKind } from './LiveStateCache';
import { WatchingLiveStateCache } from './WatchingLiveStateCache';

// The real @kubernetes/client-node over HTTP against the cluster simulator,
// four clusters in one server.

const KINDS = LIVE_RESOURCES.map(r => r.kind);

let server: KubernetesTestServer;
let cache: WatchingLiveStateCache | undefined;

afterEach(async () => {
  await cache?.stop();
  cache = undefined;
  await server.close();
});

function newCache(options: { watchSeconds?: number } = {}) {
  cache = liveCache(server, options);
  return cache;
}

const names = (live: WatchingLiveStateCache, cluster: string, kind: LiveKind) =>
  live
    .objects(cluster, kind)
    .map(o => `${o.metadata.namespace}/${o.metadata.name}`)
    .sort();

const requestsOf = (cluster: string, verb: 'list' | 'watch', from = 0) =>
  requests(server, cluster, verb, from);

const everyKindWatched = (cluster: string, status: 0 | 200, from = 0) =>
  watched(server, cluster, status, from);

describe('WatchingLiveStateCache', () => {
  it('lists every kind of every cluster at start, filtered by the selectors, then watches from the list', async () => {
    server = await startLiveServer();
    seedAccount(server, 'alpha', 'acme', ['backend', 'engine']);
    seedAccount(server, 'gamma', 'globex', ['backend']);
    const alpha = server.store('alpha');
    alpha.apply(
      helmRelease('acme', 'manual', { labels: { team: 'ops' } }) as never,
      { fieldManager: 'kubectl' },
    );
    alpha.apply(deployment('acme', 'sidecar', undefined) as never, {
      fieldManager: 'kubectl',
    });

    const live = newCache();
    await live.start();

    expect(names(live, 'alpha', 'HelmRelease')).toEqual([
      'acme/backend',
      'acme/engine',
    ]);
    expect(names(live, 'alpha', 'Kustomization')).toEqual(['acme/acme']);
    expect(names(live, 'alpha', 'Deployment')).toEqual([
      'acme/backend',
      'acme/engine',
    ]);
    expect(names(live, 'alpha', 'ImagePolicy')).toEqual([
      'acme/backend',
      'acme/engine',
    ]);
    expect(names(live, 'gamma', 'HelmRelease')).toEqual(['globex/backend']);
    expect(names(live, 'beta', 'HelmRelease')).toEqual([]);
    const release = live.get('alpha', 'HelmRelease', 'acme', 'engine');
    expect(release).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      spec: { chart: { spec: { chart: 'engine' } } },
    });
    expect(live.get('alpha', 'HelmRelease', 'acme', 'manual')).toBeUndefined();

    expect(live.statuses().map(s => s.cluster)).toEqual(LIVE_CLUSTERS);
    for (const status of live.statuses()) {
      expect(status).toEqual({
        cluster: status.cluster,
        syncedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        stale: false,
      });
    }
    expect(() => live.status('omega')).toThrow("Unknown cluster 'omega'");

    // One list per kind with its selector, no discovery, and each watch
    // from its list's resourceVersion, with BOOKMARKs.
    await until(() => requestsOf('alpha', 'watch').length === KINDS.length);
    const lists = requestsOf('alpha', 'list');
    expect(lists.map(r => [resourceOf(r), r.query.labelSelector])).toEqual(
      expect.arrayContaining([
        ['helmreleases', 'app.kubernetes.io/managed-by=fleet-portal'],
        ['kustomizations', 'app.kubernetes.io/managed-by=fleet-portal'],
        ['imagepolicies', undefined],
        ['deployments', 'helm.toolkit.fluxcd.io/name'],
      ]),
    );
    expect(lists).toHaveLength(KINDS.length);
    expect(server.requests.filter(r => r.cluster === 'alpha')).toHaveLength(
      KINDS.length * 2,
    );
    for (const watch of requestsOf('alpha', 'watch')) {
      expect(watch.query).toMatchObject({
        resourceVersion: alpha.resourceVersion,
        allowWatchBookmarks: 'true',
        timeoutSeconds: '300',
      });
    }
  });

  it('takes changes from the watch: version and onChange, additions, updates, deletions and objects leaving the selection', async () => {
    server = await startLiveServer();
    seedAccount(server, 'beta', 'acme', ['backend']);
    const live = newCache();
    await live.start();
    await until(() => everyKindWatched('beta', 200));
    const afterStart = server.requests.length;
    let calls = 0;
    const remove = live.onChange(() => {
      calls += 1;
    });
    const before = live.version;
    const beta = server.store('beta');

    beta.apply(helmRelease('acme', 'engine') as never, {
      fieldManager: 'test',
    });
    await until(() => !!live.get('beta', 'HelmRelease', 'acme', 'engine'));
    expect(live.version).toBeGreaterThan(before);
    await until(() => calls > 0);

    beta.apply(helmRelease('acme', 'backend', { version: '2.0.0' }) as never, {
      fieldManager: 'test',
    });
    await until(
      () =>
        (live.get('beta', 'HelmRelease', 'acme', 'backend')?.spec as any)?.chart
          .spec.version === '2.0.0',
    );

    beta.mergePatch(
      {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        namespace: 'acme',
        name: 'engine',
      },
      { metadata: { labels: { 'app.kubernetes.io/managed-by': 'helm' } } },
      { fieldManager: 't' },
    );
    beta.delete({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'backend',
    });
    await until(() => live.objects('beta', 'HelmRelease').length === 0);

    const seen = calls;
    const version = live.version;
    remove();
    beta.apply(helmRelease('acme', 'later') as never, { fieldManager: 't' });
    await until(() => !!live.get('beta', 'HelmRelease', 'acme', 'later'));
    expect(live.version).toBeGreaterThan(version);
    expect(calls).toBe(seen);
    // All of it came over the open watches.
    expect(
      server.requests.slice(afterStart).filter(r => r.cluster === 'beta'),
    ).toEqual([]);
  });

  it('resumes a dropped watch from the last resourceVersion without re-listing, BOOKMARKs keeping it current', async () => {
    server = await startLiveServer({ historyLimit: 5, bookmarkIntervalMs: 20 });
    seedAccount(server, 'alpha', 'acme', ['backend']);
    const live = newCache({ watchSeconds: 1 });
    await live.start();
    await until(() => everyKindWatched('alpha', 200));
    const alpha = server.store('alpha');
    // More unrelated changes than the history holds: only BOOKMARKs tell the
    // watches how far the cluster has moved.
    for (let i = 0; i < 8; i++) {
      alpha.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `unrelated-${i}`, namespace: 'acme' },
          data: { i: String(i) },
        },
        { fieldManager: 't' },
      );
    }
    const moved = Number(alpha.resourceVersion);

    // The server ends the watches after 1 s; while refused, re-watching fails.
    const refusedFrom = server.requests.length;
    server.refuse('alpha', true);
    await until(() => everyKindWatched('alpha', 0, refusedFrom));
    expect(live.status('alpha').error).toMatch(
      /^Cluster 'alpha' is unreachable: \S/,
    );
    expect(names(live, 'alpha', 'HelmRelease')).toEqual(['acme/backend']);
    const refusedAt = server.requests.length;

    alpha.apply(helmRelease('acme', 'engine') as never, { fieldManager: 't' });
    server.refuse('alpha', false);
    await until(() => !live.status('alpha').stale);
    await until(() => !!live.get('alpha', 'HelmRelease', 'acme', 'engine'));

    expect(requestsOf('alpha', 'list')).toHaveLength(KINDS.length);
    const resumed = requestsOf('alpha', 'watch', refusedAt).filter(
      r => r.status === 200,
    );
    expect(resumed.length).toBeGreaterThan(0);
    for (const watch of resumed) {
      expect(Number(watch.query.resourceVersion)).toBeGreaterThanOrEqual(moved);
    }
  });

  it('re-lists when the resourceVersion to resume from has expired (410)', async () => {
    server = await startLiveServer({ historyLimit: 3 });
    seedAccount(server, 'alpha', 'acme', ['backend', 'engine']);
    const live = newCache({ watchSeconds: 1 });
    await live.start();
    await until(() => everyKindWatched('alpha', 200));
    const refusedFrom = server.requests.length;
    server.refuse('alpha', true);
    await until(() => everyKindWatched('alpha', 0, refusedFrom));
    expect(live.status('alpha').stale).toBe(true);

    const alpha = server.store('alpha');
    alpha.delete({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'acme',
      name: 'engine',
    });
    for (const name of ['web', 'worker', 'cron', 'queue']) {
      alpha.apply(helmRelease('acme', name) as never, { fieldManager: 't' });
    }
    const written = Number(alpha.resourceVersion);
    const resumedFrom = server.requests.length;
    server.refuse('alpha', false);
    // Watching from at least `written` again needs a new list: no kind's
    // watch saw those changes.
    await until(() =>
      LIVE_RESOURCES.every(resource =>
        requestsOf('alpha', 'watch', resumedFrom).some(
          r =>
            resourceOf(r) === resource.plural &&
            r.status === 200 &&
            Number(r.query.resourceVersion) >= written,
        ),
      ),
    );
    expect(live.status('alpha').stale).toBe(false);
    expect(names(live, 'alpha', 'HelmRelease')).toEqual([
      'acme/backend',
      'acme/cron',
      'acme/queue',
      'acme/web',
      'acme/worker',
    ]);
    // Each kind first tried to resume from its old resourceVersion, was told
    // 410 and listed once more; the other clusters were not listed again.
    const lists = requestsOf('alpha', 'list');
    for (const resource of LIVE_RESOURCES) {
      const ofKind = (r: { path: string }) => resourceOf(r) === resource.plural;
      expect(lists.filter(ofKind)).toHaveLength(2);
      const firstBack = requestsOf('alpha', 'watch', resumedFrom).find(
        r => ofKind(r) && r.status === 200,
      );
      expect(Number(firstBack?.query.resourceVersion)).toBeLessThan(written);
    }
    expect(requestsOf('beta', 'list')).toHaveLength(KINDS.length);
  });
});
