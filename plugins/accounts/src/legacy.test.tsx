import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import {
  accountsBaseUrl as baseUrl,
  setupAccountsBackend,
  testAccount,
} from './__testUtils__/accountsBackend';
import { AccountsClient, accountsApiRef } from './api';
import { AccountsPage, FleetPage, legacyAccountsPlugin } from '.';
import { testFleetMatrix } from './__testUtils__/fleet';

const { server, serveCapabilities } = setupAccountsBackend();

describe('legacy exports', () => {
  it('provide the accounts client factory', () => {
    const factories = [...legacyAccountsPlugin.getApis()];
    expect(factories.map(f => f.api.id)).toEqual([accountsApiRef.id]);
  });

  it('render the Accounts pages in a legacy app', async () => {
    serveCapabilities({ createAccount: 'deny', export: false });
    server.use(
      http.get(`${baseUrl}/environments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${baseUrl}/accounts`, () =>
        HttpResponse.json({ items: [testAccount()], totalCount: 1 }),
      ),
    );
    const client = new AccountsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[accountsApiRef, client]]}>
        <Routes>
          <Route path="/accounts/*" element={<AccountsPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/accounts'] },
    );
    expect(await screen.findByText('Northwind Traders')).toBeInTheDocument();
  });

  it('render the Fleet page in a legacy app, linking to the Accounts pages', async () => {
    server.use(
      http.get(`${baseUrl}/environments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${baseUrl}/services`, () => HttpResponse.json({ items: [] })),
      http.get(`${baseUrl}/fleet`, () =>
        HttpResponse.json(
          testFleetMatrix({
            services: ['backend'],
            rows: [
              {
                account: 'northwind',
                cells: { backend: ['1.4.2', '1.4.2', 'healthy'] },
              },
            ],
          }),
        ),
      ),
    );
    const client = new AccountsClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[accountsApiRef, client]]}>
        <Routes>
          <Route path="/fleet" element={<FleetPage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/fleet'] },
    );
    expect(
      await screen.findByRole('link', { name: 'northwind' }),
    ).toHaveAttribute('href', '/accounts/northwind');
  });
});
