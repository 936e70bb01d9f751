import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AccountReadiness,
  Deployment,
  Account,
  AccountConfigCommitResult,
  AccountConfigFolder,
  AccountConfigPreview,
  AccountHistoryEntry,
  AccountList,
  AccountsCapabilities,
  ClusterInfo,
  CreateAccountRequest,
  AccountStatus,
  Environment,
  FleetMatrix,
  FluxActionResult,
  HealthState,
  UpdateAccountRequest,
} from '@fleet-portal/plugin-accounts-common';

/**
 * Filters and page of {@link AccountsApi.listAccounts}.
 *
 * @public
 */
export interface ListAccountsRequest {
  environment?: string;
  region?: string;
  cluster?: string;
  active?: boolean;
  uat?: boolean;
  /** Matches name and display name. */
  q?: string;
  limit?: number;
  offset?: number;
}

/**
 * Filters of {@link AccountsApi.getFleet}; each is optional. Several
 * services or states match any of them.
 *
 * @public
 */
export interface FleetRequest {
  environment?: string;
  region?: string;
  cluster?: string;
  uat?: boolean;
  service?: string[];
  state?: HealthState[];
}

/**
 * A Flux action on one of an account's objects: its HelmRelease of a service,
 * or its Kustomization. `options` (`flux reconcile --force` / `--reset`)
 * apply to reconciling a HelmRelease.
 *
 * @public
 */
export interface FluxActionRequest {
  account: string;
  target: { kind: 'HelmRelease'; release: string } | { kind: 'Kustomization' };
  action: 'reconcile' | 'suspend' | 'resume';
  options?: { force?: boolean; reset?: boolean };
}

/**
 * The accounts backend, as the frontend sees it.
 *
 * @public
 */
export interface AccountsApi {
  listAccounts(request?: ListAccountsRequest): Promise<AccountList>;
  listEnvironments(): Promise<Environment[]>;
  /** The configured clusters, with their environment and region. */
  listClusters(): Promise<ClusterInfo[]>;
  /** The services that can be enabled in accounts, by name. */
  listServices(): Promise<Array<{ name: string }>>;
  getAccount(name: string): Promise<Account>;
  getHistory(name: string): Promise<AccountHistoryEntry[]>;
  /** The account's recorded deployments, newest first. */
  listDeployments(name: string): Promise<Deployment[]>;
  /**
   * Whether Flux has applied the account and its HelmReleases are Ready;
   * 404 when no cluster is configured.
   */
  getReadiness(name: string): Promise<AccountReadiness>;
  /**
   * Creates an account. Fails with a `ResponseError`: 400 naming the field
   * (`Invalid <field>: ...`), 403 when not allowed, 409 when the name exists.
   */
  createAccount(request: CreateAccountRequest): Promise<Account>;
  /**
   * Changes an account, given the `version` read. Fails with a
   * `ResponseError`: 400 naming the field, 403, 404, and 409 when the account
   * changed since that version (then nothing changed).
   */
  updateAccount(name: string, request: UpdateAccountRequest): Promise<Account>;
  /** What the caller may do in the registry overall. */
  getCapabilities(): Promise<AccountsCapabilities>;
  /**
   * The account's folder in the config repository as committed. Fails with a
   * `ResponseError`: 404 when the account does not exist or when no config
   * repository is configured (`No config repository is configured ...`).
   */
  getAccountConfig(name: string): Promise<AccountConfigFolder>;
  /**
   * What committing the account's folder would change, as a unified diff.
   * Fails with a `ResponseError`: 400 when the account cannot be rendered
   * (the message says why), 404 as {@link AccountsApi.getAccountConfig}.
   */
  previewAccountConfig(name: string): Promise<AccountConfigPreview>;
  /**
   * Renders the account and commits its folder (`unchanged` when it already
   * was). Fails with a `ResponseError`: 400 naming the field
   * (`Invalid reason: ...`) or why the account cannot be rendered, 403 when
   * not allowed, 404 as {@link AccountsApi.getAccountConfig}, and 409 when
   * the branch kept moving (nothing was committed; try again). `reason` goes
   * into the commit message: one line of 1–200 characters.
   */
  commitAccountConfig(
    name: string,
    request: { reason?: string },
  ): Promise<AccountConfigCommitResult>;
  /** The fleet matrix (accounts × services), filtered by the backend. */
  getFleet(request?: FleetRequest): Promise<FleetMatrix>;
  /**
   * The account's Kustomization, HelmReleases and workloads as Flux and the
   * cluster report them (the last known when the cluster cannot be read).
   */
  getAccountStatus(name: string): Promise<AccountStatus>;
  /**
   * Reconciles, suspends or resumes a HelmRelease or the Kustomization of an
   * account. Fails with a `ResponseError`: 403 when not allowed, 404, and
   * 409 when reconciling a suspended object.
   */
  fluxAction(request: FluxActionRequest): Promise<FluxActionResult>;
}

/** @public */
export const accountsApiRef = createApiRef<AccountsApi>({
  id: 'plugin.accounts.api',
});
