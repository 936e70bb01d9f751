import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  Account,
  AccountConfigCommitResult,
  AccountConfigPreview,
  AccountReadiness,
  AccountSettings,
  CreateAccountRequest,
  DeployAccountRequest,
  Operation,
  ProvisionResult,
} from '@fleet-portal/plugin-accounts-common';
import { AccountsBackendError } from './AccountsBackendError';

/**
 * What `POST /export` answers: where accounts.json went, when it was
 * generated and how many accounts it holds. A dry run has no `generatedAt`.
 */
export interface AccountsExportResult {
  dryRun?: boolean;
  target: string;
  generatedAt?: string;
  accounts: number;
}

/**
 * What `POST /accounts/{name}/deploy?dryRun=true` answers: the commit the
 * deploy would make and what provisioning would apply. Nothing is written.
 */
export interface DeployDryRunResult {
  dryRun: true;
  preview: AccountConfigPreview;
  provision: ProvisionResult;
}

/**
 * Calls the accounts backend on behalf of a user (the one who started the
 * scaffolder task), so the same permission checks apply as in the UI.
 * Failures other than documented `undefined`s are
 * {@link AccountsBackendError}s carrying the backend's message.
 */
export class AccountsBackendClient {
  constructor(
    private readonly options: {
      auth: AuthService;
      discovery: DiscoveryService;
    },
  ) {}

  /** Reads an account; `undefined` when it does not exist. */
  async getAccount(
    name: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<Account | undefined> {
    const response = await this.request(onBehalfOf, 'GET', accountPath(name));
    if (response.status === 404) {
      return undefined;
    }
    return this.parse(response);
  }

  /**
   * Creates an account. A taken name fails with an `AccountsBackendError`
   * of status 409.
   */
  async createAccount(
    request: CreateAccountRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<Account> {
    return this.send(onBehalfOf, 'POST', '/accounts', request);
  }

  /**
   * Validates and permission-checks a create, writing nothing; answers the
   * account's settings as they would be stored. Fails like
   * {@link AccountsBackendClient.createAccount}.
   */
  async validateAccount(
    request: CreateAccountRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<AccountSettings> {
    const result = await this.send<{ account: AccountSettings }>(
      onBehalfOf,
      'POST',
      '/accounts?dryRun=true',
      request,
    );
    return result.account;
  }

  /** What committing the account's folder would change; writes nothing. */
  async previewConfig(
    name: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<AccountConfigPreview> {
    return this.send(onBehalfOf, 'POST', `${accountPath(name)}/preview`, {});
  }

  /** Renders the account and commits its folder (`unchanged` if it was). */
  async commitConfig(
    name: string,
    request: { reason?: string },
    onBehalfOf: BackstageCredentials,
  ): Promise<AccountConfigCommitResult> {
    return this.send(
      onBehalfOf,
      'POST',
      `${accountPath(name)}/config/commit`,
      request,
    );
  }

  /** Exports accounts.json now; with `dryRun`, only checks the permission. */
  async exportAccounts(
    onBehalfOf: BackstageCredentials,
    options: { dryRun?: boolean } = {},
  ): Promise<AccountsExportResult> {
    return this.send(onBehalfOf, 'POST', withDryRun('/export', options), {});
  }

  /**
   * Applies the account's cluster side (namespace, secrets, Flux
   * Kustomization); with `dryRun`, through the API server's dry run.
   */
  async provision(
    name: string,
    onBehalfOf: BackstageCredentials,
    options: { dryRun?: boolean } = {},
  ): Promise<ProvisionResult> {
    return this.send(
      onBehalfOf,
      'POST',
      withDryRun(`${accountPath(name)}/provision`, options),
      {},
    );
  }

  /** Whether Flux applied the account (at `revision`, when given). */
  async getReadiness(
    name: string,
    onBehalfOf: BackstageCredentials,
    options: { revision?: string } = {},
  ): Promise<AccountReadiness> {
    const query = options.revision
      ? `?${new URLSearchParams({ revision: options.revision })}`
      : '';
    return this.send(
      onBehalfOf,
      'GET',
      `${accountPath(name)}/readiness${query}`,
    );
  }

  /** Starts a deploy; the backend runs it as an operation. */
  async startDeploy(
    name: string,
    request: DeployAccountRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<Operation> {
    return this.send(
      onBehalfOf,
      'POST',
      `${accountPath(name)}/deploy`,
      request,
    );
  }

  /** What a deploy would commit and apply; writes nothing. */
  async previewDeploy(
    name: string,
    request: DeployAccountRequest,
    onBehalfOf: BackstageCredentials,
  ): Promise<DeployDryRunResult> {
    return this.send(
      onBehalfOf,
      'POST',
      `${accountPath(name)}/deploy?dryRun=true`,
      request,
    );
  }

  /** Reads an operation (a deploy) with its steps. */
  async getOperation(
    id: string,
    onBehalfOf: BackstageCredentials,
  ): Promise<Operation> {
    return this.send(
      onBehalfOf,
      'GET',
      `/operations/${encodeURIComponent(id)}`,
    );
  }

  private async send<T>(
    onBehalfOf: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    return this.parse(await this.request(onBehalfOf, method, path, body));
  }

  private async parse<T>(response: Response): Promise<T> {
    if (!response.ok) {
      throw await AccountsBackendError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private async request(
    onBehalfOf: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Response> {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'accounts',
    });
    const baseUrl = await this.options.discovery.getBaseUrl('accounts');
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

function accountPath(name: string): string {
  return `/accounts/${encodeURIComponent(name)}`;
}

function withDryRun(path: string, options: { dryRun?: boolean }): string {
  return options.dryRun ? `${path}?dryRun=true` : path;
}
