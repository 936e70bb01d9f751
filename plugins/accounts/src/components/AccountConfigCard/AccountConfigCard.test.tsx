import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { accountConfigCommitPermission } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  errorResponse,
  setupAccountsBackend,
  testConfigCommit,
  testConfigFolder,
} from '../../__testUtils__/accountsBackend';
import { parseUnifiedDiff } from './ConfigDiff';
import {
  diffLine,
  folder,
  nothing,
  previewChanges,
  renderCard as renderWith,
  threeChanges,
} from './__testUtils__/configCard';

const { render, serveAccountConfig } = setupAccountsBackend();

function renderCard(
  name?: string,
  permission?: (
    request: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return renderWith(render, name, permission);
}

describe('AccountConfigCard', () => {
  it('shows the repository, the folder, its last commit and files', async () => {
    serveAccountConfig('northwind');
    await renderCard();
    const sha = await screen.findByText('3f2a9c1');
    expect(sha.closest('a')).toHaveAttribute(
      'href',
      `https://github.com/acme/fleet-config/commit/${testConfigCommit().sha}`,
    );
    // Only the subject of the commit message.
    expect(screen.getByText(/northwind: render config/)).toBeInTheDocument();
    expect(screen.queryByText(/Rendered by Fleet Portal/)).toBeNull();
    expect(screen.getByText(/Fleet Portal, 2026-11-21 08:15 UTC/)).toBeTruthy();
    expect(
      screen.getByRole('link', { name: /^acme\/fleet-config@main/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/fleet-config');
    expect(
      screen.getByRole('link', { name: new RegExp(`^${folder},`) }),
    ).toHaveAttribute(
      'href',
      `https://github.com/acme/fleet-config/tree/main/${folder}`,
    );
    const files = within(screen.getByRole('list', { name: 'Files' }));
    expect(
      files.getByRole('link', { name: /kustomization\.yaml/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(
        '/blob/3f2a9c1d0b7e4a5f6c8d9e0f1a2b3c4d5e6f7a8b/',
      ),
    );
    expect(files.getAllByRole('listitem')).toHaveLength(2);
  });

  it('says when the folder was never committed', async () => {
    serveAccountConfig('northwind', {
      folder: testConfigFolder({ lastCommit: undefined, files: [] }),
    });
    await renderCard();
    expect(await screen.findByText('never committed')).toBeInTheDocument();
    expect(screen.getByText('No files yet.')).toBeInTheDocument();
  });

  it('says so, as information, when no config repository is configured', async () => {
    // The backend stand-in's default answer for the config folder.
    await renderCard();
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(/No config repository is configured/);
    expect(notice).toHaveAttribute('data-severity', 'info');
    expect(screen.queryByText(/could not be read/)).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Preview changes' }),
    ).toBeNull();
  });

  it('previews the changes: a summary, the files and the diff', async () => {
    const backend = serveAccountConfig('northwind', { preview: threeChanges });
    await renderCard();
    await previewChanges();
    expect(screen.getByTestId('config-preview-summary')).toHaveTextContent(
      /^3 files would change: 2 added, 1 modified$/,
    );
    const changed = within(screen.getByRole('list', { name: 'Changed files' }));
    expect(changed.getAllByRole('listitem')[1]).toHaveTextContent(
      `modified ${folder}/kustomization.yaml`,
    );
    expect(diffLine('+kind: HelmRelease')).toHaveAttribute(
      'data-line-kind',
      'added',
    );
    expect(diffLine('-  - helmrelease-backend.yaml')).toHaveAttribute(
      'data-line-kind',
      'removed',
    );
    expect(diffLine('@@ -1,2 +1,2 @@')).toHaveAttribute(
      'data-line-kind',
      'hunk',
    );
    expect(diffLine(`--- a/${folder}/kustomization.yaml`)).toHaveAttribute(
      'data-line-kind',
      'meta',
    );
    expect(diffLine(threeChanges.diff.split('\n')[7])).toHaveAttribute(
      'data-line-kind',
      'file',
    );
    expect(backend.previews).toEqual([{}]);
  });

  it('shows why the account cannot be rendered', async () => {
    const message =
      'Invalid HelmRelease acme/backend: spec.chart.spec.version: must be a semver range';
    serveAccountConfig('northwind', {
      preview: () => errorResponse(400, message),
    });
    await renderCard();
    fireEvent.click(
      await screen.findByRole('button', { name: 'Preview changes' }),
    );
    expect(
      await screen.findByText(/The account cannot be rendered/),
    ).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Commit' })).toBeNull();
  });

  it('offers no commit when nothing would change', async () => {
    serveAccountConfig('northwind', { preview: nothing });
    await renderCard();
    await previewChanges();
    expect(screen.getByTestId('config-preview-summary')).toHaveTextContent(
      /^Nothing to commit: the folder is up to date with the registry$/,
    );
    expect(screen.queryByTestId('config-diff')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Commit' })).toBeNull();
  });

  // usePermission keeps answers per permission and resource for the whole
  // file, so this one asks about an account of its own.
  it('hides Commit when the policy denies committing this account', async () => {
    serveAccountConfig('contoso', { preview: threeChanges });
    const asked: EvaluatePermissionRequest[] = [];
    await renderCard('contoso', request => {
      asked.push(request);
      return request.permission.name === accountConfigCommitPermission.name
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
    });
    await previewChanges();
    expect(screen.getByTestId('config-diff')).toBeInTheDocument();
    await waitFor(() =>
      expect(asked).toContainEqual({
        permission: accountConfigCommitPermission,
        resourceRef: 'contoso',
      }),
    );
    // Give the permission answer time to arrive.
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(screen.queryByRole('button', { name: 'Commit' })).toBeNull();
  });
});

describe('parseUnifiedDiff', () => {
  it('tells header lines from changed lines that look like them', () => {
    const kinds = parseUnifiedDiff(
      [
        'diff --git a/x.yaml b/x.yaml',
        '--- a/x.yaml',
        '+++ b/x.yaml',
        '@@ -1,2 +1,2 @@',
        '--- a/separator',
        '+++ b/separator',
        ' context',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    ).map(line => line.kind);
    expect(kinds).toEqual([
      'file',
      'meta',
      'meta',
      'hunk',
      'removed',
      'added',
      'context',
      'note',
    ]);
  });
});
