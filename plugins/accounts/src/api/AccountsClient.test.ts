import { ResponseError } from '@backstage/errors';
import { mockApis } from '@backstage/frontend-test-utils';
import { FluxActionResult } from '@fleet-portal/plugin-accounts-common';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
} from '../__testUtils__/accountsBackend';
import { testAccountStatus, testFleetMatrix } from '../__testUtils__/fleet';
import { AccountsClient } from './AccountsClient';

const { server } = setupAccountsBackend();

const client = new AccountsClient({
  discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
  fetchApi: mockApis.fetch(),
});

const matrix = testFleetMatrix({
  services: ['backend'],
  rows: [
    { account: 'northwind', cells: { backend: ['1.0', '1.0', 'healthy'] } },
  ],
});

/** Serves `GET /fleet`; records the URL of every request. */
function serveFleet() {
  const urls: URL[] = [];
  server.use(
    http.get(`${baseUrl}/fleet`, ({ request }) => {
      urls.push(new URL(request.url));
      return HttpResponse.json(matrix);
    }),
  );
  return urls;
}

/** Serves every Flux action; records method, path and body. */
function serveFluxActions(answer?: () => Response) {
  const calls: Array<{ path: string; body: unknown }> = [];
  const handler = async ({ request }: { request: Request }) => {
    const path = new URL(request.url).pathname.replace('/api/accounts', '');
    calls.push({ path, body: await request.json() });
    if (answer) return answer();
    const result: FluxActionResult = {
      account: 'north wind',
      kind: 'HelmRelease',
      namespace: 'northwind',
      name: 'backend',
      action: 'reconcile',
      handled: true,
      suspended: false,
      message: 'Reconciliation finished',
    };
    return HttpResponse.json(result);
  };
  server.use(
    http.post(
      `${baseUrl}/accounts/:name/helmreleases/:release/:action`,
      handler,
    ),
    http.post(`${baseUrl}/accounts/:name/kustomization/:action`, handler),
  );
  return calls;
}

describe('AccountsClient', () => {
  it('asks for the whole fleet without a query when no filter is set', async () => {
    const urls = serveFleet();
    await expect(client.getFleet()).resolves.toEqual(matrix);
    await client.getFleet({ environment: '', service: [], state: [] });
    expect(urls.map(u => u.search)).toEqual(['', '']);
  });

  it('sends fleet filters as query parameters, repeating services and states', async () => {
    const urls = serveFleet();
    await client.getFleet({
      environment: 'production',
      region: 'europe-west4',
      cluster: 'production-eu',
      uat: false,
      service: ['backend', 'engine'],
      state: ['failed', 'drifted'],
    });
    const query = urls[0].searchParams;
    expect(query.get('environment')).toBe('production');
    expect(query.get('region')).toBe('europe-west4');
    expect(query.get('cluster')).toBe('production-eu');
    expect(query.get('uat')).toBe('false');
    expect(query.getAll('service')).toEqual(['backend', 'engine']);
    expect(query.getAll('state')).toEqual(['failed', 'drifted']);
  });

  it("reads an account's status by its encoded name", async () => {
    const status = testAccountStatus({ account: 'north wind' });
    const paths: string[] = [];
    server.use(
      http.get(`${baseUrl}/accounts/:name/status`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(status);
      }),
    );
    await expect(client.getAccountStatus('north wind')).resolves.toEqual(
      status,
    );
    expect(paths).toEqual(['/api/accounts/accounts/north%20wind/status']);
  });

  it('posts HelmRelease actions with their options', async () => {
    const calls = serveFluxActions();
    const result = await client.fluxAction({
      account: 'north wind',
      target: { kind: 'HelmRelease', release: 'backend' },
      action: 'reconcile',
      options: { force: true },
    });
    expect(result.handled).toBe(true);
    await client.fluxAction({
      account: 'northwind',
      target: { kind: 'HelmRelease', release: 'engine' },
      action: 'suspend',
    });
    expect(calls).toEqual([
      {
        path: '/accounts/north%20wind/helmreleases/backend/reconcile',
        body: { force: true },
      },
      { path: '/accounts/northwind/helmreleases/engine/suspend', body: {} },
    ]);
  });

  it('posts Kustomization actions', async () => {
    const calls = serveFluxActions();
    await client.fluxAction({
      account: 'northwind',
      target: { kind: 'Kustomization' },
      action: 'resume',
    });
    expect(calls).toEqual([
      { path: '/accounts/northwind/kustomization/resume', body: {} },
    ]);
  });

  it("fails with the backend's status and message", async () => {
    serveFluxActions(() =>
      errorResponse(409, 'HelmRelease northwind/backend is suspended'),
    );
    const error = await client
      .fluxAction({
        account: 'northwind',
        target: { kind: 'HelmRelease', release: 'backend' },
        action: 'reconcile',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'HelmRelease northwind/backend is suspended',
    );
  });
});
