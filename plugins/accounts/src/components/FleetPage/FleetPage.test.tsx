import { FleetMatrix } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { useLocation } from 'react-router-dom';
import {
  accountsBaseUrl as baseUrl,
  errorResponse,
  setupAccountsBackend,
  testEnvironments,
} from '../../__testUtils__/accountsBackend';
import { TestRow, testFleetMatrix } from '../../__testUtils__/fleet';
import { rootRouteRef } from '../../routes';
import { RoutedFleetPage } from './FleetPage';

const { server, render } = setupAccountsBackend();

const build = 'main-a1b2c3d-1795428000'; // built 2026-11-23 10:00 UTC
const rows: TestRow[] = [
  {
    account: 'northwind',
    cells: {
      backend: ['1.4.2', '1.4.2', 'healthy'],
      engine: [build, build, 'progressing'],
    },
  },
  {
    account: 'contoso',
    cluster: 'production-us',
    uat: true,
    cells: { backend: ['1.4.2', '1.4.1', 'drifted'] },
  },
];
const fleet = testFleetMatrix({ services: ['backend', 'engine'], rows });

/**
 * Serves the fleet (`answer` decides per request, by default `fleet`),
 * environments and services; records the query of every fleet request.
 */
function serveFleet(
  answer: (url: URL) => FleetMatrix | Response = () => fleet,
) {
  const requests: URL[] = [];
  server.use(
    http.get(`${baseUrl}/environments`, () =>
      HttpResponse.json({ items: testEnvironments }),
    ),
    http.get(`${baseUrl}/services`, () =>
      HttpResponse.json({ items: [{ name: 'backend' }, { name: 'engine' }] }),
    ),
    http.get(`${baseUrl}/fleet`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      const result = answer(url);
      return result instanceof Response ? result : HttpResponse.json(result);
    }),
  );
  return requests;
}

/** Shows the URL's query, to check what the page wrote there. */
function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function renderPage(path = '/fleet') {
  return render(
    <>
      <RoutedFleetPage />
      <Search />
    </>,
    { path, mountedRoutes: { '/accounts': rootRouteRef } },
  );
}

const cell = (account: string, service: string) =>
  screen.getByTestId(`cell-${account}-${service}`);

describe('FleetPage', () => {
  it('shows live versions coloured by state, the counts, and links to the accounts', async () => {
    serveFleet();
    await renderPage();
    expect(await screen.findByText('1.4.1')).toBeInTheDocument();
    expect(cell('northwind', 'backend')).toHaveTextContent('1.4.2');
    expect(cell('northwind', 'backend')).toHaveAttribute(
      'data-state',
      'healthy',
    );
    // A main build as its short commit and build time, with the state's icon.
    expect(cell('northwind', 'engine')).toHaveTextContent(
      'a1b2c3d · 11-23 10:00',
    );
    expect(
      within(cell('northwind', 'engine')).getByTestId('state-icon-progressing'),
    ).toBeInTheDocument();
    expect(cell('contoso', 'engine')).toHaveTextContent('not enabled');
    const counts = within(
      screen.getByRole('group', { name: 'Cells per state' }),
    );
    expect(counts.getByText('healthy: 1')).toBeInTheDocument();
    expect(counts.getByText('progressing: 1')).toBeInTheDocument();
    expect(counts.getByText('drifted: 1')).toBeInTheDocument();
    expect(counts.getByText('failed: 0')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'northwind' })).toHaveAttribute(
      'href',
      '/accounts/northwind',
    );
    expect(
      screen.getByText('production · production-us · UAT'),
    ).toBeInTheDocument();
  });

  it('marks drift and explains a cell in its tooltip', async () => {
    serveFleet();
    await renderPage();
    await screen.findByText('1.4.1');
    expect(cell('contoso', 'backend')).toHaveAttribute('data-drift', 'true');
    expect(
      within(cell('contoso', 'backend')).getByLabelText('drift'),
    ).toBeInTheDocument();
    expect(cell('northwind', 'backend')).toHaveAttribute('data-drift', 'false');
    expect(
      screen.getByText(/live differs from desired \(1\)/),
    ).toBeInTheDocument();
    fireEvent.mouseOver(within(cell('contoso', 'backend')).getByText('1.4.1'));
    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('backend on contoso');
    expect(tooltip).toHaveTextContent('Desired: 1.4.2');
    expect(tooltip).toHaveTextContent('Live: 1.4.1');
    expect(tooltip).toHaveTextContent('State: drifted');
    expect(tooltip).toHaveTextContent(
      'Drift: the cluster runs another version',
    );
  });

  it('sends the filters held in the URL, and writes new ones there', async () => {
    const requests = serveFleet();
    await renderPage(
      '/fleet?environment=production&cluster=production-eu&uat=false&service=backend&service=engine&state=failed',
    );
    await screen.findByText('1.4.1');
    const first = requests[0].searchParams;
    expect(first.get('environment')).toBe('production');
    expect(first.get('cluster')).toBe('production-eu');
    expect(first.get('uat')).toBe('false');
    expect(first.getAll('service')).toEqual(['backend', 'engine']);
    expect(first.getAll('state')).toEqual(['failed']);
    expect(screen.getByText('backend, engine')).toBeInTheDocument();

    // A count adds its state to the filter.
    fireEvent.click(screen.getByText('healthy: 1'));
    await waitFor(() =>
      expect(
        requests[requests.length - 1].searchParams.getAll('state'),
      ).toEqual(['failed', 'healthy']),
    );
    expect(screen.getByTestId('search')).toHaveTextContent(
      'state=failed&state=healthy',
    );

    // Another environment drops the cluster of the previous one.
    fireEvent.mouseDown(screen.getByLabelText('Environment'));
    fireEvent.click(within(screen.getByRole('listbox')).getByText('staging'));
    await waitFor(() => {
      const last = requests[requests.length - 1].searchParams;
      expect(last.get('environment')).toBe('staging');
      expect(last.get('cluster')).toBeNull();
    });
    expect(screen.getByTestId('search')).not.toHaveTextContent('cluster=');
    expect(screen.getByTestId('search')).toHaveTextContent(
      'service=backend&service=engine',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(requests[requests.length - 1].search).toBe(''));
    expect(screen.getByTestId('search')).toBeEmptyDOMElement();
  });

  it('names a cluster that cannot be read in a banner and still shows the fleet', async () => {
    serveFleet(() => ({
      ...fleet,
      clusters: [
        { cluster: 'production-eu', stale: false },
        {
          cluster: 'production-us',
          stale: true,
          syncedAt: '2026-11-23T11:55:00.000Z',
          error: "Cluster 'production-us' did not answer within 5 s",
        },
      ],
    }));
    await renderPage();
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent(
      'Cluster production-us cannot be read: its accounts show the last known state (of 2026-11-23 11:55 UTC)',
    );
    expect(banner).toHaveTextContent(
      "Cluster 'production-us' did not answer within 5 s",
    );
    expect(banner).not.toHaveTextContent('production-eu');
    expect(cell('contoso', 'backend')).toHaveTextContent('1.4.1');
  });

  it('re-reads on focus with the same filters, keeping an open tooltip', async () => {
    let live = '1.4.1';
    const requests = serveFleet(() =>
      testFleetMatrix({
        services: ['backend', 'engine'],
        version: `v-${live}`,
        rows: [
          rows[0],
          { ...rows[1], cells: { backend: ['1.4.2', live, 'drifted'] } },
        ],
      }),
    );
    await renderPage('/fleet?environment=production&service=backend');
    fireEvent.mouseOver(await screen.findByText('1.4.1'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Live: 1.4.1');

    live = '1.4.0';
    fireEvent.focus(window);
    await waitFor(() =>
      expect(cell('contoso', 'backend')).toHaveTextContent('1.4.0'),
    );
    expect(requests).toHaveLength(2);
    expect(requests[1].search).toBe(requests[0].search);
    expect(screen.getByRole('tooltip')).toHaveTextContent('Live: 1.4.0');
    expect(screen.getByLabelText('Environment')).toHaveTextContent(
      'production',
    );
    expect(screen.getByTestId('search')).toHaveTextContent(
      '?environment=production&service=backend',
    );
  });

  it('re-reads every 10 seconds', async () => {
    jest.useFakeTimers();
    try {
      const requests = serveFleet();
      await renderPage();
      await screen.findByText('1.4.1');
      expect(requests).toHaveLength(1);
      jest.advanceTimersByTime(10_000);
      await waitFor(() => expect(requests).toHaveLength(2));
      jest.advanceTimersByTime(10_000);
      await waitFor(() => expect(requests).toHaveLength(3));
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps the fleet on screen when a later read fails', async () => {
    let fail = false;
    serveFleet(() =>
      fail ? errorResponse(503, 'Database unavailable') : fleet,
    );
    await renderPage();
    await screen.findByText('1.4.1');
    fail = true;
    fireEvent.focus(window);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Live update failed: showing the fleet as of 2026-11-23 12:00 UTC',
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Database unavailable');
    expect(cell('contoso', 'backend')).toHaveTextContent('1.4.1');
  });

  it('shows the error when the fleet cannot be read', async () => {
    serveFleet(() => errorResponse(403, 'Not allowed: accounts.account.read'));
    await renderPage();
    await waitFor(() =>
      expect(
        screen.getAllByText(/Not allowed: accounts.account.read/).length,
      ).toBeGreaterThan(0),
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says so when no account matches', async () => {
    serveFleet(() => testFleetMatrix({ services: ['backend'], rows: [] }));
    await renderPage('/fleet?state=failed');
    expect(await screen.findByText('No accounts match')).toBeInTheDocument();
  });
});
