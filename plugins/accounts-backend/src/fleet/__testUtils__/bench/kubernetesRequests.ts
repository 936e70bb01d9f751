/**
 * The Kubernetes requests the fleet benchmark counts: the simulator's request
 * log by verb, their total, and whether every cluster is listed and watched.
 */
import {
  KubernetesLoggedRequest,
  KubernetesTestServer,
} from '@fleet-portal/test-servers';
import {
  everyKindWatched,
  verbOf,
} from '../../../cluster/live/__testUtils__/liveFleet';
import { FLEET_CLUSTERS } from '../fleetFixtures';

/** Requests per verb (list, watch, get, …). */
export type Verbs = Record<string, number>;

export function verbs(requests: KubernetesLoggedRequest[]): Verbs {
  const counts: Verbs = {};
  for (const request of requests) {
    const verb = verbOf(request);
    counts[verb] = (counts[verb] ?? 0) + 1;
  }
  return counts;
}

export const total = (counts: Verbs) =>
  Object.values(counts).reduce((a, b) => a + b, 0);

/** `32 (16 list, 16 watch)`. */
export const showVerbs = (counts: Verbs) =>
  `${total(counts)} (${Object.entries(counts)
    .map(([verb, n]) => `${n} ${verb}`)
    .join(', ')})`;

/**
 * Whether every kind of every fleet cluster was listed and is watched, by the
 * requests logged since index `from`.
 */
export function allWatched(simulator: KubernetesTestServer, from: number) {
  return FLEET_CLUSTERS.every(c =>
    everyKindWatched(simulator, c.name, 200, from),
  );
}
