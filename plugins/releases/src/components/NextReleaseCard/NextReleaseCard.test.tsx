import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import {
  accountsBaseUrl,
  errorResponse,
  setupReleasesBackend,
  testServiceReleases,
} from '../../__testUtils__/releasesBackend';
import { NextReleaseCard } from './NextReleaseCard';

const { server, serveReleases, render } = setupReleasesBackend();

const onReleased = jest.fn();
beforeEach(() => onReleased.mockReset());

function renderCard(releases = testServiceReleases()) {
  return render(
    <NextReleaseCard releases={releases} onReleased={onReleased} />,
  );
}

/** Opens the confirmation of the final release and returns the dialog. */
async function openReleaseDialog(): Promise<HTMLElement> {
  fireEvent.click(
    await screen.findByRole('button', { name: 'Release v2.0.0' }),
  );
  return screen.getByRole('dialog');
}

describe('NextReleaseCard actions', () => {
  it('hand the created release over and close the dialog', async () => {
    const recorded = serveReleases();
    await renderCard();

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Create release candidate (v2.0.0-rc.2)',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create v2.0.0-rc.2' }));

    await waitFor(() => expect(onReleased).toHaveBeenCalledTimes(1));
    expect(onReleased.mock.calls[0][0]).toMatchObject({
      tag: 'v2.0.0-rc.2',
      candidate: true,
      sha: 'c0ffee1234567890abcdef1234567890abcdef12',
    });
    expect(recorded.posts).toEqual([{ kind: 'rc' }]);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('warn when the release is not the commit of the newest candidate', async () => {
    await renderCard();

    const dialog = await openReleaseDialog();
    expect(dialog).toHaveTextContent(
      'A release goes to UAT and production accounts.',
    );
    expect(dialog).toHaveTextContent('Not the commit of v2.0.0-rc.1');
    expect(dialog).toHaveTextContent(
      'The release candidate v2.0.0-rc.1 was made on aa11bb2',
    );
  });

  it('say when no release candidate of the version was made', async () => {
    const releases = testServiceReleases();
    await renderCard({
      ...releases,
      next: { ...releases.next, candidateTag: 'v2.0.0-rc.1', candidates: [] },
    });

    const dialog = await openReleaseDialog();
    expect(dialog).toHaveTextContent(
      'No release candidate of this version was made',
    );
    expect(dialog).not.toHaveTextContent('Not the commit of');
  });

  it("show the server's refusal in the dialog, which stays open", async () => {
    const recorded = serveReleases({
      create: () =>
        errorResponse(
          409,
          'The tag v2.0.0-rc.2 exists already; tags are never reused',
        ),
    });
    await renderCard();

    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Create release candidate (v2.0.0-rc.2)',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create v2.0.0-rc.2' }));

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'The tag v2.0.0-rc.2 exists already; tags are never reused',
      ),
    ).toBeInTheDocument();
    expect(dialog).not.toHaveTextContent('Request failed');
    expect(
      within(dialog).getByRole('button', { name: 'Create v2.0.0-rc.2' }),
    ).toBeEnabled();
    expect(recorded.posts).toEqual([{ kind: 'rc' }]);
    expect(onReleased).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('are disabled while a release is being created', async () => {
    let answer!: () => void;
    server.use(
      http.post(
        `${accountsBaseUrl}/services/backend/releases`,
        () =>
          new Promise<Response>(resolve => {
            answer = () =>
              resolve(
                errorResponse(
                  400,
                  'version: 2.0.0 is not higher than the latest release v2.0.0',
                ),
              );
          }),
      ),
    );
    await renderCard();

    fireEvent.click(
      await screen.findByRole('button', { name: 'Release v2.0.0' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create v2.0.0' }));

    const dialog = screen.getByRole('dialog');
    expect(
      await within(dialog).findByRole('button', { name: 'Creating v2.0.0…' }),
    ).toBeDisabled();
    expect(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    ).toBeDisabled();
    const actions = screen.getByRole('group', {
      name: 'Release actions',
      hidden: true,
    });
    for (const button of within(actions).getAllByRole('button', {
      hidden: true,
    })) {
      expect(button).toBeDisabled();
    }
    answer();
    expect(
      await within(dialog).findByText(
        'version: 2.0.0 is not higher than the latest release v2.0.0',
      ),
    ).toBeInTheDocument();
  });
});
