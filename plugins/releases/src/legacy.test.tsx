import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { Route, Routes } from 'react-router-dom';
import {
  accountsBaseUrl,
  testService,
  testServiceReleases,
} from './__testUtils__/releasesBackend';
import { ReleasesClient, releasesApiRef } from './api';
import { EntityReleasesContent, legacyReleasesPlugin } from '.';

const server = setupServer();
registerMswTestHooks(server);

describe('legacy exports', () => {
  it('provide the releases client factory', () => {
    const factories = [...legacyReleasesPlugin.getApis()];
    expect(factories.map(f => f.api.id)).toEqual(['plugin.releases.api']);
  });

  it('render the Releases tab in a legacy app', async () => {
    server.use(
      http.get(`${accountsBaseUrl}/services/backend/releases`, () =>
        HttpResponse.json(testServiceReleases()),
      ),
    );
    const client = new ReleasesClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [releasesApiRef, client],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
          ],
        ]}
      >
        <EntityProvider entity={testService()}>
          <Routes>
            <Route path="/releases" element={<EntityReleasesContent />} />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/releases'] },
    );

    expect(await screen.findByText('2.0.0 (major)')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Release v2.0.0' }),
    ).toBeInTheDocument();
  });
});
