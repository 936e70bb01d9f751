/*
 * Benchmark: `GET /api/accounts/fleet` (accounts × services, desired from
 * the config repository against live from the watch cache) at 200 and at
 * 2,000 accounts × 20 services over four simulated clusters.
 *
 * Per size, in one run:
 * - a local bare config repository holding every account's Flux folder as
 *   the portal renders it (written with `git fast-import`);
 * - the cluster simulator's four stores loaded through their own write path
 *   (schema validation, managedFields): Namespaces, Kustomizations,
 *   HelmReleases with helm-controller's status (healthy, failed, suspended,
 *   progressing, drifted), their Deployments, staging's ImagePolicies;
 * - the real accounts plugin in a test backend (SQLite in memory, the
 *   registry loaded through rows), its live cache listing and watching the
 *   simulator through `@kubernetes/client-node`: the Kubernetes requests
 *   from start to the first complete matrix, the first GET once the cache
 *   synced (the plugin's first read of the desired state), then sequential
 *   requests over
 *   one keep-alive connection (p50/p95/max), the payload raw and gzipped,
 *   and the Kubernetes requests those reads made;
 * - a naive per-account refresh (list the namespace's HelmReleases and
 *   Deployments, roll up with `releaseHealth`) as the baseline.
 *
 * Asserts nothing about time (shared, noisy machines); only that answers are
 * right: 200s, the row counts, the states the fixtures planned.
 *
 * The phases are here; their helpers, one concern per file (HTTP timing,
 * the test backend, the registry load, the Kubernetes request counts, the
 * naive refresh, the plan, the printed report), are in `__testUtils__/bench/`.
 *
 *   make bench
 */
// A benchmark runs in development only, like the tests: the test backend
// stays a devDependency.
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import {
  FLEET_CLUSTERS,
  FLEET_CLUSTER_TIMEOUT_SECONDS,
  FLEET_SERVICES,
  clusterToken,
  fleetAccount,
  fleetAccountsConfig,
  fleetKubernetesConfig,
  plannedDesiredTags,
  loadClusters,
  renderFleet,
  writeConfigRepository,
} from './__testUtils__/fleetFixtures';
import {
  checkedFilteredGet,
  firstCompleteMatrix,
} from './__testUtils__/bench/fleetAnswers';
import { keepAliveAgent, measure } from './__testUtils__/bench/http';
import { allWatched, verbs } from './__testUtils__/bench/kubernetesRequests';
import { naiveRefresh } from './__testUtils__/bench/naiveRefresh';
import { planned, sameCounts, showCounts } from './__testUtils__/bench/plan';
import { insertAccounts } from '../__testUtils__/insertAccounts';
import {
  PluginFigures,
  SizeRun,
  printClusterLoad,
  printComparison,
  printNaive,
  printPlugin,
  printRepository,
  printTable,
} from './__testUtils__/bench/report';
import {
  inMemoryDatabase,
  portOf,
  startAccountsBackend,
} from './__testUtils__/bench/testBackend';
import { until } from './__testUtils__/bench/wait';

const SIZES = [200, 2_000];
const WARM_UP = 10;
const ROUNDS = 100;
const TIMING = { warmUp: WARM_UP, rounds: ROUNDS };
const PATH = '/api/accounts/fleet';
const FILTER = '?environment=staging&state=failed';
/** Accounts the naive refresh asks about at once. */
const NAIVE_CONCURRENCY = 16;
const TARGET_P95_MS = 300;
const TARGET_GZIP_BYTES = 1_000_000;
/** How long the plugin may take to show the whole fleet. */
const STARTUP_DEADLINE_MS = 400_000;

// --- the phases ---------------------------------------------------------------

/** App config: the fleet's environments, services, repository and clusters. */
function pluginConfig(repositoryPath: string, simulator: KubernetesTestServer) {
  return {
    accounts: fleetAccountsConfig(repositoryPath),
    kubernetes: fleetKubernetesConfig(name => simulator.clusterUrl(name)),
  };
}

type PluginConfig = ReturnType<typeof pluginConfig>;

/** The plugin over HTTP: start-up, then the timed reads. */
async function measurePlugin(
  count: number,
  simulator: KubernetesTestServer,
  config: PluginConfig,
): Promise<PluginFigures> {
  const knex = inMemoryDatabase();
  const plan = planned(count);
  const before = simulator.requests.length;
  const started = performance.now();
  const backend = await startAccountsBackend(knex, config);
  const agent = keepAliveAgent();
  try {
    // The plugin applied the migrations at start: the rows go in now.
    await insertAccounts(
      knex,
      Array.from({ length: count }, (_, i) =>
        fleetAccount(i, new Date().toISOString()),
      ),
    );
    const port = portOf(backend);

    // Listed (and so cached) before each watch starts.
    await until(
      () => allWatched(simulator, before),
      'the watches',
      started,
      STARTUP_DEADLINE_MS,
    );
    const syncMs = performance.now() - started;
    const { matrix, body, firstMatrixMs } = await firstCompleteMatrix(
      agent,
      port,
      PATH,
      count,
      { started, deadlineMs: STARTUP_DEADLINE_MS },
    );
    const startupMs = performance.now() - started;
    const startupRequests = verbs(simulator.requests.slice(before));
    if (!sameCounts(matrix.counts, plan.counts)) {
      throw new Error(
        `The matrix shows ${showCounts(
          matrix.counts,
        )}; the fixtures planned ${showCounts(plan.counts)}`,
      );
    }

    const filteredPath = `${PATH}${FILTER}`;
    const filteredAnswer = await checkedFilteredGet(
      agent,
      port,
      filteredPath,
      plan.filteredRows,
    );

    const beforeReads = simulator.requests.length;
    const full = await measure(agent, port, PATH, body.length, TIMING);
    const filtered = await measure(
      agent,
      port,
      filteredPath,
      filteredAnswer.body.length,
      TIMING,
    );
    const readRequests = simulator.requests.length - beforeReads;
    return {
      startupMs,
      syncMs,
      firstMatrixMs,
      startupRequests,
      full,
      filtered,
      rows: matrix.rows.length,
      filteredRows: filteredAnswer.rows,
      rawBytes: body.length,
      gzipBytes: gzipSync(body, { level: 6 }).length,
      filteredRawBytes: filteredAnswer.body.length,
      readRequests,
      heapBytes: process.memoryUsage().heapUsed,
      counts: matrix.counts,
    };
  } finally {
    agent.destroy();
    await backend.stop();
    await knex.destroy();
  }
}

/** The config repository and the clusters' objects, from one rendering. */
async function prepare(
  count: number,
  simulator: KubernetesTestServer,
  repositoryPath: string,
) {
  const { folders, ms: renderMs } = renderFleet(count);
  const repository = await writeConfigRepository(repositoryPath, folders);
  printRepository(repository, renderMs);

  const started = performance.now();
  const load = loadClusters(
    name => simulator.store(name),
    folders,
    repository.commit,
  );
  const loadMs = performance.now() - started;
  printClusterLoad(load, loadMs);
  return { renderMs, repository, load: { ...load, totalMs: loadMs } };
}

async function runSize(count: number): Promise<SizeRun> {
  console.log(`${count} accounts × ${FLEET_SERVICES.length} services:`);
  const dir = await mkdtemp(join(tmpdir(), 'fleet-bench-'));
  const repositoryPath = join(dir, 'config.git');
  const simulator = await KubernetesTestServer.start({
    clusters: FLEET_CLUSTERS.map(({ name }) => ({
      name,
      token: clusterToken(name),
    })),
  });
  try {
    const { renderMs, repository, load } = await prepare(
      count,
      simulator,
      repositoryPath,
    );
    const config = pluginConfig(repositoryPath, simulator);
    const plugin = await measurePlugin(count, simulator, config);
    printPlugin(plugin, {
      helmReleaseFiles: repository.helmReleaseFiles,
      filter: FILTER,
      gets: 2 * (WARM_UP + ROUNDS),
    });

    const naive = await naiveRefresh(
      count,
      simulator,
      config,
      plannedDesiredTags(count),
      NAIVE_CONCURRENCY,
    );
    if (!sameCounts(naive.counts, plugin.counts)) {
      throw new Error(
        `The naive refresh found ${showCounts(
          naive.counts,
        )}, the matrix ${showCounts(plugin.counts)}`,
      );
    }
    printNaive(naive, NAIVE_CONCURRENCY);

    return {
      accounts: count,
      renderMs,
      repository,
      load,
      ...plugin,
      naive: { ms: naive.ms, requests: naive.requests },
    };
  } finally {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  console.log(
    `GET ${PATH}: ${FLEET_CLUSTERS.length} clusters, ${FLEET_SERVICES.length} services; ${ROUNDS} timed requests per case after ${WARM_UP} to warm up; cluster timeout ${FLEET_CLUSTER_TIMEOUT_SECONDS} s`,
  );
  const runs: SizeRun[] = [];
  for (const size of SIZES) runs.push(await runSize(size));
  printTable(runs);
  const [small, large] = runs;
  printComparison(small, large, {
    p95Ms: TARGET_P95_MS,
    gzipBytes: TARGET_GZIP_BYTES,
  });
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
