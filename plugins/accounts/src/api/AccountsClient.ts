import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
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
  UpdateAccountRequest,
} from '@fleet-portal/plugin-accounts-common';
import {
  AccountsApi,
  FleetRequest,
  FluxActionRequest,
  ListAccountsRequest,
} from './AccountsApi';

/**
 * Talks to the accounts backend through Backstage's discovery and fetch APIs
 * (which add the user's token).
 *
 * @public
 */
export class AccountsClient implements AccountsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listAccounts(request: ListAccountsRequest = {}): Promise<AccountList> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    return this.get(`/accounts?${query}`);
  }

  async listEnvironments(): Promise<Environment[]> {
    const { items } = await this.get<{ items: Environment[] }>('/environments');
    return items;
  }

  async listClusters(): Promise<ClusterInfo[]> {
    const { items } = await this.get<{ items: ClusterInfo[] }>('/clusters');
    return items;
  }

  async listServices(): Promise<Array<{ name: string }>> {
    const { items } = await this.get<{ items: Array<{ name: string }> }>(
      '/services',
    );
    return items;
  }

  async listDeployments(name: string): Promise<Deployment[]> {
    const { items } = await this.get<{ items: Deployment[] }>(
      `/accounts/${encodeURIComponent(name)}/deployments`,
    );
    return items;
  }

  async getReadiness(name: string): Promise<AccountReadiness> {
    return this.get<AccountReadiness>(
      `/accounts/${encodeURIComponent(name)}/readiness`,
    );
  }

  async getAccount(name: string): Promise<Account> {
    return this.get(`/accounts/${encodeURIComponent(name)}`);
  }

  async getHistory(name: string): Promise<AccountHistoryEntry[]> {
    const { items } = await this.get<{ items: AccountHistoryEntry[] }>(
      `/accounts/${encodeURIComponent(name)}/history`,
    );
    return items;
  }

  async createAccount(request: CreateAccountRequest): Promise<Account> {
    return this.send('POST', '/accounts', request);
  }

  async updateAccount(
    name: string,
    request: UpdateAccountRequest,
  ): Promise<Account> {
    return this.send('PATCH', `/accounts/${encodeURIComponent(name)}`, request);
  }

  async getCapabilities(): Promise<AccountsCapabilities> {
    return this.get('/capabilities');
  }

  async getAccountConfig(name: string): Promise<AccountConfigFolder> {
    return this.get(`/accounts/${encodeURIComponent(name)}/config`);
  }

  async previewAccountConfig(name: string): Promise<AccountConfigPreview> {
    return this.send(
      'POST',
      `/accounts/${encodeURIComponent(name)}/preview`,
      {},
    );
  }

  async commitAccountConfig(
    name: string,
    request: { reason?: string },
  ): Promise<AccountConfigCommitResult> {
    return this.send(
      'POST',
      `/accounts/${encodeURIComponent(name)}/config/commit`,
      request,
    );
  }

  async getFleet(request: FleetRequest = {}): Promise<FleetMatrix> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== '') query.append(key, String(item));
      }
    }
    const search = query.toString();
    return this.get(search ? `/fleet?${search}` : '/fleet');
  }

  async getAccountStatus(name: string): Promise<AccountStatus> {
    return this.get(`/accounts/${encodeURIComponent(name)}/status`);
  }

  async fluxAction(request: FluxActionRequest): Promise<FluxActionResult> {
    const { account, target, action, options } = request;
    const object =
      target.kind === 'HelmRelease'
        ? `helmreleases/${encodeURIComponent(target.release)}`
        : 'kustomization';
    return this.send(
      'POST',
      `/accounts/${encodeURIComponent(account)}/${object}/${action}`,
      options ?? {},
    );
  }

  private async get<T>(path: string): Promise<T> {
    return this.send('GET', path);
  }

  private async send<T>(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('accounts');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
