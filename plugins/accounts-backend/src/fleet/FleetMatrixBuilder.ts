import {
  Account,
  ClusterSyncStatus,
  FleetCell,
  FleetMatrix,
  FleetRow,
  HEALTH_STATES,
  HealthState,
  ImageVersion,
  ReleaseHealth,
} from '@fleet-portal/plugin-accounts-common';

/**
 * Packs releases' health into the compact {@link FleetMatrix}: each distinct
 * version once in `versions`, each cell three numbers. Rows are kept when
 * no state filter is given, or when one of their cells is in a wanted state.
 */
export class FleetMatrixBuilder {
  private readonly rows: FleetRow[] = [];
  private readonly versions: ImageVersion[] = [];
  private readonly versionIndex = new Map<string, number>();
  private readonly stateIndex = new Map<HealthState, number>(
    HEALTH_STATES.map((state, i) => [state, i]),
  );
  private readonly counts = Object.fromEntries(
    HEALTH_STATES.map(state => [state, 0]),
  ) as Record<HealthState, number>;

  constructor(
    private readonly services: string[],
    private readonly states?: HealthState[],
  ) {}

  /** Adds the account's row; `undefined` where a service is not enabled. */
  addRow(account: Account, releases: Array<ReleaseHealth | undefined>) {
    if (
      this.states &&
      !releases.some(r => r !== undefined && this.states!.includes(r.state))
    ) {
      return;
    }
    const cells = releases.map((release): FleetCell | null => {
      if (!release) return null;
      this.counts[release.state] += 1;
      return [
        this.version(release.desired),
        this.version(release.live),
        this.stateIndex.get(release.state)!,
      ];
    });
    this.rows.push({
      account: account.name,
      environment: account.environment,
      region: account.region,
      cluster: account.cluster,
      uat: account.isUat,
      cells,
    });
  }

  build(meta: {
    version: string;
    desiredRevision?: string;
    clusters: ClusterSyncStatus[];
  }): FleetMatrix {
    return {
      generatedAt: new Date().toISOString(),
      version: meta.version,
      ...(meta.desiredRevision && { desiredRevision: meta.desiredRevision }),
      services: this.services,
      states: [...HEALTH_STATES],
      versions: this.versions,
      rows: this.rows,
      counts: this.counts,
      clusters: meta.clusters,
    };
  }

  private version(version: ImageVersion | undefined): number {
    if (!version) return -1;
    let index = this.versionIndex.get(version.tag);
    if (index === undefined) {
      index = this.versions.length;
      this.versions.push(version);
      this.versionIndex.set(version.tag, index);
    }
    return index;
  }
}
