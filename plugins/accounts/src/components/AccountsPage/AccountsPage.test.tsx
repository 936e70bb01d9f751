import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { Account } from '@fleet-portal/plugin-accounts-common';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AccountsClient, accountsApiRef } from '../../api';
import { AccountsPage } from './AccountsPage';

const baseUrl = 'http://localhost:7007/api/accounts';
const server = setupServer();
registerMswTestHooks(server);

const acme: Account = {
  name: 'acme',
  displayName: 'Acme Corp',
  environment: 'production',
  region: 'europe-west4',
  gcpProject: 'acme-prod',
  cluster: 'production-eu',
  active: true,
  isUat: true,
  owner: 'group:default/platform',
  labels: {},
  services: [],
  createdAt: '2026-11-22T10:00:00.000Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-11-22T10:00:00.000Z',
  updatedBy: 'user:default/alice',
  version: 1,
};

/** The page with the real client, talking HTTP to the handlers above. */
function renderPage() {
  const client = new AccountsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: mockApis.fetch(),
  });
  return renderInTestApp(<AccountsPage />, {
    apis: [[accountsApiRef, client]],
  });
}

describe('AccountsPage', () => {
  it('lists the accounts the backend returns', async () => {
    let requested: URL | undefined;
    server.use(
      http.get(`${baseUrl}/accounts`, ({ request }) => {
        requested = new URL(request.url);
        return HttpResponse.json({ items: [acme], totalCount: 1 });
      }),
    );
    await renderPage();
    const row = (await screen.findByText('Acme Corp')).closest('tr')!;
    expect(within(row).getByText('acme')).toBeInTheDocument();
    expect(within(row).getByText('production-eu')).toBeInTheDocument();
    expect(within(row).getByText('UAT')).toBeInTheDocument();
    expect(within(row).getByText('active')).toBeInTheDocument();
    expect(screen.getByText('Accounts (1)')).toBeInTheDocument();
    expect(requested?.searchParams.get('limit')).toBe('500');
  });

  it('says so when the registry is empty', async () => {
    server.use(
      http.get(`${baseUrl}/accounts`, () =>
        HttpResponse.json({ items: [], totalCount: 0 }),
      ),
    );
    await renderPage();
    expect(await screen.findByText('No accounts yet')).toBeInTheDocument();
  });

  it('shows the error the backend answers with', async () => {
    server.use(
      http.get(`${baseUrl}/accounts`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: accounts.account.read',
            },
            request: { method: 'GET', url: '/accounts' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderPage();
    expect(
      await screen.findByText(/Not allowed: accounts.account.read/),
    ).toBeInTheDocument();
  });
});
