/*
 * Benchmark: time to first render of the Fleet page (/fleet) in Chromium,
 * against the fleet benchmark's fleet (accounts × 20 services on four
 * simulated clusters) at 200 and at 2,000 accounts.
 *
 * Per size: the config repository and the simulator's clusters built from
 * one rendering (the simulator runs in this process); the whole portal
 * (packages/backend, every plugin) as a child process on SQLite files in a
 * temporary folder, serving the app's production bundle (built first when
 * packages/app/dist is missing or older than the frontend sources); the
 * accounts created through `POST /api/accounts`; then the portal restarted
 * and, in headless Chromium signed in as guest:
 * - a cold first load: a browser context with an empty cache, as soon as
 *   the backend answered ready (while it lists the clusters and reads the
 *   desired state for the first time);
 * - after one load to warm up, timed loads, each in a new page of the same
 *   context (the bundle cached, the fleet revalidated with its ETag).
 * Each load is timed from navigation start to the first cell showing a
 * version, and to the state counts showing what the fixtures planned, both
 * once painted; with where the time went (document, sign-in, GET /fleet),
 * the rows the virtualized matrix put in the DOM and the page's JS heap.
 *
 * Asserts nothing about time (shared, noisy machines); only that answers
 * are right: the counts, the row count, every rendered cell's state.
 *
 *   make bench
 *
 * or this benchmark alone, at some sizes:
 *
 *   FLEET_PAGE_BENCH_SIZES=200 scripts/toolchain.sh node --require \
 *     @backstage/cli/config/nodeTransform.cjs packages/backend/src/fleetPage.bench.ts
 */
// A benchmark is test code, like the e2e suite whose helpers it shares; this
// package's lint config does not say so for *.bench.ts files (yet).
import { HEALTH_STATES } from '@fleet-portal/plugin-accounts-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { PortalProcess, freePort } from './__testUtils__/PortalProcess';
import { ensureAppBundle } from './__testUtils__/appBundle';
import {
  Browser,
  FleetPageLoad,
  guestSession,
  launchChromium,
  loadFleetPage,
} from './__testUtils__/fleetPageProbe';
import {
  FLEET_CLUSTER_COUNT,
  FLEET_SERVICE_COUNT,
  buildFleet,
  fleetPortalConfig,
  fleetStartup,
  plannedCellState,
  plannedCounts,
  registerFleet,
} from './__testUtils__/fleetPortal';
import {
  SizeRun,
  describeLoad,
  describeStartup,
  ms,
  printTable,
} from './__testUtils__/fleetPageReport';

const SIZES = (process.env.FLEET_PAGE_BENCH_SIZES ?? '200,2000')
  .split(',')
  .map(Number);
const RUNS = 5;
const VIEWPORT = { width: 1920, height: 1080 };
/** The cold load waits for the backend's first lists of every cluster. */
const COLD_TIMEOUT_MS = 300_000;
const WARM_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 180_000;

/** Cleanup steps, run last first: after each size, at the end, on signals. */
const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp(until = 0) {
  while (cleanups.length > until) {
    await cleanups.pop()!().catch(error => console.error(`cleanup: ${error}`));
  }
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(code)));
}

/** Fails the run unless the page showed the fleet the fixtures planned. */
function check(load: FleetPageLoad, accounts: number, what: string) {
  const problems: string[] = [];
  if (load.rowCount !== accounts) problems.push(`${load.rowCount} rows`);
  if (load.accountHeader !== `Account (${accounts})`) {
    problems.push(`the header "${load.accountHeader}"`);
  }
  // Virtualized: a screenful and the overscan, never the whole fleet.
  if (load.renderedRows < 1 || load.renderedRows > 100) {
    problems.push(`${load.renderedRows} rows in the DOM`);
  }
  if (load.cells.length !== load.renderedRows * FLEET_SERVICE_COUNT) {
    problems.push(`${load.cells.length} cells in the DOM`);
  }
  const wrong = load.cells.filter(c => plannedCellState(c.id) !== c.state);
  if (wrong.length > 0) {
    const some = wrong
      .slice(0, 5)
      .map(c => `${c.id} ${c.state} (planned ${plannedCellState(c.id)})`);
    problems.push(`${wrong.length} cells not as planned: ${some.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new Error(`${what} at ${accounts} accounts: ${problems.join('; ')}`);
  }
}

async function runSize(accounts: number, browser: Browser): Promise<SizeRun> {
  console.log(`${accounts} accounts × ${FLEET_SERVICE_COUNT} services:`);
  const mark = cleanups.length;
  try {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-page-bench-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const build = await buildFleet(accounts, join(dir, 'config.git'));
    cleanups.push(() => build.simulator.close());
    console.log(
      `  fleet: config repository of ${build.repositoryFiles} files in ${ms(
        build.repositoryMs,
      )}; ${
        build.clusterObjects
      } objects on ${FLEET_CLUSTER_COUNT} simulated clusters in ${ms(
        build.clustersMs,
      )}`,
    );

    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const config = fleetPortalConfig(dir, build, baseUrl);
    const start = async () => {
      const started = performance.now();
      const since = Date.now();
      const child = await PortalProcess.start({
        dir,
        port,
        config,
        timeoutMs: START_TIMEOUT_MS,
      });
      return { child, since, ms: performance.now() - started };
    };
    let portal = await start();
    cleanups.push(() => portal.child.stop());
    const firstStartMs = portal.ms;
    const registerMs = await registerFleet(baseUrl, accounts);
    const session = await guestSession(browser, baseUrl);
    await portal.child.stop();
    portal = await start();
    const readyAt = Date.now();
    console.log(
      `  portal: started in ${ms(
        firstStartMs,
      )}; ${accounts} accounts created with POST /api/accounts in ${ms(
        registerMs,
      )} (${Math.round(accounts / (registerMs / 1000))}/s); restarted in ${ms(
        portal.ms,
      )}`,
    );

    const expected = plannedCounts(accounts);
    const labels = HEALTH_STATES.map(s => `${s}: ${expected[s]}`);
    console.log(`  planned cells: ${labels.join(', ')}`);
    const context = await browser.newContext({
      baseURL: baseUrl,
      storageState: session,
      viewport: VIEWPORT,
    });
    cleanups.push(() => context.close());
    const load = (timeoutMs: number) =>
      loadFleetPage(context, '/fleet', labels, timeoutMs);

    const cold = await load(COLD_TIMEOUT_MS);
    check(cold, accounts, 'the cold first load');
    const startup = fleetStartup(await portal.child.output(), portal.since);
    const run: SizeRun = { accounts, cold, readyAt, startup, warm: [] };
    console.log(`  cold first load: ${describeLoad(cold)}`);
    console.log(
      `    after the backend answered ready: ${describeStartup(run)}`,
    );

    check(await load(WARM_TIMEOUT_MS), accounts, 'the warm-up load');
    for (let i = 1; i <= RUNS; i++) {
      const warm = await load(WARM_TIMEOUT_MS);
      check(warm, accounts, `warm load ${i}`);
      run.warm.push(warm);
      console.log(`  warm load ${i}: ${describeLoad(warm)}`);
    }
    return run;
  } finally {
    await cleanUp(mark);
  }
}

async function main() {
  const started = Date.now();
  const bundle = await ensureAppBundle();
  console.log(
    bundle.built
      ? `app bundle: built in ${ms(bundle.ms)} (${bundle.reason})`
      : `app bundle: packages/app/dist ${bundle.reason}`,
  );
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  console.log(
    `Fleet page in Chromium ${browser.version()} (headless, ${VIEWPORT.width}×${
      VIEWPORT.height
    }), served by the portal's backend with the production bundle; ${FLEET_CLUSTER_COUNT} clusters, ${FLEET_SERVICE_COUNT} services; ${RUNS} timed loads after 1 to warm up`,
  );
  const runs: SizeRun[] = [];
  for (const size of SIZES) runs.push(await runSize(size, browser));
  printTable(runs);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main()
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
