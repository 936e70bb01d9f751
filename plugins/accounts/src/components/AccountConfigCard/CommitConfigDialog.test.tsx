import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse } from 'msw';
import {
  errorResponse,
  setupAccountsBackend,
  testConfigCommit,
} from '../../__testUtils__/accountsBackend';
import {
  dialog,
  openCommit,
  reasonHelperText,
  renderCard as renderWith,
  threeChanges,
} from './__testUtils__/configCard';

const { render, serveAccountConfig } = setupAccountsBackend();

function renderCard() {
  return renderWith(render);
}

describe('AccountConfigCard: committing', () => {
  it('commits with the reason, shows the new commit and refreshes', async () => {
    const backend = serveAccountConfig('northwind', { preview: threeChanges });
    await renderCard();
    await openCommit('  Enable the engine  ');
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));

    const outcome = await screen.findByRole('status');
    expect(outcome).toHaveTextContent(
      /^Committed 9b8c7d6.* to main \(3 files\)/,
    );
    expect(within(outcome).getByRole('link')).toHaveAttribute(
      'href',
      expect.stringContaining('/commit/9b8c7d6e5f'),
    );
    expect(backend.commits).toEqual([{ reason: 'Enable the engine' }]);
    await waitFor(() => expect(backend.configReads).toBe(2));
    // The last commit is now the new one, and the preview is gone.
    await waitFor(() => expect(screen.getAllByText('9b8c7d6')).toHaveLength(2));
    expect(screen.queryByTestId('config-diff')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('sends no reason when none is typed, and says when nothing changed', async () => {
    const backend = serveAccountConfig('northwind', {
      preview: threeChanges,
      commit: () =>
        HttpResponse.json({
          status: 'unchanged',
          commit: testConfigCommit(),
          changes: [],
        }),
    });
    await renderCard();
    await openCommit('   ');
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Nothing was committed: the folder already matched the registry at 3f2a9c1',
    );
    expect(backend.commits).toEqual([{}]);
  });

  it('on a 409 says to preview again, keeping the reason', async () => {
    serveAccountConfig('northwind', {
      preview: threeChanges,
      commit: () => errorResponse(409, 'branch main moved 3 times'),
    });
    await renderCard();
    await openCommit('Enable the engine');
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));
    expect(
      await dialog().findByText(
        'The config repository changed meanwhile; preview again and retry.',
      ),
    ).toBeInTheDocument();
    expect(dialog().getByLabelText('Reason')).toHaveValue('Enable the engine');
    // Closing the dialog does not lose it either.
    fireEvent.click(dialog().getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Commit' }));
    expect(dialog().getByLabelText('Reason')).toHaveValue('Enable the engine');
  });

  it('shows a 400 about the reason at the field, and others above it', async () => {
    let answer = 'Invalid reason: must be one line without control characters';
    const backend = serveAccountConfig('northwind', {
      preview: threeChanges,
      commit: () => errorResponse(400, answer),
    });
    await renderCard();
    await openCommit('Enable\tthe engine');
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));
    await waitFor(() =>
      expect(reasonHelperText()).toBe(
        'must be one line without control characters',
      ),
    );
    expect(dialog().getByLabelText('Reason')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(dialog().getByLabelText('Reason')).toHaveValue('Enable\tthe engine');

    answer = 'Service engine is not in the config (accounts.services)';
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));
    expect(await dialog().findByText(answer)).toBeInTheDocument();
    expect(reasonHelperText()).toMatch(/^Optional, one line/);
    expect(dialog().getByLabelText('Reason')).toHaveValue('Enable\tthe engine');
    expect(backend.commits).toHaveLength(2);
  });

  it('says so when the policy refuses the commit', async () => {
    serveAccountConfig('northwind', {
      preview: threeChanges,
      commit: () => errorResponse(403, 'not allowed'),
    });
    await renderCard();
    await openCommit('Enable the engine');
    fireEvent.click(dialog().getByRole('button', { name: 'Commit' }));
    expect(
      await dialog().findByText("You may not commit this account's config."),
    ).toBeInTheDocument();
    expect(dialog().getByLabelText('Reason')).toHaveValue('Enable the engine');
  });

  it('sends one request however often Commit is pressed', async () => {
    const backend = serveAccountConfig('northwind', { preview: threeChanges });
    await renderCard();
    await openCommit('Enable the engine');
    const commit = dialog().getByRole('button', { name: 'Commit' });
    const form = dialog().getByRole('form', { name: 'Commit config' });
    fireEvent.click(commit);
    fireEvent.click(commit);
    fireEvent.submit(form);
    expect(dialog().getByRole('button', { name: /Committing/ })).toBeDisabled();
    expect(dialog().getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect(dialog().getByRole('progressbar')).toBeInTheDocument();
    expect(await screen.findByRole('status')).toHaveTextContent(/Committed/);
    expect(backend.commits).toHaveLength(1);
  });
});
