import {
  AccountStatus,
  ClusterSyncStatus,
  FleetMatrix,
  HEALTH_STATES,
  HealthState,
  ImageVersion,
  ReleaseHealth,
} from '@fleet-portal/plugin-accounts-common';

/**
 * A version as the backend describes it: `main-<sha>-<unix-ts>` tags get
 * their commit and build time, others are plain tags.
 */
export function testVersion(tag: string): ImageVersion {
  const build = /^(main)-([0-9a-f]+)-(\d+)$/.exec(tag);
  if (!build) return { tag };
  return {
    tag,
    build: {
      branch: build[1],
      commit: build[2],
      builtAt: new Date(Number(build[3]) * 1000).toISOString(),
    },
  };
}

/** A cell as tests write it: desired tag, live tag, state. */
export type TestCell = [
  desired: string | null,
  live: string | null,
  state: HealthState,
];

/** A row as tests write it: cells by service, absent = not enabled. */
export interface TestRow {
  account: string;
  environment?: string;
  region?: string;
  cluster?: string;
  uat?: boolean;
  cells: Record<string, TestCell>;
}

/**
 * A `FleetMatrix` in its compact wire form, built from readable rows the
 * way the backend builds it (versions and states indexed, counts per state).
 */
export function testFleetMatrix(options: {
  services: string[];
  rows: TestRow[];
  clusters?: ClusterSyncStatus[];
  version?: string;
}): FleetMatrix {
  const versions: ImageVersion[] = [];
  const states: HealthState[] = [...HEALTH_STATES];
  const counts = Object.fromEntries(states.map(s => [s, 0])) as Record<
    HealthState,
    number
  >;
  const versionIndex = (tag: string | null) => {
    if (tag === null) return -1;
    let index = versions.findIndex(v => v.tag === tag);
    if (index < 0) index = versions.push(testVersion(tag)) - 1;
    return index;
  };
  const rows = options.rows.map(row => ({
    account: row.account,
    environment: row.environment ?? 'production',
    region: row.region ?? 'europe-west4',
    cluster: row.cluster ?? 'production-eu',
    uat: row.uat ?? false,
    cells: options.services.map(service => {
      const cell = row.cells[service];
      if (!cell) return null;
      counts[cell[2]]++;
      return [
        versionIndex(cell[0]),
        versionIndex(cell[1]),
        states.indexOf(cell[2]),
      ] as [number, number, number];
    }),
  }));
  return {
    generatedAt: '2026-11-23T12:00:00.000Z',
    version: options.version ?? 'v1',
    desiredRevision: 'main@sha1:3f2a9c1d',
    services: options.services,
    states,
    versions,
    rows,
    counts,
    clusters: options.clusters ?? [
      {
        cluster: 'production-eu',
        stale: false,
        syncedAt: '2026-11-23T12:00:00.000Z',
      },
    ],
  };
}

/** One HelmRelease of an account's status, with the given fields changed. */
export function testRelease(
  changes: Partial<ReleaseHealth> = {},
): ReleaseHealth {
  return {
    service: 'backend',
    namespace: 'northwind',
    state: 'healthy',
    message: 'Helm upgrade succeeded for release northwind/backend',
    desired: testVersion('1.4.2'),
    live: testVersion('1.4.2'),
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'UpgradeSucceeded',
        message: 'Helm upgrade succeeded',
        lastTransitionTime: '2026-11-23T10:00:00.000Z',
      },
    ],
    history: [
      {
        version: 4,
        chartVersion: '1.4.2',
        appVersion: '1.4.2',
        status: 'deployed',
        deployedAt: '2026-11-23T10:00:00.000Z',
      },
    ],
    lastAttemptedRevision: '1.4.2',
    failures: { install: 0, upgrade: 0, total: 0 },
    suspended: false,
    ...changes,
  };
}

/** An account's status on a readable cluster, with the given changes. */
export function testAccountStatus(
  changes: Partial<AccountStatus> = {},
): AccountStatus {
  return {
    account: 'northwind',
    cluster: {
      cluster: 'production-eu',
      stale: false,
      syncedAt: '2026-11-23T12:00:00.000Z',
    },
    desiredRevision: 'main@sha1:3f2a9c1d',
    kustomization: {
      name: 'northwind',
      namespace: 'flux-system',
      state: 'healthy',
      message: 'Applied revision: main@sha1:3f2a9c1d',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' },
      ],
      lastAppliedRevision: 'main@sha1:3f2a9c1d',
      lastAttemptedRevision: 'main@sha1:3f2a9c1d',
      suspended: false,
    },
    releases: [testRelease()],
    workloads: [
      {
        name: 'backend-web',
        release: 'backend',
        image: testVersion('1.4.2'),
        replicas: 3,
        readyReplicas: 2,
        updatedReplicas: 3,
        availableReplicas: 2,
      },
    ],
    ...changes,
  };
}
