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
 *   make bench
 */
// A benchmark runs in development only, like the tests: the test backend
// stays a devDependency.
import {
  LoggerService,
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FleetMatrix,
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import {
  KubernetesLoggedRequest,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import { mkdtemp, rm } from 'fs/promises';
import http from 'http';
import { PerformanceObserver, constants as gcConstants } from 'perf_hooks';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { KubeObject } from '../cluster/ClusterClient';
import { KubernetesClusters } from '../cluster/KubernetesClusters';
import {
  everyKindWatched,
  verbOf,
} from '../cluster/live/__testUtils__/liveFleet';
import { accountsPlugin } from '../plugin';
import { accountToRow, diffAccounts } from '../registry/rows';
import {
  ClusterLoad,
  ConfigRepositoryBuild,
  FLEET_CLUSTERS,
  FLEET_CLUSTER_TIMEOUT_SECONDS,
  FLEET_SERVICES,
  cellPlan,
  clusterOf,
  clusterToken,
  fleetAccount,
  fleetAccountsConfig,
  fleetKubernetesConfig,
  plannedDesiredTags,
  loadClusters,
  renderFleet,
  writeConfigRepository,
} from './__testUtils__/fleetFixtures';
import { releaseHealth } from './health/releaseHealth';
import { HELM_RELEASE_NAME_LABEL } from './health/workloadHealth';
import { liveTagOf } from './liveIndex';

const SIZES = [200, 2_000];
const WARM_UP = 10;
const ROUNDS = 100;
const FILTER = '?environment=staging&state=failed';
/** Accounts the naive refresh asks about at once. */
const NAIVE_CONCURRENCY = 16;
const TARGET_P95_MS = 300;
const TARGET_GZIP_BYTES = 1_000_000;
/** How long the plugin may take to show the whole fleet. */
const STARTUP_DEADLINE_MS = 400_000;

type Figures = {
  p50: number;
  p95: number;
  max: number;
  /** Major garbage collections during the timed requests. */
  gc: { major: number; longest: number };
};
type Verbs = Record<string, number>;

/** Everything measured at one size. */
interface SizeRun {
  accounts: number;
  renderMs: number;
  repository: ConfigRepositoryBuild;
  load: ClusterLoad & { totalMs: number };
  startupMs: number;
  /**
   * The first GET once the cache had synced: the plugin's first desired
   * read (the whole repository) and every cell computed.
   */
  firstMatrixMs: number;
  /** From start until every kind of every cluster was listed and watched. */
  syncMs: number;
  /** One refresh: from start to the first complete matrix. */
  startupRequests: Verbs;
  full: Figures;
  filtered: Figures;
  rows: number;
  filteredRows: number;
  rawBytes: number;
  gzipBytes: number;
  filteredRawBytes: number;
  readRequests: number;
  /** V8 heap in use after the timed requests (simulator and plugin share it). */
  heapBytes: number;
  naive: { ms: number; requests: number };
}

const quietLogger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return quietLogger;
  },
};

const allow: PermissionsService = {
  async authorize(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
};

const sleep = (delay: number) => new Promise(done => setTimeout(done, delay));

async function until(condition: () => boolean, what: string, from: number) {
  while (!condition()) {
    if (performance.now() - from > STARTUP_DEADLINE_MS) {
      throw new Error(`Gave up waiting for ${what}`);
    }
    await sleep(10);
  }
}

// --- the plan ---------------------------------------------------------------

/** Cells per state and the rows of the filter, as the fixtures plan them. */
function planned(accounts: number) {
  const counts = Object.fromEntries(HEALTH_STATES.map(s => [s, 0])) as Record<
    HealthState,
    number
  >;
  let filteredRows = 0;
  for (let i = 0; i < accounts; i++) {
    let failed = false;
    FLEET_SERVICES.forEach((_, s) => {
      const plan = cellPlan(i, s);
      counts[plan] += 1;
      failed ||= plan === 'failed';
    });
    if (failed && clusterOf(i).environment === 'staging') filteredRows += 1;
  }
  return { counts, filteredRows };
}

function sameCounts(
  a: Record<HealthState, number>,
  b: Record<HealthState, number>,
) {
  return HEALTH_STATES.every(s => (a[s] ?? 0) === (b[s] ?? 0));
}

const showCounts = (counts: Record<HealthState, number>) =>
  HEALTH_STATES.filter(s => counts[s])
    .map(s => `${s} ${counts[s]}`)
    .join(', ');

// --- HTTP -------------------------------------------------------------------

type Answer = { status: number; body: Buffer };

/** One GET over the keep-alive agent, the body read to its end. */
function get(agent: http.Agent, port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: { authorization: mockCredentials.user.header() },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Warm-up, then ROUNDS timed GETs; each must be a 200 of the same size. */
async function measure(
  agent: http.Agent,
  port: number,
  path: string,
  expectedBytes: number,
): Promise<Figures> {
  for (let i = 0; i < WARM_UP; i++) await get(agent, port, path);
  const times: number[] = [];
  // Garbage collection while timing: what the slowest requests waited for.
  const gc = { major: 0, longest: 0 };
  const observer = new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind !== gcConstants.NODE_PERFORMANCE_GC_MAJOR) continue;
      gc.major += 1;
      gc.longest = Math.max(gc.longest, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    const answer = await get(agent, port, path);
    times.push(performance.now() - start);
    // `generatedAt` has a fixed length: the same matrix, the same size.
    if (answer.status !== 200 || answer.body.length !== expectedBytes) {
      throw new Error(
        `GET ${path} answered ${answer.status} with ${answer.body.length} bytes, expected 200 with ${expectedBytes}`,
      );
    }
  }
  // Entries are delivered asynchronously.
  await sleep(0);
  observer.disconnect();
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times[times.length - 1],
    gc,
  };
}

// --- the registry -------------------------------------------------------------

/** Writes the accounts straight into the tables: rows and their history. */
async function loadRegistry(knex: Knex, count: number) {
  const at = new Date().toISOString();
  const accounts = Array.from({ length: count }, (_, i) => fleetAccount(i, at));
  await knex.transaction(async tx => {
    await tx.batchInsert('accounts', accounts.map(accountToRow), 500);
    await tx.batchInsert(
      'account_history',
      accounts.map(account => ({
        account_name: account.name,
        version: 1,
        action: 'create',
        changed_at: account.createdAt,
        changed_by: account.createdBy,
        changes: JSON.stringify(diffAccounts(undefined, account)),
      })),
      500,
    );
  });
}

// --- Kubernetes requests ------------------------------------------------------

function verbs(requests: KubernetesLoggedRequest[]): Verbs {
  const counts: Verbs = {};
  for (const request of requests) {
    const verb = verbOf(request);
    counts[verb] = (counts[verb] ?? 0) + 1;
  }
  return counts;
}

const total = (counts: Verbs) =>
  Object.values(counts).reduce((a, b) => a + b, 0);

const showVerbs = (counts: Verbs) =>
  `${total(counts)} (${Object.entries(counts)
    .map(([verb, n]) => `${n} ${verb}`)
    .join(', ')})`;

function allWatched(simulator: KubernetesTestServer, from: number) {
  return FLEET_CLUSTERS.every(c =>
    everyKindWatched(simulator, c.name, 200, from),
  );
}

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
) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  const plan = planned(count);
  const before = simulator.requests.length;
  const started = performance.now();
  const backend = await startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
      mockServices.rootLogger.factory({ level: 'warn' }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => allow,
      }),
    ],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    // The plugin applied the migrations at start: the rows go in now.
    await loadRegistry(knex, count);
    const port = (backend.server.address() as AddressInfo).port;
    const path = '/api/accounts/fleet';

    // Listed (and so cached) before each watch starts.
    await until(() => allWatched(simulator, before), 'the watches', started);
    const syncMs = performance.now() - started;
    let matrix: FleetMatrix;
    let body: Buffer;
    let firstMatrixMs = 0;
    for (let attempt = 0; ; attempt++) {
      const t = performance.now();
      const answer = await get(agent, port, path);
      if (attempt === 0) firstMatrixMs = performance.now() - t;
      if (answer.status !== 200) {
        throw new Error(
          `GET ${path} answered ${answer.status}: ${answer.body.toString()}`,
        );
      }
      matrix = JSON.parse(answer.body.toString());
      body = answer.body;
      if (
        matrix.rows.length === count &&
        matrix.clusters.every(c => !c.stale)
      ) {
        break;
      }
      if (performance.now() - started > STARTUP_DEADLINE_MS) {
        throw new Error(
          `The fleet is not complete: ${
            matrix.rows.length
          } rows, clusters ${JSON.stringify(matrix.clusters)}`,
        );
      }
      await sleep(100);
    }
    const startupMs = performance.now() - started;
    const startupRequests = verbs(simulator.requests.slice(before));
    if (!sameCounts(matrix.counts, plan.counts)) {
      throw new Error(
        `The matrix shows ${showCounts(
          matrix.counts,
        )}; the fixtures planned ${showCounts(plan.counts)}`,
      );
    }

    const filteredPath = `${path}${FILTER}`;
    const filteredAnswer = await get(agent, port, filteredPath);
    const filteredMatrix: FleetMatrix = JSON.parse(
      filteredAnswer.body.toString(),
    );
    if (
      filteredAnswer.status !== 200 ||
      filteredMatrix.rows.length !== plan.filteredRows
    ) {
      throw new Error(
        `GET ${filteredPath} answered ${filteredAnswer.status} with ${filteredMatrix.rows?.length} rows, expected ${plan.filteredRows}`,
      );
    }

    const beforeReads = simulator.requests.length;
    const full = await measure(agent, port, path, body.length);
    const filtered = await measure(
      agent,
      port,
      filteredPath,
      filteredAnswer.body.length,
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
      filteredRows: filteredMatrix.rows.length,
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

/**
 * The baseline: per account, list its namespace's HelmReleases and
 * Deployments (two requests) and roll each service up with `releaseHealth`,
 * `NAIVE_CONCURRENCY` accounts at a time. The desired tags are given in
 * memory, as the cache-based answer has them once read (the same cells
 * as the matrix's show they are the repository's).
 */
async function naiveRefresh(
  count: number,
  simulator: KubernetesTestServer,
  clusters: KubernetesClusters,
  desired: ReadonlyMap<string, ReadonlyMap<string, string>>,
) {
  const at = new Date().toISOString();
  const counts = Object.fromEntries(HEALTH_STATES.map(s => [s, 0])) as Record<
    HealthState,
    number
  >;
  const before = simulator.requests.length;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const account = fleetAccount(i, at);
      const client = clusters.client(account.cluster);
      const [releases, deployments] = await Promise.all([
        client.list('helm.toolkit.fluxcd.io/v2', 'HelmRelease', {
          namespace: account.name,
        }),
        client.list('apps/v1', 'Deployment', { namespace: account.name }),
      ]);
      for (const { name: service } of account.services) {
        const workloads = deployments
          .filter(
            (d: KubeObject) =>
              d.metadata.labels?.[HELM_RELEASE_NAME_LABEL] === service,
          )
          .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
        const health = releaseHealth({
          service,
          namespace: account.name,
          release: releases.find(r => r.metadata.name === service),
          desiredTag: desired.get(account.name)?.get(service),
          liveTag: liveTagOf(workloads),
          cluster: { cluster: account.cluster, stale: false },
        });
        counts[health.state] += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: NAIVE_CONCURRENCY }, worker));
  const requests = simulator.requests.slice(before);
  return {
    ms: performance.now() - started,
    requests: requests.length,
    lists: requests.filter(r => r.path.includes('/namespaces/')).length,
    counts,
  };
}

/** The config repository and the clusters' objects, from one rendering. */
async function prepare(
  count: number,
  simulator: KubernetesTestServer,
  repositoryPath: string,
) {
  const { folders, ms: renderMs } = renderFleet(count);
  const repository = await writeConfigRepository(repositoryPath, folders);
  console.log(
    `  config repository: ${repository.files} files (${
      repository.helmReleaseFiles
    } HelmReleases, ${(repository.bytes / 1e6).toFixed(
      1,
    )} MB), rendered in ${ms(renderMs)}, written in ${ms(repository.ms)}`,
  );

  const started = performance.now();
  const load = loadClusters(
    name => simulator.store(name),
    folders,
    repository.commit,
  );
  const loadMs = performance.now() - started;
  console.log(
    `  clusters: ${load.objects} objects in ${load.writes} writes in ${ms(
      loadMs,
    )} (${Math.round(load.writes / (loadMs / 1000))} writes/s; creates ${ms(
      load.ms.create,
    )}, status patches ${ms(load.ms.status)}, building objects ${ms(
      load.ms.objects,
    )})`,
  );
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
    console.log(
      `  plugin start → every cluster listed and watched: ${ms(
        plugin.syncMs,
      )}; → first complete matrix: ${ms(
        plugin.startupMs,
      )}; Kubernetes requests ${showVerbs(plugin.startupRequests)}`,
    );
    console.log(
      `    first GET once the cache had synced (the plugin's first desired read of ${
        repository.helmReleaseFiles
      } HelmRelease files, every cell computed): ${ms(plugin.firstMatrixMs)}`,
    );
    console.log(`    cells: ${showCounts(plugin.counts)}`);
    console.log(
      `    GET /fleet                 p50 ${ms(plugin.full.p50)}  p95 ${ms(
        plugin.full.p95,
      )}  max ${ms(plugin.full.max)}  ${plugin.rows} rows, ${kb(
        plugin.rawBytes,
      )} raw, ${kb(plugin.gzipBytes)} gzipped; ${gcText(plugin.full)}`,
    );
    console.log(
      `    GET /fleet${FILTER}  p50 ${ms(plugin.filtered.p50)}  p95 ${ms(
        plugin.filtered.p95,
      )}  max ${ms(plugin.filtered.max)}  ${plugin.filteredRows} rows, ${kb(
        plugin.filteredRawBytes,
      )} raw; ${gcText(plugin.filtered)}`,
    );
    console.log(
      `    heap in use: ${(plugin.heapBytes / 1e6).toFixed(
        0,
      )} MB (the simulator's stores and the plugin share this process)`,
    );
    console.log(
      `    Kubernetes requests during ${2 * (WARM_UP + ROUNDS)} GETs: ${
        plugin.readRequests
      }`,
    );

    const clusters = KubernetesClusters.fromConfig(new ConfigReader(config), {
      logger: quietLogger,
    });
    const naive = await naiveRefresh(
      count,
      simulator,
      clusters,
      plannedDesiredTags(count),
    );
    if (!sameCounts(naive.counts, plugin.counts)) {
      throw new Error(
        `The naive refresh found ${showCounts(
          naive.counts,
        )}, the matrix ${showCounts(plugin.counts)}`,
      );
    }
    console.log(
      `  naive refresh (${NAIVE_CONCURRENCY} accounts at a time): ${ms(
        naive.ms,
      )}, ${naive.requests} Kubernetes requests (${
        naive.lists
      } namespace lists, ${
        naive.requests - naive.lists
      } API discovery), the same cells`,
    );

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

// --- output -------------------------------------------------------------------

function ms(value: number): string {
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)} s`
    : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

function kb(bytes: number): string {
  return bytes >= 1e6
    ? `${(bytes / 1e6).toFixed(2)} MB`
    : `${(bytes / 1e3).toFixed(1)} kB`;
}

function gcText(f: Figures): string {
  return f.gc.major === 0
    ? 'no major GC'
    : `${f.gc.major} major GC, the longest ${ms(f.gc.longest)}`;
}

const ratio = (a: number, b: number) => `x${(a / b).toFixed(2)}`;

function table(runs: SizeRun[]) {
  const rows: Array<[string, (r: SizeRun) => string]> = [
    ['config repository files', r => String(r.repository.files)],
    ['first GET (first desired read)', r => ms(r.firstMatrixMs)],
    [
      'simulator load (objects / writes)',
      r => `${ms(r.load.totalMs)} (${r.load.objects} / ${r.load.writes})`,
    ],
    ['start → complete matrix', r => ms(r.startupMs)],
    ['cache refresh (start → all watching)', r => ms(r.syncMs)],
    ['k8s requests per refresh', r => String(total(r.startupRequests))],
    ['GET /fleet p50', r => ms(r.full.p50)],
    ['GET /fleet p95', r => ms(r.full.p95)],
    ['GET /fleet max', r => ms(r.full.max)],
    ['GET /fleet (filtered) p50', r => ms(r.filtered.p50)],
    ['GET /fleet (filtered) p95', r => ms(r.filtered.p95)],
    ['rows / filtered rows', r => `${r.rows} / ${r.filteredRows}`],
    ['payload raw', r => kb(r.rawBytes)],
    ['payload gzipped (level 6)', r => kb(r.gzipBytes)],
    ['k8s requests during GETs', r => String(r.readRequests)],
    ['naive refresh', r => ms(r.naive.ms)],
    ['naive k8s requests', r => String(r.naive.requests)],
    [
      'naive / cache requests per refresh',
      r => ratio(r.naive.requests, total(r.startupRequests)),
    ],
    ['naive / cache refresh time', r => ratio(r.naive.ms, r.syncMs)],
    ['naive refresh / GET /fleet p50', r => ratio(r.naive.ms, r.full.p50)],
  ];
  console.log('');
  console.log(
    `${''.padEnd(36)}${runs
      .map(r => `${r.accounts} accounts`.padStart(26))
      .join('')}`,
  );
  for (const [label, value] of rows) {
    console.log(
      `${label.padEnd(36)}${runs.map(r => value(r).padStart(26)).join('')}`,
    );
  }
}

async function main() {
  const started = Date.now();
  console.log(
    `GET /api/accounts/fleet: ${FLEET_CLUSTERS.length} clusters, ${FLEET_SERVICES.length} services; ${ROUNDS} timed requests per case after ${WARM_UP} to warm up; cluster timeout ${FLEET_CLUSTER_TIMEOUT_SECONDS} s`,
  );
  const runs: SizeRun[] = [];
  for (const size of SIZES) runs.push(await runSize(size));
  table(runs);

  const [small, large] = runs;
  const equal =
    JSON.stringify(small.startupRequests) ===
    JSON.stringify(large.startupRequests);
  console.log('');
  console.log(
    `Kubernetes requests per refresh, ${small.accounts} vs ${
      large.accounts
    } accounts: ${showVerbs(small.startupRequests)} vs ${showVerbs(
      large.startupRequests,
    )}: ${equal ? 'equal' : 'NOT equal'}; naive ${small.naive.requests} vs ${
      large.naive.requests
    }`,
  );
  console.log(
    `${large.accounts} / ${small.accounts} accounts: GET /fleet p50 ${ratio(
      large.full.p50,
      small.full.p50,
    )}, p95 ${ratio(large.full.p95, small.full.p95)}; naive refresh ${ratio(
      large.naive.ms,
      small.naive.ms,
    )}`,
  );
  console.log(
    `At ${large.accounts} accounts: p95 ${ms(
      large.full.p95,
    )} < ${TARGET_P95_MS} ms: ${
      large.full.p95 < TARGET_P95_MS ? 'held' : 'NOT held'
    }; gzipped ${kb(large.gzipBytes)} < 1 MB: ${
      large.gzipBytes < TARGET_GZIP_BYTES ? 'held' : 'NOT held'
    } (this run)`,
  );
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
