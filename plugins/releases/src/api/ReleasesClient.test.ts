import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  accountsBaseUrl,
  errorResponse,
  testServiceReleases,
} from '../__testUtils__/releasesBackend';
import { serverError } from '../errors';
import { ReleasesClient } from './ReleasesClient';

const server = setupServer();
registerMswTestHooks(server);

function client() {
  return new ReleasesClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
}

describe('ReleasesClient', () => {
  it("reads a service's releases from the accounts backend", async () => {
    const answer = testServiceReleases();
    server.use(
      http.get(`${accountsBaseUrl}/services/backend/releases`, () =>
        HttpResponse.json(answer),
      ),
    );

    await expect(client().getServiceReleases('backend')).resolves.toEqual(
      answer,
    );
  });

  it('creates a release with the kind, and the version only when given', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(
        `${accountsBaseUrl}/services/backend/releases`,
        async ({ request }) => {
          bodies.push(await request.json());
          expect(request.headers.get('content-type')).toBe('application/json');
          return HttpResponse.json(
            {
              tag: 'v2.0.0-rc.2',
              version: '2.0.0-rc.2',
              candidate: true,
              sha: 'c0ffee1234567890abcdef1234567890abcdef12',
            },
            { status: 201 },
          );
        },
      ),
    );

    const created = await client().createRelease('backend', { kind: 'rc' });
    await client().createRelease('backend', {
      kind: 'final',
      version: '2.0.0',
    });

    expect(created.tag).toBe('v2.0.0-rc.2');
    expect(bodies).toEqual([
      { kind: 'rc' },
      { kind: 'final', version: '2.0.0' },
    ]);
  });

  it("fails with the server's message and status", async () => {
    server.use(
      http.post(`${accountsBaseUrl}/services/backend/releases`, () =>
        errorResponse(409, 'Nothing to release: no commits since v2.0.0'),
      ),
    );

    const error = await client()
      .createRelease('backend', { kind: 'final' })
      .catch(e => e);

    expect(error.name).toBe('ResponseError');
    expect(serverError(error)).toEqual({
      status: 409,
      message: 'Nothing to release: no commits since v2.0.0',
    });
  });

  it('encodes the service name into the path', async () => {
    const paths: string[] = [];
    server.use(
      http.get(
        `${accountsBaseUrl}/services/:service/releases`,
        ({ request }) => {
          paths.push(new URL(request.url).pathname);
          return errorResponse(404, "No service 'a/b' is configured");
        },
      ),
    );

    const error = await client()
      .getServiceReleases('a/b')
      .catch(e => e);

    expect(serverError(error)).toEqual({
      status: 404,
      message: "No service 'a/b' is configured",
    });
    expect(paths).toEqual(['/api/accounts/services/a%2Fb/releases']);
  });
});
