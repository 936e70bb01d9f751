import { AccountStatus } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testAccount,
} from '../../__testUtils__/accountsBackend';
import {
  testAccountStatus,
  testRelease,
  testVersion,
} from '../../__testUtils__/fleet';
import { AccountHealthCard } from './AccountHealthCard';

const { server, render } = setupAccountsBackend();

function serveStatus(answer: AccountStatus | Response) {
  server.use(
    http.get(`${baseUrl}/accounts/northwind/status`, () =>
      answer instanceof Response ? answer : HttpResponse.json(answer),
    ),
  );
}

const failing = testRelease({
  service: 'engine',
  state: 'failed',
  message:
    'Helm upgrade failed for release northwind/engine with chart engine@2.1.3: timed out',
  desired: testVersion('main-a1b2c3d-1795428000'),
  live: testVersion('2.1.2'),
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'UpgradeFailed',
      message: 'Helm upgrade failed: timed out waiting for the condition',
      lastTransitionTime: '2026-11-23T11:00:00.000Z',
    },
    { type: 'Stalled', status: 'True', reason: 'RetriesExceeded' },
  ],
  history: [
    { version: 8, chartVersion: '2.1.3', status: 'failed' },
    {
      version: 7,
      chartVersion: '2.1.2',
      appVersion: '2.1.2',
      status: 'deployed',
      deployedAt: '2026-11-20T09:00:00.000Z',
    },
  ],
  lastAttemptedRevision: '2.1.3',
  failures: { install: 0, upgrade: 3, total: 3 },
  suspended: true,
  suspendedBy: { actor: 'user:default/alice', at: '2026-11-23T11:30:00.000Z' },
});

const status = testAccountStatus({
  releases: [testRelease(), failing],
  workloads: [
    ...testAccountStatus().workloads,
    {
      name: 'engine-worker',
      release: 'engine',
      replicas: 2,
      readyReplicas: 2,
      updatedReplicas: 2,
      availableReplicas: 2,
    },
    {
      name: 'cron-exporter',
      replicas: 1,
      readyReplicas: 0,
      updatedReplicas: 1,
      availableReplicas: 0,
    },
  ],
});

const section = (name: string) => within(screen.getByRole('region', { name }));

describe('AccountHealthCard', () => {
  it('shows the Kustomization and each HelmRelease with state, versions and counters', async () => {
    serveStatus(status);
    await render(<AccountHealthCard account={testAccount()} />);
    const engine = within(
      await screen.findByRole('region', { name: 'HelmRelease engine' }),
    );
    expect(engine.getByTitle(/Flux gave up on it/)).toHaveTextContent('failed');
    expect(
      engine.getByText(
        /desired main-a1b2c3d-1795428000 \(main commit a1b2c3d, built 2026-11-23 10:00 UTC\) · live 2.1.2/,
      ),
    ).toBeInTheDocument();
    expect(engine.getByText('(live differs from desired)')).toBeInTheDocument();
    expect(
      engine.getByText(/Helm upgrade failed for release northwind\/engine/),
    ).toBeInTheDocument();
    expect(engine.getByText('revision 7 (chart 2.1.2)')).toBeInTheDocument();
    expect(engine.getByText('2.1.3')).toBeInTheDocument();
    expect(
      engine.getByText('install 0 · upgrade 3 · total 3'),
    ).toBeInTheDocument();
    expect(
      engine.getByText('yes, by user:default/alice at 2026-11-23 11:30 UTC'),
    ).toBeInTheDocument();
    expect(engine.getByText('engine-worker: 2/2 ready')).toBeInTheDocument();

    const backend = section('HelmRelease backend');
    expect(backend.getByTitle(/Ready, running the desired/)).toHaveTextContent(
      'healthy',
    );
    expect(backend.getByText(/backend-web: 2\/3 ready/)).toBeInTheDocument();
    expect(backend.queryByText(/live differs/)).not.toBeInTheDocument();

    const ks = section('Kustomization');
    expect(
      ks.getByText('Kustomization flux-system/northwind'),
    ).toBeInTheDocument();
    expect(ks.getAllByText('main@sha1:3f2a9c1d')).toHaveLength(2);
    expect(ks.getByText('no')).toBeInTheDocument();
    expect(
      section('Other workloads').getByText('cron-exporter: 0/1 ready'),
    ).toBeInTheDocument();
  });

  it('lists the conditions, and the history when opened', async () => {
    serveStatus(status);
    await render(<AccountHealthCard account={testAccount()} />);
    const engine = within(
      await screen.findByRole('region', { name: 'HelmRelease engine' }),
    );
    const ready = engine.getByText('UpgradeFailed').closest('tr')!;
    expect(within(ready).getByText('Ready')).toBeInTheDocument();
    expect(within(ready).getByText('False')).toBeInTheDocument();
    expect(
      within(ready).getByText(
        'Helm upgrade failed: timed out waiting for the condition',
      ),
    ).toBeInTheDocument();
    expect(within(ready).getByText('2026-11-23 11:00 UTC')).toBeInTheDocument();
    expect(engine.getByText('RetriesExceeded')).toBeInTheDocument();

    expect(engine.queryByText('2026-11-20 09:00 UTC')).not.toBeInTheDocument();
    fireEvent.click(engine.getByRole('button', { name: 'Show history (2)' }));
    const deployed = (await engine.findByText('2026-11-20 09:00 UTC')).closest(
      'tr',
    )!;
    expect(within(deployed).getByText('7')).toBeInTheDocument();
    expect(within(deployed).getByText('deployed')).toBeInTheDocument();
    const failed = engine.getByText('8').closest('tr')!;
    expect(within(failed).getByText('failed')).toBeInTheDocument();
    fireEvent.click(engine.getByRole('button', { name: 'Hide history (2)' }));
    await waitFor(() =>
      expect(
        engine.queryByText('2026-11-20 09:00 UTC'),
      ).not.toBeInTheDocument(),
    );
  });

  it('warns that a cluster cannot be read and shows its last known state', async () => {
    serveStatus(
      testAccountStatus({
        cluster: {
          cluster: 'production-eu',
          stale: true,
          syncedAt: '2026-11-23T11:58:00.000Z',
          error: "Cluster 'production-eu' did not answer within 5 s",
        },
      }),
    );
    await render(<AccountHealthCard account={testAccount()} />);
    const warning = await screen.findByRole('alert');
    expect(warning).toHaveTextContent(
      'Cluster production-eu cannot be read: showing the last known state (of 2026-11-23 11:58 UTC)',
    );
    expect(warning).toHaveTextContent(
      "Cluster 'production-eu' did not answer within 5 s",
    );
    expect(
      screen.getByRole('region', { name: 'HelmRelease backend' }),
    ).toBeInTheDocument();
  });

  it('says why when there is no status to show', async () => {
    // The test backend answers 404 No clusters are configured.
    await render(<AccountHealthCard account={testAccount()} />);
    expect(
      await screen.findByText(
        'Flux health unavailable: No clusters are configured',
      ),
    ).toBeInTheDocument();
  });

  it('shows other errors in full', async () => {
    serveStatus(errorResponse(403, 'Not allowed: accounts.account.read'));
    await render(<AccountHealthCard account={testAccount()} />);
    await waitFor(() =>
      expect(
        screen.getAllByText(/Not allowed: accounts.account.read/).length,
      ).toBeGreaterThan(0),
    );
    expect(
      screen.queryByRole('region', { name: /HelmRelease/ }),
    ).not.toBeInTheDocument();
  });
});
