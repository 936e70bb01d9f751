import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  accountsBaseUrl,
  errorResponse,
  setupReleasesBackend,
  testService,
  testServiceReleases,
} from '../../__testUtils__/releasesBackend';
import { ReleasesContent } from './ReleasesContent';

const { server, serveReleases, render } = setupReleasesBackend();

/** The rows of the releases table, without its header. */
function releaseRows(): HTMLElement[] {
  const table = screen
    .getByRole('heading', { name: 'Releases' })
    .closest('.MuiPaper-root') as HTMLElement;
  return within(table)
    .getAllByRole('row')
    .filter(row => within(row).queryAllByRole('columnheader').length === 0);
}

function nextReleaseCard(): HTMLElement {
  const heading = screen.getByText('Next release');
  return heading.closest('.MuiCard-root') as HTMLElement;
}

describe('ReleasesContent', () => {
  it('shows the repository, the next version with its commits and the releases', async () => {
    serveReleases();
    await render(<ReleasesContent />);

    expect(
      await screen.findByRole('link', { name: /^acme-saas\/backend\b/ }),
    ).toHaveAttribute('href', 'https://github.com/acme-saas/backend');
    expect(screen.getByText('main')).toBeInTheDocument();
    expect(screen.getAllByText('c0ffee1')[0]).toBeInTheDocument();

    const card = nextReleaseCard();
    expect(within(card).getByText('2.0.0 (major)')).toBeInTheDocument();
    expect(within(card).getByText('v2.0.0-rc.2')).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: /^v2\.0\.0-rc\.1\b/ }),
    ).toBeInTheDocument();
    expect(within(card).getByText('Commits since v1.4.2')).toBeInTheDocument();

    const breaking = within(card).getByRole('region', {
      name: 'Breaking changes',
    });
    expect(breaking).toHaveTextContent('api: drop the v1 accounts endpoints');
    expect(breaking).toHaveTextContent('aa11bb2');
    expect(breaking).toHaveTextContent('Alice Example');
    expect(within(breaking).getByText('api:').tagName).toBe('STRONG');
    const features = within(card).getByRole('region', { name: 'Features' });
    expect(features).toHaveTextContent('billing: export invoices as CSV');
    expect(features).not.toHaveTextContent('retry webhooks');
    const fixes = within(card).getByRole('region', {
      name: 'Fixes and other changes',
    });
    expect(fixes).toHaveTextContent('retry webhooks on 502');
    expect(fixes).toHaveTextContent('deps: bump express to 4.22.1');

    const rows = releaseRows();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(
      /^v2\.0\.0-rc\.1\b.*release candidate\s*aa11bb2/,
    );
    expect(
      within(rows[0]).getByRole('link', { name: /^v2\.0\.0-rc\.1\b/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme-saas/backend/releases/tag/v2.0.0-rc.1',
    );
    expect(rows[1]).toHaveTextContent(/^v1\.4\.2\b.*release\s*1234abc/);
    expect(rows[1]).not.toHaveTextContent('release candidate');
    expect(rows[2]).toHaveTextContent(/^v1\.4\.1\b/);
  });

  it("opens a release's notes, rendered from Markdown", async () => {
    serveReleases();
    await render(<ReleasesContent />);

    const [, latest] = await waitFor(() => {
      const rows = releaseRows();
      expect(rows).toHaveLength(3);
      return rows;
    });
    expect(
      screen.queryByRole('region', { name: 'Release notes of v1.4.2' }),
    ).not.toBeInTheDocument();
    fireEvent.click(within(latest).getAllByRole('button')[0]);

    const notes = await screen.findByRole('region', {
      name: 'Release notes of v1.4.2',
    });
    expect(
      within(notes).getByRole('heading', { name: 'Fixes and other changes' }),
    ).toBeInTheDocument();
    expect(within(notes).getByText('billing:').tagName).toBe('STRONG');
    expect(notes).toHaveTextContent('round invoice totals per line (9f8e7d6)');
  });

  it('creates a release candidate after confirmation, shows its tag and reads again', async () => {
    const recorded = serveReleases();
    await render(<ReleasesContent />);

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Create release candidate (v2.0.0-rc.2)',
      }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Creates the tag v2.0.0-rc.2 on commit c0ffee1, the head of main in acme-saas/backend',
    );
    expect(dialog).toHaveTextContent(
      'A release candidate goes to UAT accounts only.',
    );
    expect(recorded.posts).toEqual([]);
    expect(recorded.reads).toBe(1);

    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create v2.0.0-rc.2' }),
    );

    expect(
      await screen.findByRole('status', { name: 'Created release' }),
    ).toHaveTextContent(
      /^Created release candidate v2\.0\.0-rc\.2\b.* on c0ffee1\.$/,
    );
    expect(recorded.posts).toEqual([{ kind: 'rc' }]);
    await waitFor(() => expect(recorded.reads).toBe(2));
    // The answer read again: the next candidate counts on.
    expect(
      await screen.findByRole('button', {
        name: 'Create release candidate (v2.0.0-rc.3)',
      }),
    ).toBeEnabled();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('releases after a confirmation that names the accounts and the candidate', async () => {
    const recorded = serveReleases({
      state: testServiceReleases({
        head: 'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00',
      }),
    });
    await render(<ReleasesContent />);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Release v2.0.0' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Creates the tag v2.0.0 on commit aa11bb2',
    );
    expect(dialog).toHaveTextContent(
      'A release goes to UAT and production accounts.',
    );
    expect(dialog).toHaveTextContent(
      'It is the commit of the release candidate v2.0.0-rc.1.',
    );
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create v2.0.0' }),
    );

    expect(
      await screen.findByRole('status', { name: 'Created release' }),
    ).toHaveTextContent(/^Released v2\.0\.0\b.* on aa11bb2\.$/);
    expect(recorded.posts).toEqual([{ kind: 'final' }]);
    expect(
      await screen.findByText('Nothing to release since v2.0.0'),
    ).toBeInTheDocument();
  });

  it('says when there is nothing to release', async () => {
    const state = testServiceReleases();
    serveReleases({
      state: {
        ...state,
        next: {
          latest: state.next.latest,
          candidates: [],
          commits: { major: [], minor: [], patch: [] },
        },
      },
    });
    await render(<ReleasesContent />);

    expect(
      await screen.findByText('Nothing to release since v1.4.2'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Release v/ }),
    ).not.toBeInTheDocument();
  });

  it('explains a missing release source on a 404', async () => {
    server.use(
      http.get(`${accountsBaseUrl}/services/backend-api/releases`, () =>
        errorResponse(
          404,
          "The service 'backend-api' has no repository in accounts.releases.github.repositories",
        ),
      ),
    );
    await render(<ReleasesContent />, {
      entity: testService({
        'github.com/project-slug': 'acme-saas/backend',
        'fleet-portal.io/helm-release': 'backend-api',
      }),
    });

    expect(
      await screen.findByText('No release source for backend-api'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /accounts\.releases section of the app-config must configure/,
      ),
    ).toHaveTextContent(
      "The backend answered: The service 'backend-api' has no repository in accounts.releases.github.repositories",
    );
    // The app-config entry that would configure it, with the catalog's
    // slug (the code snippet loads lazily).
    await waitFor(() =>
      expect(document.body).toHaveTextContent(
        'repositories: backend-api: acme-saas/backend',
      ),
    );
  });

  it('shows other errors', async () => {
    server.use(
      http.get(`${accountsBaseUrl}/services/backend/releases`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'GitHub answered 502' } },
          { status: 500 },
        ),
      ),
    );
    await render(<ReleasesContent />);

    expect(
      (await screen.findAllByText(/GitHub answered 502/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/No release source/)).not.toBeInTheDocument();
  });

  it("warns when the catalog's repository is another than the release source's", async () => {
    serveReleases();
    await render(<ReleasesContent />, {
      entity: testService({
        'github.com/project-slug': 'acme-saas/old-backend',
      }),
    });

    expect(
      await screen.findByText(/The catalog names another repository/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No GitHub repository/)).not.toBeInTheDocument();
  });

  it('hints at the annotation when it is missing, for a GitHub repository only', async () => {
    serveReleases();
    const { unmount } = await render(<ReleasesContent />, {
      entity: testService({}),
    });
    expect(
      await screen.findByText(/No GitHub repository in the catalog/),
    ).toBeInTheDocument();
    unmount();

    serveReleases({
      state: testServiceReleases({
        repository: { kind: 'local', name: '../../.data/services/backend.git' },
      }),
    });
    await render(<ReleasesContent />, { entity: testService({}) });
    expect(
      await screen.findByText('../../.data/services/backend.git'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/No GitHub repository/)).not.toBeInTheDocument();
    expect(screen.queryByText(/another repository/)).not.toBeInTheDocument();
  });
});
