import { Account } from '@fleet-portal/plugin-accounts-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  setupAccountsBackend,
} from '../../__testUtils__/accountsBackend';
import { AccountPage } from './AccountPage';

const { server, render } = setupAccountsBackend();

const northwind: Account = {
  name: 'northwind',
  displayName: 'Northwind Traders',
  environment: 'production',
  region: 'europe-west4',
  gcpProject: 'acme-production-europe',
  cluster: 'production-eu',
  active: true,
  isUat: true,
  owner: 'group:default/platform',
  labels: { tier: 'gold' },
  services: [{ name: 'backend', values: { replicas: 3 } }, { name: 'engine' }],
  createdAt: '2026-11-20T09:00:00.000Z',
  createdBy: 'user:default/alice',
  updatedAt: '2026-11-22T10:30:00.000Z',
  updatedBy: 'user:default/bob',
  version: 2,
};

function renderPage() {
  return render(<AccountPage />, {
    mountPath: '/accounts/:name',
    path: '/accounts/northwind',
  });
}

describe('AccountPage', () => {
  it("shows the account's global configuration, services and history", async () => {
    server.use(
      http.get(`${baseUrl}/accounts/northwind`, () =>
        HttpResponse.json(northwind),
      ),
      http.get(`${baseUrl}/accounts/northwind/history`, () =>
        HttpResponse.json({
          items: [
            {
              account: 'northwind',
              version: 2,
              action: 'update',
              changedAt: '2026-11-22T10:30:00.000Z',
              changedBy: 'user:default/bob',
              changes: { isUat: { from: false, to: true } },
            },
            {
              account: 'northwind',
              version: 1,
              action: 'create',
              changedAt: '2026-11-20T09:00:00.000Z',
              changedBy: 'user:default/alice',
              changes: { environment: { to: 'production' } },
            },
          ],
        }),
      ),
    );
    await renderPage();
    expect(await screen.findByText('Northwind Traders')).toBeInTheDocument();
    expect(screen.getByText('production-eu')).toBeInTheDocument();
    expect(screen.getByText('tier=gold')).toBeInTheDocument();
    expect(
      screen.getByText('yes: receives release candidates'),
    ).toBeInTheDocument();
    expect(screen.getByText(/values \{"replicas":3\}/)).toBeInTheDocument();
    expect(screen.getByText(/environment defaults/)).toBeInTheDocument();
    expect(screen.getByText(/false → true/)).toBeInTheDocument();
    expect(screen.getByText('user:default/alice')).toBeInTheDocument();
    expect(screen.getByText('2026-11-22 10:30 UTC')).toBeInTheDocument();
  });

  it('shows the error for an account that does not exist', async () => {
    const notFound = () =>
      HttpResponse.json(
        {
          error: {
            name: 'NotFoundError',
            message: "No account named 'northwind'",
          },
          request: { method: 'GET', url: '/accounts/northwind' },
          response: { statusCode: 404 },
        },
        { status: 404 },
      );
    server.use(
      http.get(`${baseUrl}/accounts/northwind`, notFound),
      http.get(`${baseUrl}/accounts/northwind/history`, notFound),
    );
    await renderPage();
    expect(
      (await screen.findAllByText(/No account named 'northwind'/)).length,
    ).toBeGreaterThan(0);
  });
});
