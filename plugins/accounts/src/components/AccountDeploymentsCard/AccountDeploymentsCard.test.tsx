import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AccountReadiness,
  ClusterInfo,
  Deployment,
} from '@fleet-portal/plugin-accounts-common';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import {
  AccountDeploymentsCard,
  deployTemplateUrl,
} from './AccountDeploymentsCard';

const { server, render } = setupAccountsBackend();

const deployment: Deployment = {
  id: 'd1',
  account: 'northwind',
  environment: 'production',
  cluster: 'production-eu',
  operationId: 'op1',
  commit: '3f2a9c1d0b7e4a5f6c8d9e0f1a2b3c4d5e6f7a8b',
  versions: { backend: '1.4.2', engine: '2.1.3' },
  deployedBy: 'user:default/alice',
  reason: 'new replicas',
  deployedAt: '2026-11-23T10:00:00.000Z',
};

const readiness: AccountReadiness = {
  account: 'northwind',
  cluster: 'production-eu',
  state: 'failed',
  message:
    'HelmRelease northwind/engine failed: Helm upgrade failed for release northwind/engine with chart engine@2.1.0: timed out',
  releases: [],
  checkedAt: '2026-11-23T10:01:00.000Z',
};

function serve(clusters: ClusterInfo[], account = 'northwind') {
  server.use(
    http.get(`${accountsBaseUrl}/accounts/${account}/deployments`, () =>
      HttpResponse.json({ items: [{ ...deployment, account }] }),
    ),
    http.get(`${accountsBaseUrl}/clusters`, () =>
      HttpResponse.json({ items: clusters }),
    ),
    http.get(`${accountsBaseUrl}/accounts/${account}/readiness`, () =>
      HttpResponse.json({ ...readiness, account }),
    ),
  );
}

describe('AccountDeploymentsCard', () => {
  it('shows the cluster as simulated, Flux readiness and the deployments', async () => {
    serve([
      {
        name: 'production-eu',
        environment: 'production',
        region: 'europe-west4',
        simulated: true,
      },
    ]);
    await render(<AccountDeploymentsCard account={testAccount()} />);
    expect(await screen.findByText('simulated')).toBeInTheDocument();
    expect(screen.getByTestId('account-readiness')).toHaveTextContent(
      /failed.*HelmRelease northwind\/engine failed: Helm upgrade failed/,
    );
    // The icon of the state is part of the readiness line (the e2e test
    // checks that it sits beside the text: jsdom has no layout).
    expect(
      within(screen.getByTestId('account-readiness')).getByTestId(
        'status-error',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('backend 1.4.2, engine 2.1.3')).toBeInTheDocument();
    expect(screen.getByText('3f2a9c1')).toBeInTheDocument();
    expect(screen.getByText('new replicas')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toHaveAttribute(
      'href',
      deployTemplateUrl('northwind'),
    );
  });

  it('marks nothing on a real cluster and hides Deploy from those not allowed', async () => {
    // Another account than the other tests': the permission hook keeps
    // answers per resource for a while, across renders.
    serve(
      [{ name: 'production-eu', environment: 'production', simulated: false }],
      'fabrikam',
    );
    await render(
      <AccountDeploymentsCard account={testAccount({ name: 'fabrikam' })} />,
      { permission: AuthorizeResult.DENY },
    );
    expect(await screen.findByText('3f2a9c1')).toBeInTheDocument();
    expect(screen.queryByText('simulated')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Deploy' }),
    ).not.toBeInTheDocument();
  });

  it('still lists deployments when the cluster does not answer', async () => {
    serve([]);
    server.use(
      http.get(`${accountsBaseUrl}/accounts/northwind/readiness`, () =>
        errorResponse(
          503,
          "Cluster 'production-eu' did not answer within 10 s",
        ),
      ),
    );
    await render(<AccountDeploymentsCard account={testAccount()} />);
    expect(
      await screen.findByText(
        /Flux status unavailable: Cluster 'production-eu' did not answer within 10 s/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('3f2a9c1')).toBeInTheDocument();
  });
});
