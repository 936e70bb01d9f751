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
 * What an account is, without the registry's bookkeeping (who changed it
 * when, its version): what its Flux folder and accounts.json are built from.
 *
 * @public
 */
export type AccountSettings = Omit<
  Account,
  'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version'
>;

/**
 * One page of accounts, as returned by `GET /api/accounts/accounts`.
 *
 * @public
 */
export interface AccountList {
  items: Account[];
  totalCount: number;
}

/**
 * The fields a caller chooses when creating an account.
 *
 * @public
 */
export type CreateAccountRequest = Pick<
  Account,
  'name' | 'displayName' | 'environment' | 'region' | 'gcpProject' | 'cluster'
> &
  Partial<Pick<Account, 'active' | 'isUat' | 'owner' | 'labels' | 'services'>>;

/**
 * A partial change of an account, carrying the `version` the caller read.
 *
 * @public
 */
export type UpdateAccountRequest = Partial<Omit<AccountSettings, 'name'>> & {
  version: number;
};

/**
 * One change of an account, as kept in its history.
 *
 * @public
 */
export interface AccountHistoryEntry {
  account: string;
  /** The account's version after this change. */
  version: number;
  action: 'create' | 'update';
  changedAt: string;
  changedBy: string;
  /** Per changed field, its value before (absent on create) and after. */
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

/**
 * An environment accounts are deployed to, with its regions and clusters.
 *
 * @public
 */
export interface Environment {
  name: string;
  regions: string[];
  clusters: Array<{ name: string; region?: string }>;
}
