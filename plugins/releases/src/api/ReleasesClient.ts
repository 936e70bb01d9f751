import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  CreateReleaseRequest,
  ServiceRelease,
  ServiceReleases,
} from '@fleet-portal/plugin-accounts-common';
import { ReleasesApi } from './ReleasesApi';

/**
 * The {@link ReleasesApi} over HTTP: the accounts backend's release routes,
 * through Backstage's discovery and fetch APIs (which add the user's token).
 *
 * @public
 */
export class ReleasesClient implements ReleasesApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async getServiceReleases(service: string): Promise<ServiceReleases> {
    return this.send('GET', this.releasesPath(service));
  }

  async createRelease(
    service: string,
    request: CreateReleaseRequest,
  ): Promise<ServiceRelease> {
    // Only the fields the backend takes: it refuses unknown ones.
    const body: CreateReleaseRequest = { kind: request.kind };
    if (request.version !== undefined) body.version = request.version;
    return this.send('POST', this.releasesPath(service), body);
  }

  private releasesPath(service: string): string {
    return `/services/${encodeURIComponent(service)}/releases`;
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    // The release routes are part of the accounts backend.
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
