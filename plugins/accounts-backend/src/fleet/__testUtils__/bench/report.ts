/**
 * What the fleet benchmark prints: each size's figures as they are measured,
 * the table comparing the sizes, the closing comparison against the targets,
 * and the number formatting they share.
 */
import { ClusterLoad, ConfigRepositoryBuild } from '../fleetFixtures';
import { Figures } from './http';
import { Verbs, showVerbs, total } from './kubernetesRequests';
import { NaiveRun } from './naiveRefresh';
import { StateCounts, showCounts } from './plan';

/** What the plugin over HTTP showed at one size. */
export interface PluginFigures {
  startupMs: number;
  /** From start until every kind of every cluster was listed and watched. */
  syncMs: number;
  /**
   * The first GET once the cache had synced: the plugin's first desired
   * read (the whole repository) and every cell computed.
   */
  firstMatrixMs: number;
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
  /** The matrix's cells per state. */
  counts: StateCounts;
}

/** Everything measured at one size. */
export interface SizeRun extends PluginFigures {
  accounts: number;
  renderMs: number;
  repository: ConfigRepositoryBuild;
  load: ClusterLoad & { totalMs: number };
  naive: { ms: number; requests: number };
}

export function ms(value: number): string {
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)} s`
    : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

export function kb(bytes: number): string {
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

export function printRepository(
  repository: ConfigRepositoryBuild,
  renderMs: number,
) {
  console.log(
    `  config repository: ${repository.files} files (${
      repository.helmReleaseFiles
    } HelmReleases, ${(repository.bytes / 1e6).toFixed(
      1,
    )} MB), rendered in ${ms(renderMs)}, written in ${ms(repository.ms)}`,
  );
}

export function printClusterLoad(load: ClusterLoad, loadMs: number) {
  console.log(
    `  clusters: ${load.objects} objects in ${load.writes} writes in ${ms(
      loadMs,
    )} (${Math.round(load.writes / (loadMs / 1000))} writes/s; creates ${ms(
      load.ms.create,
    )}, status patches ${ms(load.ms.status)}, building objects ${ms(
      load.ms.objects,
    )})`,
  );
}

/**
 * The plugin's start-up and timed reads. `filter` is the query of the
 * filtered GET; `gets` how many GETs the timed reads made.
 */
export function printPlugin(
  plugin: PluginFigures,
  {
    helmReleaseFiles,
    filter,
    gets,
  }: { helmReleaseFiles: number; filter: string; gets: number },
) {
  console.log(
    `  plugin start → every cluster listed and watched: ${ms(
      plugin.syncMs,
    )}; → first complete matrix: ${ms(
      plugin.startupMs,
    )}; Kubernetes requests ${showVerbs(plugin.startupRequests)}`,
  );
  console.log(
    `    first GET once the cache had synced (the plugin's first desired read of ${helmReleaseFiles} HelmRelease files, every cell computed): ${ms(
      plugin.firstMatrixMs,
    )}`,
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
    `    GET /fleet${filter}  p50 ${ms(plugin.filtered.p50)}  p95 ${ms(
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
    `    Kubernetes requests during ${gets} GETs: ${plugin.readRequests}`,
  );
}

export function printNaive(naive: NaiveRun, concurrency: number) {
  console.log(
    `  naive refresh (${concurrency} accounts at a time): ${ms(naive.ms)}, ${
      naive.requests
    } Kubernetes requests (${naive.lists} namespace lists, ${
      naive.requests - naive.lists
    } API discovery), the same cells`,
  );
}

/** One row per figure, one column per size. */
export function printTable(runs: SizeRun[]) {
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

/**
 * The small size against the large one (requests per refresh, how the times
 * grew) and the large one against the targets, in this run.
 */
export function printComparison(
  small: SizeRun,
  large: SizeRun,
  targets: { p95Ms: number; gzipBytes: number },
) {
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
    `At ${large.accounts} accounts: p95 ${ms(large.full.p95)} < ${
      targets.p95Ms
    } ms: ${large.full.p95 < targets.p95Ms ? 'held' : 'NOT held'}; gzipped ${kb(
      large.gzipBytes,
    )} < 1 MB: ${
      large.gzipBytes < targets.gzipBytes ? 'held' : 'NOT held'
    } (this run)`,
  );
}
