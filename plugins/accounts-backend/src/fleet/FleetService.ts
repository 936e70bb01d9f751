import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  Account,
  AccountStatus,
  HealthState,
  ReleaseHealth,
} from '@fleet-portal/plugin-accounts-common';
import { LiveStateCache } from '../cluster/live/LiveStateCache';
import { AccountFilter, AccountsStore } from '../registry/AccountsStore';
import { DesiredState, DesiredStateReader } from './desired/DesiredStateReader';
import { FleetMatrixBuilder } from './FleetMatrixBuilder';
import { kustomizationHealth } from './health/kustomizationHealth';
import { releaseHealth } from './health/releaseHealth';
import { workloadHealth } from './health/workloadHealth';
import { LiveIndex, liveTagOf } from './liveIndex';

/** The most accounts one matrix holds (the registry is filtered in SQL). */
const MAX_ACCOUNTS = 10_000;

/** What `GET /fleet` may be filtered by. */
export interface FleetQuery {
  environment?: string;
  region?: string;
  cluster?: string;
  uat?: boolean;
  /** Only these columns. */
  services?: string[];
  /** Only rows with a cell in one of these states. */
  states?: HealthState[];
  /** What the caller may see, from a conditional permission decision. */
  permissionFilter?: PermissionCriteria<AccountFilter>;
}

/** Options of {@link FleetService}. */
export interface FleetServiceOptions {
  store: AccountsStore;
  live: LiveStateCache;
  /** Absent when no config repository is configured. */
  desired?: DesiredStateReader;
  /** The configured services, in column order. */
  services: string[];
  /** Environments whose image tags Flux image automation moves. */
  imageAutomation: ReadonlySet<string>;
}

/**
 * Desired (config repository) against live (the clusters' cached objects)
 * for the whole fleet and for one account. Every answer comes from memory
 * and one registry query: no cluster is asked anything per request.
 */
export class FleetService {
  private readonly index: LiveIndex;
  /** Health per `<account>/<service>`, kept while its inputs stay the same. */
  private readonly cells = new Map<
    string,
    { key: string; health: ReleaseHealth }
  >();

  constructor(private readonly options: FleetServiceOptions) {
    this.index = new LiveIndex(options.live);
  }

  /** The matrix of accounts × services, filtered. */
  async matrix(query: FleetQuery = {}) {
    const [{ items }, desired] = await Promise.all([
      this.options.store.listAccounts({
        environment: query.environment,
        region: query.region,
        cluster: query.cluster,
        isUat: query.uat,
        permissionFilter: query.permissionFilter,
        limit: MAX_ACCOUNTS,
        offset: 0,
      }),
      this.desiredState(),
    ]);
    const services = query.services
      ? this.options.services.filter(s => query.services!.includes(s))
      : this.options.services;
    const builder = new FleetMatrixBuilder(services, query.states);
    for (const account of items) {
      const enabled = new Set(account.services.map(s => s.name));
      builder.addRow(
        account,
        services.map(service =>
          enabled.has(service)
            ? this.health(account, service, desired)
            : undefined,
        ),
      );
    }
    return builder.build({
      version: [
        this.index.version,
        desired?.commit.slice(0, 12) ?? '',
        items.length,
        items.reduce((v, a) => (a.updatedAt > v ? a.updatedAt : v), ''),
      ].join('.'),
      desiredRevision: desired?.commit || undefined,
      clusters: this.options.live.statuses(),
    });
  }

  /** Everything known of one account's releases, Kustomization and workloads. */
  async accountStatus(account: Account): Promise<AccountStatus> {
    const desired = await this.desiredState();
    const { status, namespaces } = this.index.cluster(account.cluster);
    const kustomization = this.kustomization(account);
    const workloads = (namespaces.get(account.name) ?? []).map(workloadHealth);
    return {
      account: account.name,
      cluster: status,
      ...(desired?.commit && { desiredRevision: desired.commit }),
      ...(kustomization && { kustomization }),
      releases: account.services.map(s =>
        this.health(account, s.name, desired),
      ),
      workloads,
    };
  }

  private async desiredState(): Promise<DesiredState | undefined> {
    return this.options.desired?.read();
  }

  private kustomization(account: Account) {
    const { status } = this.index.cluster(account.cluster);
    return kustomizationHealth(
      this.options.live.get(
        account.cluster,
        'Kustomization',
        account.name,
        account.name,
      ),
      status,
    );
  }

  /**
   * The release's health, computed again only when the cache, the desired
   * commit or the account changed.
   */
  private health(
    account: Account,
    service: string,
    desired: DesiredState | undefined,
  ): ReleaseHealth {
    const id = `${account.name}/${service}`;
    const key = `${this.index.version}|${desired?.commit}|${account.version}`;
    const cached = this.cells.get(id);
    if (cached?.key === key) return cached.health;

    const { cluster } = account;
    const index = this.index.cluster(cluster);
    const imagePolicy = this.options.imageAutomation.has(account.environment)
      ? this.options.live.get(
          cluster,
          'ImagePolicy',
          'flux-system',
          `${service}-${account.environment}`,
        )
      : undefined;
    let health = releaseHealth({
      service,
      namespace: account.name,
      release: this.options.live.get(
        cluster,
        'HelmRelease',
        account.name,
        service,
      ),
      desiredTag: desired?.tags.get(account.name)?.get(service),
      liveTag: liveTagOf(index.workloads.get(id)),
      imagePolicy,
      cluster: index.status,
    });
    // A commit Flux has not applied yet is on its way, not drift: the
    // release cannot run what its Kustomization has not applied.
    if (
      health.state === 'drifted' &&
      !health.conditions.some(c => c.type === 'Drifted' && c.status === 'True')
    ) {
      const kustomization = this.kustomization(account);
      if (kustomization?.state === 'progressing') {
        health = {
          ...health,
          state: 'progressing',
          message: `Waiting for Flux to apply the config repository's commit to ${account.name}: ${health.message}`,
        };
      }
    }
    this.cells.set(id, { key, health });
    return health;
  }
}
