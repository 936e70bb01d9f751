/**
 * A service enabled in an account, with the account's Helm values overrides.
 *
 * @public
 */
export interface AccountService {
  /** Name of the service, e.g. `backend`. */
  name: string;
  /** Helm values merged over the environment's defaults for this account. */
  values?: Record<string, unknown>;
}

/**
 * One customer tenant: its global configuration as held in the registry.
 *
 * @public
 */
export interface Account {
  /** DNS-1123 label; becomes the namespace and a path segment. */
  name: string;
  displayName: string;
  environment: string;
  region: string;
  gcpProject: string;
  cluster: string;
  active: boolean;
  /** Receives release candidates. */
  isUat: boolean;
  /** Catalog group ref of the owning team, e.g. `group:default/platform`. */
  owner: string;
  labels: Record<string, string>;
  /** The services deployed into this account, with their values overrides. */
  services: AccountService[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Bumped on every change; used for optimistic concurrency. */
  version: number;
}

/**
 * One page of accounts, as returned by `GET /api/accounts/accounts`.
 *
 * @public
 */
export interface AccountList {
  items: Account[];
  totalCount: number;
}
