import { HealthState } from '@fleet-portal/plugin-accounts-common';
import { KubernetesTestServer } from '@fleet-portal/test-servers';
import { join } from 'path';
// The fleet benchmark's fixtures, shared rather than copied: a test utility
// of the accounts plugin that its package does not export.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import * as fleet from '@fleet-portal/plugin-accounts-backend/src/fleet/__testUtils__/fleetFixtures';
import { ScaffolderApi } from './ScaffolderApi';

/*
 * The fleet benchmark's fleet (accounts × 20 services on four simulated
 * clusters, see plugins/accounts-backend/src/fleet/__testUtils__/
 * fleetFixtures.ts) served by the whole portal: the config repository and
 * the clusters' objects from one rendering, the portal's config reaching
 * them, and the accounts registered through the portal's own API.
 */

/** The fields of a fixture account that `POST /accounts` takes. */
const CREATE_FIELDS = [
  'name',
  'displayName',
  'environment',
  'region',
  'gcpProject',
  'cluster',
  'active',
  'isUat',
  'owner',
  'labels',
  'services',
] as const;

export const FLEET_SERVICE_COUNT = fleet.FLEET_SERVICES.length;
export const FLEET_CLUSTER_COUNT = fleet.FLEET_CLUSTERS.length;

/** What building the fleet took. */
export interface FleetBuild {
  simulator: KubernetesTestServer;
  repositoryPath: string;
  repositoryFiles: number;
  /** Rendering the folders and writing the repository. */
  repositoryMs: number;
  clusterObjects: number;
  clustersMs: number;
}

/**
 * Renders accounts `0..count-1`, writes their folders into a bare config
 * repository at `repositoryPath` and loads their objects into a simulator
 * started on a free port with the fixtures' four clusters and tokens.
 */
export async function buildFleet(
  count: number,
  repositoryPath: string,
): Promise<FleetBuild> {
  const simulator = await KubernetesTestServer.start({
    clusters: fleet.FLEET_CLUSTERS.map(({ name }) => ({
      name,
      token: fleet.clusterToken(name),
    })),
  });
  try {
    const rendered = fleet.renderFleet(count);
    const repository = await fleet.writeConfigRepository(
      repositoryPath,
      rendered.folders,
    );
    const started = performance.now();
    const load = fleet.loadClusters(
      name => simulator.store(name),
      rendered.folders,
      repository.commit,
    );
    return {
      simulator,
      repositoryPath,
      repositoryFiles: repository.files,
      repositoryMs: rendered.ms + repository.ms,
      clusterObjects: load.objects,
      clustersMs: performance.now() - started,
    };
  } catch (error) {
    await simulator.close();
    throw error;
  }
}

/**
 * The portal's config for the fleet, over `app-config.yaml`: every file it
 * writes (SQLite databases, accounts.json) in `dir`, the fleet's
 * environments, services and repository, its clusters on the simulator, no
 * demo data, and the app served by the backend itself at `baseUrl`.
 */
export function fleetPortalConfig(
  dir: string,
  build: FleetBuild,
  baseUrl: string,
) {
  return {
    app: { baseUrl },
    backend: {
      database: {
        client: 'better-sqlite3',
        connection: { directory: join(dir, 'sqlite') },
      },
    },
    accounts: {
      ...fleet.fleetAccountsConfig(build.repositoryPath),
      demoData: false,
      export: { folder: join(dir, 'export') },
    },
    kubernetes: fleet.fleetKubernetesConfig(name =>
      build.simulator.clusterUrl(name),
    ),
  };
}

/**
 * Creates accounts `0..count-1` with `POST /api/accounts` as the guest user,
 * `concurrency` requests at a time; answers how long it took.
 */
export async function registerFleet(
  baseUrl: string,
  count: number,
  concurrency = 8,
): Promise<number> {
  const api = await ScaffolderApi.signIn(baseUrl);
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const account = fleet.fleetAccount(i, '');
      // What POST /accounts takes: the registry fills in the rest.
      await api.call(
        'accounts/accounts',
        Object.fromEntries(CREATE_FIELDS.map(field => [field, account[field]])),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}

/** The cells per state the fixtures plan for `count` accounts. */
export const plannedCounts = fleet.plannedCounts;

/**
 * The state the fixtures plan for the cell of a Fleet page test id
 * (`cell-<account>-<service>`), or undefined for an unknown cell.
 */
export function plannedCellState(testId: string): HealthState | undefined {
  const match = /^cell-account-(\d+)-(.+)$/.exec(testId);
  if (!match) return undefined;
  const i = Number(match[1]);
  const s = fleet.FLEET_SERVICES.indexOf(match[2]);
  if (s < 0 || fleet.accountName(i) !== `account-${match[1]}`) {
    return undefined;
  }
  return fleet.cellPlan(i, s);
}

/** What the accounts plugin logged of its start-up, after `since`. */
export interface FleetStartup {
  /** When the live state cache had listed every cluster, and its message. */
  cacheSyncedAt?: number;
  cacheMessage?: string;
  /** When the first desired-state read ended, and how long it took. */
  desiredReadAt?: number;
  desiredReadMs?: number;
}

/** Reads {@link FleetStartup} from the backend's output (its text log). */
export function fleetStartup(output: string, since: number): FleetStartup {
  const startup: FleetStartup = {};
  // eslint-disable-next-line no-control-regex
  for (const line of output.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
    const at = Date.parse(line.split(' ', 1)[0]);
    if (!(at >= since)) continue;
    const cache = /Live state cache started: (.*?clusters synced)/.exec(line);
    if (cache && startup.cacheSyncedAt === undefined) {
      startup.cacheSyncedAt = at;
      startup.cacheMessage = cache[1];
    }
    const desired = /Read the desired state of .* in (\d+) ms/.exec(line);
    if (desired && startup.desiredReadAt === undefined) {
      startup.desiredReadAt = at;
      startup.desiredReadMs = Number(desired[1]);
    }
  }
  return startup;
}
