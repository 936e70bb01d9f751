import { FleetPageLoad } from './fleetPageProbe';
import { FleetStartup } from './fleetPortal';

/*
 * The Fleet page benchmark's output: one line per page load, a table per
 * fleet size, the ratios between sizes.
 */

/** Everything measured at one fleet size. */
export interface SizeRun {
  accounts: number;
  /** The first load after the backend answered ready (epoch ms). */
  cold: FleetPageLoad;
  readyAt: number;
  startup: FleetStartup;
  warm: FleetPageLoad[];
}

export function ms(value: number): string {
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)} s`
    : `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1e3).toFixed(1)} kB`;
const ratio = (a: number, b: number) => `x${(a / b).toFixed(2)}`;

/** One load on one line. */
export function describeLoad(load: FleetPageLoad): string {
  const revalidated = load.fleetTransferBytes < load.fleetEncodedBytes;
  return [
    `first cell ${ms(load.firstCellMs)}, counts ${ms(load.countsMs)}`,
    `document ${ms(load.documentMs)}, signed in ${ms(load.signInMs)}`,
    `GET /fleet ×${load.fleetRequests}, the last ${ms(
      load.fleetStartMs,
    )} → ${ms(load.fleetResponseEndMs)} (${kb(load.fleetEncodedBytes)} gzipped${
      revalidated ? ', revalidated: 304' : ''
    })`,
    `${load.renderedRows} rows in the DOM, ${load.domNodes} nodes, heap ${mb(
      load.heapBytes,
    )}`,
    `script ${ms(load.scriptMs)}, style+layout ${ms(load.layoutMs)}, ${
      load.longTasks.count
    } long tasks (longest ${ms(load.longTasks.longestMs)})`,
  ].join('; ');
}

/** The backend's start-up as the cold load saw it, after it answered ready. */
export function describeStartup(run: SizeRun): string {
  const { cold, startup, readyAt } = run;
  const after = (at?: number) =>
    at === undefined ? 'not logged' : `+${ms(at - readyAt)}`;
  return [
    `navigation started ${after(cold.timeOrigin)}`,
    `the counts showed ${after(cold.timeOrigin + cold.countsMs)}`,
    `live state cache ${startup.cacheMessage ?? ''} ${after(
      startup.cacheSyncedAt,
    )}`,
    `first desired read ${
      startup.desiredReadMs === undefined ? '' : ms(startup.desiredReadMs)
    } done ${after(startup.desiredReadAt)}`,
  ].join('; ');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const p50 = (r: SizeRun, f: (l: FleetPageLoad) => number) =>
  median(r.warm.map(f));
const max = (r: SizeRun, f: (l: FleetPageLoad) => number) =>
  Math.max(...r.warm.map(f));
const firstCell = (l: FleetPageLoad) => l.firstCellMs;
const counts = (l: FleetPageLoad) => l.countsMs;
const heap = (l: FleetPageLoad) => l.heapBytes;
const pair = (a: string, b: string) => `${a} / ${b}`;

const ROWS: Array<[string, (r: SizeRun) => string]> = [
  [
    'cold: first cell / counts',
    r => pair(ms(r.cold.firstCellMs), ms(r.cold.countsMs)),
  ],
  [
    'cold: backend ready → counts',
    r => ms(r.cold.timeOrigin + r.cold.countsMs - r.readyAt),
  ],
  [
    'warm: first cell p50 / max',
    r => pair(ms(p50(r, firstCell)), ms(max(r, firstCell))),
  ],
  ['warm: counts p50 / max', r => pair(ms(p50(r, counts)), ms(max(r, counts)))],
  ['warm: signed in p50', r => ms(p50(r, l => l.signInMs))],
  ['warm: GET /fleet sent p50', r => ms(p50(r, l => l.fleetStartMs))],
  [
    'warm: GET /fleet took p50',
    r => ms(p50(r, l => l.fleetResponseEndMs - l.fleetStartMs)),
  ],
  [
    'warm: fleet answer → first cell p50',
    r => ms(p50(r, l => l.firstCellMs - l.fleetResponseEndMs)),
  ],
  [
    'cold / warm p50 (first cell)',
    r => ratio(r.cold.firstCellMs, p50(r, firstCell)),
  ],
  ['cold / warm p50 (counts)', r => ratio(r.cold.countsMs, p50(r, counts))],
  [
    'rows in the DOM / rows',
    r => pair(String(r.warm[0].renderedRows), String(r.warm[0].rowCount)),
  ],
  ['DOM nodes p50', r => String(p50(r, l => l.domNodes))],
  ['JS heap after GC p50', r => mb(p50(r, heap))],
  ['GET /fleet body (gzipped)', r => kb(r.warm[0].fleetEncodedBytes)],
  [
    'warm: script / style+layout p50',
    r => pair(ms(p50(r, l => l.scriptMs)), ms(p50(r, l => l.layoutMs))),
  ],
  ['warm: longest task p50', r => ms(p50(r, l => l.longTasks.longestMs))],
];

/** The figures of every size side by side, then the largest against the smallest. */
export function printTable(runs: SizeRun[]) {
  const label = 38;
  const column = 22;
  console.log('');
  console.log(
    `${''.padEnd(label)}${runs
      .map(r => `${r.accounts} accounts`.padStart(column))
      .join('')}`,
  );
  for (const [name, value] of ROWS) {
    console.log(
      `${name.padEnd(label)}${runs
        .map(r => value(r).padStart(column))
        .join('')}`,
    );
  }
  if (runs.length < 2) return;
  const small = runs[0];
  const large = runs[runs.length - 1];
  console.log('');
  console.log(
    `${large.accounts} / ${
      small.accounts
    } accounts: warm first cell p50 ${ratio(
      p50(large, firstCell),
      p50(small, firstCell),
    )}, warm counts p50 ${ratio(
      p50(large, counts),
      p50(small, counts),
    )}, cold counts ${ratio(
      large.cold.countsMs,
      small.cold.countsMs,
    )}, JS heap ${ratio(p50(large, heap), p50(small, heap))}`,
  );
}
