import { KubernetesTestServer } from '@fleet-portal/test-servers';
import {
  LIVE_CLUSTERS,
  everyKindWatched,
  liveCache,
  seedAccount,
  startLiveServer,
  until,
  verbOf,
} from './__testUtils__/liveFleet';
import { LIVE_RESOURCES } from './LiveStateCache';
import { WatchingLiveStateCache } from './WatchingLiveStateCache';

// What the cache costs the clusters: requests per resync and per read, with
// few and with many accounts, counted in the simulator's request log.

const SERVICES = Array.from({ length: 20 }, (_, i) => `service-${i}`);

let server: KubernetesTestServer | undefined;
let cache: WatchingLiveStateCache | undefined;

afterEach(async () => {
  await cache?.stop();
  await server?.close();
  cache = undefined;
  server = undefined;
});

/** Requests by verb. */
function count(requests: KubernetesTestServer['requests']) {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const verb = verbOf(request);
    counts[verb] = (counts[verb] ?? 0) + 1;
  }
  return counts;
}

/**
 * Starts a cache on `accounts` accounts of 20 services each, spread over
 * the four clusters; counts the requests of one resync, then of reading
 * what one fleet page shows, `pageViews` times.
 */
async function measure(accounts: number, pageViews: number) {
  const simulator = await startLiveServer();
  server = simulator;
  const where = (i: number) => LIVE_CLUSTERS[i % LIVE_CLUSTERS.length];
  for (let i = 0; i < accounts; i++) {
    seedAccount(simulator, where(i), `account-${i}`, SERVICES);
  }
  const live = liveCache(simulator);
  cache = live;
  const allWatching = (from: number) =>
    LIVE_CLUSTERS.every(c => everyKindWatched(simulator, c, 200, from));
  await live.start();
  await until(() => allWatching(0));

  const beforeResync = simulator.requests.length;
  await live.resync();
  await until(() => allWatching(beforeResync));
  const resync = count(simulator.requests.slice(beforeResync));

  const beforeReads = simulator.requests.length;
  let releases = 0;
  for (let view = 0; view < pageViews; view++) {
    releases = 0;
    for (let i = 0; i < accounts; i++) {
      for (const service of SERVICES) {
        const release = live.get(
          where(i),
          'HelmRelease',
          `account-${i}`,
          service,
        );
        if (release) releases += 1;
      }
    }
    for (const cluster of LIVE_CLUSTERS) {
      for (const { kind } of LIVE_RESOURCES) live.objects(cluster, kind);
    }
    live.statuses();
  }
  const reads = simulator.requests.length - beforeReads;

  await live.stop();
  await simulator.close();
  cache = undefined;
  server = undefined;
  return { resync, reads, releases };
}

describe('WatchingLiveStateCache requests', () => {
  it('makes as many requests per resync with 200 accounts as with 10 (one list and one watch per cluster and kind), and none for reads', async () => {
    const perResync = LIVE_CLUSTERS.length * LIVE_RESOURCES.length;

    const few = await measure(10, 5);
    expect(few.releases).toBe(10 * SERVICES.length);
    expect(few.resync).toEqual({ list: perResync, watch: perResync });
    expect(few.reads).toBe(0);

    const many = await measure(200, 5);
    expect(many.releases).toBe(200 * SERVICES.length);
    expect(many.resync).toEqual(few.resync);
    expect(many.reads).toBe(0);
  }, 60_000);
});
