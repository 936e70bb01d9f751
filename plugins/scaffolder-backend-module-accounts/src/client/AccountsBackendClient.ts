import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Account } from '@fleet-portal/plugin-accounts-common';

/**
 * Calls the accounts backend on behalf of a user (the one who started the
 * scaffolder task), so the same permission checks apply as in the UI.
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
    const response = await this.request(
      `/accounts/${encodeURIComponent(name)}`,
      onBehalfOf,
    );
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as Account;
  }

  private async request(path: string, onBehalfOf: BackstageCredentials) {
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'accounts',
    });
    const baseUrl = await this.options.discovery.getBaseUrl('accounts');
    return fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
  }
}
