import { KubernetesTestServer } from '@fleet-portal/test-servers';
import {
  LIVE_CLUSTERS,
  everyKindWatched,
  liveCache,
  LiveConfigOptions,
  seedAccount,
  startLiveServer,
  until,
} from './__testUtils__/liveFleet';
import { WatchingLiveStateCache } from './WatchingLiveStateCache';

// Clusters that hang, refuse or cannot be reached, against the simulator.

let server: KubernetesTestServer;
let cache: WatchingLiveStateCache | undefined;

beforeEach(async () => {
  server = await startLiveServer();
  LIVE_CLUSTERS.forEach((cluster, i) =>
    seedAccount(server, cluster, `account-${i}`, ['backend']),
  );
});

afterEach(async () => {
  await cache?.stop();
  cache = undefined;
  await server.close();
});

function newCache(options: LiveConfigOptions & { backoffMs?: number } = {}) {
  cache = liveCache(server, options);
  return cache;
}

const releases = (live: WatchingLiveStateCache, cluster: string) =>
  live.objects(cluster, 'HelmRelease').map(o => o.metadata.namespace);

/** Open handles of this process, by type (timers, sockets). */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

const noMoreThan = (now: Record<string, number>, was: Record<string, number>) =>
  Object.entries(now).every(([type, count]) => count <= (was[type] ?? 0));

describe('WatchingLiveStateCache with failing clusters', () => {
  it('starts without waiting for a hanging cluster, which is stale until a resync recovers it', async () => {
    server.hang('delta', true);
    const live = newCache({ timeouts: { delta: 0.5 } });
    await live.start();

    const [alpha, beta, gamma, delta] = live.statuses();
    for (const status of [alpha, beta, gamma]) {
      expect(status).toEqual({
        cluster: status.cluster,
        syncedAt: expect.any(String),
        stale: false,
      });
    }
    expect(delta).toEqual({
      cluster: 'delta',
      stale: true,
      error: "Cluster 'delta' did not answer within 0.5 s",
    });
    expect(releases(live, 'gamma')).toEqual(['account-2']);
    expect(releases(live, 'delta')).toEqual([]);

    server.hang('delta', false);
    await live.resync();
    expect(live.status('delta')).toEqual({
      cluster: 'delta',
      syncedAt: expect.any(String),
      stale: false,
    });
    expect(releases(live, 'delta')).toEqual(['account-3']);
  });

  it('keeps the last known objects of a cluster that stops answering, stale with the reason', async () => {
    const live = newCache({ timeouts: { beta: 0.5 } });
    await live.start();
    await until(() => everyKindWatched(server, 'beta', 200));
    const listed = live.status('beta').syncedAt;
    let changes = 0;
    live.onChange(() => {
      changes += 1;
    });
    const version = live.version;

    server.hang('beta', true);
    // A resync's lists hang until the cluster's timeout, then fail.
    await live.resync();
    expect(live.status('beta')).toEqual({
      cluster: 'beta',
      syncedAt: listed,
      stale: true,
      error: "Cluster 'beta' did not answer within 0.5 s",
    });
    expect(releases(live, 'beta')).toEqual(['account-1']);
    expect(live.version).toBeGreaterThan(version);
    await until(() => changes > 0);
    expect(live.status('alpha').stale).toBe(false);
  });

  it('reports a refused connection and a cluster without connection as stale', async () => {
    server.refuse('gamma', true);
    const live = newCache({ unconnected: ['epsilon'] });
    await live.start();
    expect(live.status('gamma')).toEqual({
      cluster: 'gamma',
      stale: true,
      error: expect.stringMatching(/^Cluster 'gamma' is unreachable: \S/),
    });
    expect(live.status('epsilon')).toEqual({
      cluster: 'epsilon',
      stale: true,
      error: expect.stringMatching(/^Cluster 'epsilon' has no connection: /),
    });
    expect(live.objects('epsilon', 'Kustomization')).toEqual([]);
    expect(live.status('alpha').stale).toBe(false);

    // Retried after a backoff, without a resync.
    server.refuse('gamma', false);
    await until(() => !live.status('gamma').stale);
    expect(releases(live, 'gamma')).toEqual(['account-2']);
  });

  it('leaves no timer or socket behind after stop(), also with a hanging cluster', async () => {
    const before = handles();
    server.hang('delta', true);
    // After its failed list, delta waits a minute before retrying.
    const live = newCache({ timeouts: { delta: 0.5 }, backoffMs: 60_000 });
    await live.start();
    await until(() =>
      ['alpha', 'beta', 'gamma'].every(c => everyKindWatched(server, c, 200)),
    );
    expect(noMoreThan(handles(), before)).toBe(false);

    await live.stop();
    cache = undefined;
    const stoppedAt = server.requests.length;
    // Closing sockets completes in the event loop: wait for it; a timer or
    // watch left running would keep this from ever holding.
    await until(() => noMoreThan(handles(), before));
    expect(server.requests.length).toBe(stoppedAt);
    // Stopped for good: a resync does nothing.
    await live.resync();
    expect(server.requests.length).toBe(stoppedAt);
  });
});
