/**
 * What the fleet benchmark expects: the cells per health state and the rows
 * of its filter as the fixtures plan them, and comparing and showing counts.
 */
import {
  HEALTH_STATES,
  HealthState,
} from '@fleet-portal/plugin-accounts-common';
import {
  FLEET_SERVICES,
  cellPlan,
  clusterOf,
  plannedCounts,
} from '../fleetFixtures';

/** Cells per health state. */
export type StateCounts = Record<HealthState, number>;

/** Every state at 0. */
export const noCounts = () =>
  Object.fromEntries(HEALTH_STATES.map(s => [s, 0])) as StateCounts;

/** Cells per state and the rows of the filter, as the fixtures plan them. */
export function planned(accounts: number) {
  let filteredRows = 0;
  for (let i = 0; i < accounts; i++) {
    const failed = FLEET_SERVICES.some((_, s) => cellPlan(i, s) === 'failed');
    if (failed && clusterOf(i).environment === 'staging') filteredRows += 1;
  }
  return { counts: plannedCounts(accounts), filteredRows };
}

export function sameCounts(a: StateCounts, b: StateCounts) {
  return HEALTH_STATES.every(s => (a[s] ?? 0) === (b[s] ?? 0));
}

/** `failed 103, drifted 190, …`: the states with cells, in state order. */
export const showCounts = (counts: StateCounts) =>
  HEALTH_STATES.filter(s => counts[s])
    .map(s => `${s} ${counts[s]}`)
    .join(', ');
