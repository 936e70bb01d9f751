import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  CreateReleaseRequest,
  ServiceRelease,
  ServiceReleases,
} from '@fleet-portal/plugin-accounts-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ReleasesClient, releasesApiRef } from '../api';

/** Where the tests' accounts backend answers. */
export const accountsBaseUrl = 'http://localhost:7007/api/accounts';

/** The head of the tests' service branch: what a new release tags. */
export const testHead = 'c0ffee1234567890abcdef1234567890abcdef12';

/** A service component of the catalog, with the given annotations. */
export function testService(
  annotations: Record<string, string> = {
    'github.com/project-slug': 'acme-saas/backend',
    'fleet-portal.io/helm-release': 'backend',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'backend', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'platform' },
  };
}

function release(
  tag: string,
  sha: string,
  createdAt: string,
  notes?: string,
): ServiceRelease {
  return {
    tag,
    version: tag.slice(1),
    candidate: tag.includes('-rc.'),
    sha,
    createdAt,
    ...(notes && { notes }),
    url: `https://github.com/acme-saas/backend/releases/tag/${tag}`,
  };
}

/**
 * What the backend answers for a GitHub service with a pending release
 * candidate of 2.0.0 and a breaking change, a feature and two fixes since
 * v1.4.2, with the given fields changed.
 */
export function testServiceReleases(
  changes: Partial<ServiceReleases> = {},
): ServiceReleases {
  const rc1 = release(
    'v2.0.0-rc.1',
    'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00',
    '2026-11-20T14:00:00.000Z',
  );
  const latest = release(
    'v1.4.2',
    '1234abcd5678ef901234abcd5678ef901234abcd',
    '2026-11-12T09:30:00.000Z',
    'Changes since v1.4.1.\n\n## Fixes and other changes\n\n- **billing:** round invoice totals per line (9f8e7d6)',
  );
  return {
    service: 'backend',
    repository: {
      kind: 'github',
      name: 'acme-saas/backend',
      url: 'https://github.com/acme-saas/backend',
    },
    branch: 'main',
    head: testHead,
    releases: [
      rc1,
      latest,
      release(
        'v1.4.1',
        '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
        '2026-11-05T16:45:00.000Z',
      ),
    ],
    next: {
      latest,
      version: '2.0.0',
      bump: 'major',
      candidateTag: 'v2.0.0-rc.2',
      candidates: [rc1],
      commits: {
        major: [
          {
            sha: 'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00',
            type: 'feat',
            scope: 'api',
            subject: 'drop the v1 accounts endpoints',
            breaking: true,
            bump: 'major',
            author: 'Alice Example',
            committedAt: '2026-11-20T13:00:00.000Z',
          },
        ],
        minor: [
          {
            sha: 'bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11',
            type: 'feat',
            scope: 'billing',
            subject: 'export invoices as CSV',
            breaking: false,
            bump: 'minor',
            author: 'Bob Example',
          },
        ],
        patch: [
          {
            sha: testHead,
            type: 'fix',
            subject: 'retry webhooks on 502',
            breaking: false,
            bump: 'patch',
            author: 'Carol Example',
          },
          {
            sha: 'dd44ee55ff66aa77bb88cc99dd00ee11ff22aa33',
            type: 'chore',
            scope: 'deps',
            subject: 'bump express to 4.22.1',
            breaking: false,
            bump: 'patch',
          },
        ],
      },
    },
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

/** What a release request made of the stand-in backend's state. */
function applyRelease(
  state: ServiceReleases,
  request: CreateReleaseRequest,
): { state: ServiceReleases; created: ServiceRelease } {
  const { next } = state;
  const tag = request.kind === 'rc' ? next.candidateTag! : `v${next.version!}`;
  const created: ServiceRelease = {
    tag,
    version: tag.slice(1),
    candidate: request.kind === 'rc',
    sha: state.head,
    createdAt: '2026-11-23T12:00:00.000Z',
    url: `https://github.com/acme-saas/backend/releases/tag/${tag}`,
  };
  const releases = [created, ...state.releases];
  if (request.kind === 'rc') {
    const rc = Number(tag.split('-rc.')[1]);
    return {
      created,
      state: {
        ...state,
        releases,
        next: {
          ...next,
          candidateTag: `v${next.version}-rc.${rc + 1}`,
          candidates: [created, ...next.candidates],
        },
      },
    };
  }
  return {
    created,
    state: {
      ...state,
      releases,
      next: {
        latest: created,
        candidates: [],
        commits: { major: [], minor: [], patch: [] },
      },
    },
  };
}

/**
 * An HTTP stand-in for the accounts backend's release routes (msw, failing
 * on any request it has no handler for), and a renderer putting an element
 * in a test app with the real `ReleasesClient` talking to it, inside an
 * `EntityProvider`. Call at the top of a test file.
 */
export function setupReleasesBackend() {
  const server = setupServer();
  registerMswTestHooks(server);

  /**
   * Serves one service's releases. `GET` answers the current state (`state`
   * by default {@link testServiceReleases}); `POST` records its body and
   * answers `create(body)` when given, else creates the release the body asks
   * for the way the backend would (201), which later reads then include.
   */
  function serveReleases(
    options: {
      service?: string;
      state?: ServiceReleases;
      create?: (body: CreateReleaseRequest) => Response;
    } = {},
  ) {
    const service = options.service ?? 'backend';
    let state = options.state ?? testServiceReleases();
    const recorded = { reads: 0, posts: [] as CreateReleaseRequest[] };
    const url = `${accountsBaseUrl}/services/${service}/releases`;
    server.use(
      http.get(url, () => {
        recorded.reads++;
        return HttpResponse.json(state);
      }),
      http.post(url, async ({ request }) => {
        const body = (await request.json()) as CreateReleaseRequest;
        recorded.posts.push(body);
        if (options.create) return options.create(body);
        const result = applyRelease(state, body);
        state = result.state;
        return HttpResponse.json(result.created, { status: 201 });
      }),
    );
    return recorded;
  }

  /**
   * Renders in a test app with the entity (by default
   * {@link testService}). `permission` answers the permission API (allow
   * by default).
   */
  function render(
    element: JSX.Element,
    options: {
      entity?: Entity;
      permission?:
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY
        | ((
            request: EvaluatePermissionRequest,
          ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
    } = {},
  ) {
    const client = new ReleasesClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: mockApis.fetch(),
    });
    return renderInTestApp(
      <EntityProvider entity={options.entity ?? testService()}>
        {element}
      </EntityProvider>,
      {
        apis: [
          [releasesApiRef, client],
          mockApis.permission({
            authorize: options.permission ?? AuthorizeResult.ALLOW,
          }),
        ],
      },
    );
  }

  return { server, serveReleases, render };
}
