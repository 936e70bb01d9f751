import { Account } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  setupAccountsBackend,
} from '../../__testUtils__/accountsBackend';
import { AccountsPage } from './AccountsPage';

const { server, render, serveCapabilities } = setupAccountsBackend();

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
  updatedAt: '2026-11-22T11:05:00.000Z',
  updatedBy: 'user:default/bob',
  version: 3,
};

const environments = [
  { name: 'staging', regions: ['europe-west4'], clusters: [] },
  {
    name: 'production',
    regions: ['europe-west4', 'us-central1'],
    clusters: [],
  },
];

/**
 * Serves the accounts backend's list and environments; records the query of
 * every list request.
 */
function serveAccounts(
  answer: (url: URL) => Response | { items: Account[]; totalCount: number },
) {
  const requests: URL[] = [];
  serveCapabilities({ createAccount: 'allow', export: false });
  server.use(
    http.get(`${baseUrl}/environments`, () =>
      HttpResponse.json({ items: environments }),
    ),
    http.get(`${baseUrl}/accounts`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      const result = answer(url);
      return result instanceof Response ? result : HttpResponse.json(result);
    }),
  );
  return requests;
}

/** The page with the real client, talking HTTP to the handlers above. */
function renderPage(path = '/accounts') {
  return render(<AccountsPage />, { path });
}

describe('AccountsPage', () => {
  it('lists the accounts the backend returns, with their last change', async () => {
    const requests = serveAccounts(() => ({ items: [acme], totalCount: 1 }));
    await renderPage();
    const row = (await screen.findByText('Acme Corp')).closest('tr')!;
    expect(within(row).getByText('acme')).toBeInTheDocument();
    expect(within(row).getByText('production-eu')).toBeInTheDocument();
    expect(within(row).getByText('europe-west4')).toBeInTheDocument();
    expect(within(row).getByText('UAT')).toBeInTheDocument();
    expect(within(row).getByText('active')).toBeInTheDocument();
    expect(within(row).getByText('2026-11-22 11:05 UTC')).toBeInTheDocument();
    expect(within(row).getByText('v3 · bob')).toBeInTheDocument();
    expect(screen.getByText('Accounts (1)')).toBeInTheDocument();
    expect(requests[0].searchParams.get('limit')).toBe('50');
    expect(requests[0].searchParams.get('offset')).toBe('0');
  });

  it('sends the filters held in the URL to the backend', async () => {
    const requests = serveAccounts(() => ({ items: [acme], totalCount: 120 }));
    await renderPage(
      '/accounts?environment=production&uat=true&active=false&q=acm&page=2',
    );
    await screen.findByText('Acme Corp');
    const params = Object.fromEntries(requests[0].searchParams);
    expect(params).toEqual({
      environment: 'production',
      uat: 'true',
      active: 'false',
      q: 'acm',
      limit: '50',
      offset: '100',
    });
    expect(screen.getByDisplayValue('acm')).toBeInTheDocument();
  });

  it('searches as the user types, from the first page', async () => {
    const requests = serveAccounts(url =>
      url.searchParams.get('q') === 'zzz'
        ? { items: [], totalCount: 0 }
        : { items: [acme], totalCount: 1 },
    );
    await renderPage('/accounts?page=3');
    await screen.findByText('Acme Corp');
    fireEvent.change(screen.getByLabelText('Search accounts'), {
      target: { value: 'zzz' },
    });
    expect(await screen.findByText('No accounts match')).toBeInTheDocument();
    const last = requests[requests.length - 1].searchParams;
    expect(last.get('q')).toBe('zzz');
    expect(last.get('offset')).toBe('0');
  });

  it('says so when the registry is empty', async () => {
    serveAccounts(() => ({ items: [], totalCount: 0 }));
    await renderPage();
    expect(await screen.findByText('No accounts yet')).toBeInTheDocument();
  });

  it('shows the error the backend answers with', async () => {
    serveAccounts(() =>
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
    );
    await renderPage();
    await waitFor(() =>
      expect(
        screen.getAllByText(/Not allowed: accounts.account.read/).length,
      ).toBeGreaterThan(0),
    );
  });

  it.each(['allow', 'conditional'] as const)(
    'offers to create an account when the policy says %s',
    async createAccount => {
      serveAccounts(() => ({ items: [acme], totalCount: 1 }));
      serveCapabilities({ createAccount, export: false });
      await render(<AccountsPage />, {
        mountPath: '/accounts',
        path: '/accounts',
      });
      const link = await screen.findByRole('button', {
        name: 'Create account',
      });
      expect(link).toHaveAttribute('href', '/accounts/new');
    },
  );

  it('does not offer to create an account when the policy denies it', async () => {
    serveAccounts(() => ({ items: [acme], totalCount: 1 }));
    serveCapabilities({ createAccount: 'deny', export: false });
    await renderPage();
    await screen.findByText('Acme Corp');
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(
      screen.queryByRole('button', { name: 'Create account' }),
    ).not.toBeInTheDocument();
  });
});
