import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  CreateReleaseRequest,
  ServiceRelease,
  ServiceReleases,
} from '@fleet-portal/plugin-accounts-common';

/**
 * A service's releases as the accounts backend serves them.
 *
 * @public
 */
export interface ReleasesApi {
  /**
   * The service's releases (highest first), its branch and head, and the
   * next version with the commits behind it. Fails with a `ResponseError`:
   * 404 when the service is unknown or has no release source configured
   * (`accounts.releases` in app-config).
   */
  getServiceReleases(service: string): Promise<ServiceReleases>;

  /**
   * Tags the head of the service's branch as its next release candidate
   * (`kind: 'rc'`) or release (`kind: 'final'`), or as `version` when given.
   * Fails with a `ResponseError` carrying the server's message: 400 for a
   * version that may not be made, 403 without `accounts.service.release`,
   * 404 as {@link ReleasesApi.getServiceReleases}, 409 when the tag exists
   * already or nothing was committed since the latest release.
   */
  createRelease(
    service: string,
    request: CreateReleaseRequest,
  ): Promise<ServiceRelease>;
}

/**
 * The {@link ReleasesApi}.
 *
 * @public
 */
export const releasesApiRef = createApiRef<ReleasesApi>({
  id: 'plugin.releases.api',
});
