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
  AccountConfigCommitResult,
  AccountConfigFolder,
  AccountConfigPreview,
  AccountsCapabilities,
  ConfigCommitInfo,
  Environment,
} from '@fleet-portal/plugin-accounts-common';
import { RouteRef } from '@backstage/frontend-plugin-api';
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

/** A commit of the config repository, with the given fields changed. */
export function testConfigCommit(
  changes: Partial<ConfigCommitInfo> = {},
): ConfigCommitInfo {
  const sha = changes.sha ?? '3f2a9c1d0b7e4a5f6c8d9e0f1a2b3c4d5e6f7a8b';
  return {
    sha,
    message: 'northwind: render config\n\nRendered by Fleet Portal.',
    author: { name: 'Fleet Portal', email: 'fleet-portal@example.com' },
    committedAt: '2026-11-21T08:15:00.000Z',
    url: `https://github.com/acme/fleet-config/commit/${sha}`,
    ...changes,
  };
}

/** An account's folder in a GitHub config repository, with changes. */
export function testConfigFolder(
  changes: Partial<AccountConfigFolder> = {},
): AccountConfigFolder {
  const folder = changes.folder ?? 'k8s/flux/production/northwind';
  const head = testConfigCommit();
  return {
    folder,
    repository: {
      kind: 'github',
      name: 'acme/fleet-config',
      branch: 'main',
      url: 'https://github.com/acme/fleet-config',
    },
    head,
    lastCommit: head,
    files: ['helmrelease-backend.yaml', 'kustomization.yaml'].map(file => ({
      path: `${folder}/${file}`,
      url: `https://github.com/acme/fleet-config/blob/${head.sha}/${folder}/${file}`,
    })),
    ...changes,
  };
}

/**
 * An HTTP stand-in for the accounts backend (msw, failing on any request it
 * has no handler for), and a renderer that puts an element in a test app
 * with the real `AccountsClient` talking to it. Call at the top of a file.
 */
export function setupAccountsBackend() {
  const server = setupServer();
  registerMswTestHooks(server);
  // Unless a test serves it, an account's config folder is answered as by
  // a backend without a config repository (its default), so that pages
  // showing the config card need not care.
  beforeEach(() =>
    server.use(
      http.get(`${accountsBaseUrl}/accounts/:name/config`, () =>
        errorResponse(
          404,
          'No config repository is configured (accounts.gitops.repository in app-config)',
        ),
      ),
      // Likewise for the cluster side: no clusters, nothing deployed.
      http.get(`${accountsBaseUrl}/accounts/:name/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${accountsBaseUrl}/clusters`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${accountsBaseUrl}/accounts/:name/readiness`, () =>
        errorResponse(404, 'No clusters are configured'),
      ),
      http.get(`${accountsBaseUrl}/accounts/:name/status`, () =>
        errorResponse(404, 'No clusters are configured'),
      ),
    ),
  );

  /**
   * Renders in a test app. `permission` answers the permission API (allow
   * by default), e.g. `AuthorizeResult.DENY`.
   */
  function render(
    element: JSX.Element,
    options: {
      mountPath?: string;
      path?: string;
      /** Route refs to mount, for pages that link with `useRouteRef`. */
      mountedRoutes?: Record<string, RouteRef>;
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
      mountedRoutes: options.mountedRoutes,
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

  /**
   * A stand-in for one account's folder in the config repository. `GET
   * .../config` answers the folder as it is now; `POST .../preview` answers
   * `options.preview`; `POST .../config/commit` answers `options.commit(body)`
   * when given, else commits the preview's changes: the answer's commit
   * becomes the folder's head and last commit. Records the request bodies.
   */
  function serveAccountConfig(
    name: string,
    options: {
      folder?: AccountConfigFolder;
      preview?: AccountConfigPreview | (() => Response);
      commit?: (body: any) => Response | undefined;
    } = {},
  ) {
    let folder = options.folder ?? testConfigFolder();
    const recorded = {
      configReads: 0,
      previews: [] as any[],
      commits: [] as any[],
    };
    const url = `${accountsBaseUrl}/accounts/${name}`;
    server.use(
      http.get(`${url}/config`, () => {
        recorded.configReads++;
        return HttpResponse.json(folder);
      }),
      http.post(`${url}/preview`, async ({ request }) => {
        recorded.previews.push(await request.json());
        const { preview } = options;
        if (typeof preview === 'function') return preview();
        return preview
          ? HttpResponse.json(preview)
          : errorResponse(400, 'no preview in this test');
      }),
      http.post(`${url}/config/commit`, async ({ request }) => {
        const body = await request.json();
        recorded.commits.push(body);
        const answer = options.commit?.(body);
        if (answer) return answer;
        const commit = testConfigCommit({
          sha: '9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c',
          message: `${name}: render config`,
          committedAt: '2026-11-23T12:00:00.000Z',
        });
        folder = { ...folder, head: commit, lastCommit: commit };
        const { preview } = options;
        const result: AccountConfigCommitResult = {
          status: 'committed',
          commit,
          changes: typeof preview === 'object' ? preview.changes : [],
        };
        return HttpResponse.json(result);
      }),
    );
    return recorded;
  }

  return {
    server,
    render,
    serveEnvironments,
    serveCapabilities,
    serveAccountConfig,
  };
}
