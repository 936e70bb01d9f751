import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  Account,
  AccountsCapabilities,
  Environment,
} from '@fleet-portal/plugin-accounts-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AccountsClient, accountsApiRef } from '../api';

/** Where the tests' accounts backend answers. */
export const accountsBaseUrl = 'http://localhost:7007/api/accounts';

/** The environments of the embedded app-config. */
export const testEnvironments: Environment[] = [
  {
    name: 'staging',
    regions: ['europe-west4'],
    clusters: [{ name: 'staging-eu', region: 'europe-west4' }],
  },
  {
    name: 'production',
    regions: ['europe-west4', 'us-central1'],
    clusters: [
      { name: 'production-eu', region: 'europe-west4' },
      { name: 'production-us', region: 'us-central1' },
    ],
  },
];

/** An account as the backend returns it, with the given fields changed. */
export function testAccount(changes: Partial<Account> = {}): Account {
  return {
    name: 'northwind',
    displayName: 'Northwind Traders',
    environment: 'production',
    region: 'europe-west4',
    gcpProject: 'acme-production-europe',
    cluster: 'production-eu',
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: {},
    services: [],
    createdAt: '2026-11-20T09:00:00.000Z',
    createdBy: 'user:default/alice',
    updatedAt: '2026-11-22T10:30:00.000Z',
    updatedBy: 'user:default/bob',
    version: 2,
    ...changes,
  };
}

const errorNames: Record<number, string> = {
  400: 'InputError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  409: 'ConflictError',
};

/** An error as Backstage backends answer it (`ResponseError` parses it). */
export function errorResponse(status: number, message: string) {
  return HttpResponse.json(
    {
      error: { name: errorNames[status] ?? 'Error', message },
      request: { method: 'GET', url: '/' },
      response: { statusCode: status },
    },
    { status },
  );
}

/**
 * An HTTP stand-in for the accounts backend (msw, failing on any request it
 * has no handler for), and a renderer that puts an element in a test app
 * with the real `AccountsClient` talking to it. Call at the top of a file.
 */
export function setupAccountsBackend() {
  const server = setupServer();
  registerMswTestHooks(server);

  /**
   * Renders in a test app. `permission` answers the permission API (allow
   * by default), e.g. `AuthorizeResult.DENY`.
   */
  function render(
    element: JSX.Element,
    options: {
      mountPath?: string;
      path?: string;
      permission?:
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY
        | ((
            request: EvaluatePermissionRequest,
          ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
    } = {},
  ) {
    const client = new AccountsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: mockApis.fetch(),
    });
    return renderInTestApp(element, {
      apis: [
        [accountsApiRef, client],
        mockApis.permission({
          authorize: options.permission ?? AuthorizeResult.ALLOW,
        }),
      ],
      mountPath: options.mountPath,
      initialRouteEntries: options.path ? [options.path] : undefined,
    });
  }

  /** Answers `GET /environments` with {@link testEnvironments}. */
  function serveEnvironments() {
    server.use(
      http.get(`${accountsBaseUrl}/environments`, () =>
        HttpResponse.json({ items: testEnvironments }),
      ),
    );
  }

  /** Answers `GET /capabilities`. */
  function serveCapabilities(capabilities: AccountsCapabilities) {
    server.use(
      http.get(`${accountsBaseUrl}/capabilities`, () =>
        HttpResponse.json(capabilities),
      ),
    );
  }

  return { server, render, serveEnvironments, serveCapabilities };
}
