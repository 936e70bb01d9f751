import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor } from '@testing-library/react';
import {
  setupReleasesBackend,
  testServiceReleases,
} from '../../__testUtils__/releasesBackend';
import { NextReleaseCard } from './NextReleaseCard';

// The permission hook caches its answers for the whole test file (SWR),
// and the release permission has no resource to tell tests apart: this file
// asks only with the permission denied.
const { render } = setupReleasesBackend();

describe('ReleaseActions', () => {
  it('are hidden from those who may not release', async () => {
    const asked: string[] = [];
    await render(
      <NextReleaseCard
        releases={testServiceReleases()}
        onReleased={jest.fn()}
      />,
      {
        permission: request => {
          asked.push(request.permission.name);
          return AuthorizeResult.DENY;
        },
      },
    );

    expect(await screen.findByText('2.0.0 (major)')).toBeInTheDocument();
    expect(screen.getByText('Commits since v1.4.2')).toBeInTheDocument();
    // The answer arrives after the first render: wait until it was given.
    await waitFor(() => expect(asked).toEqual(['accounts.service.release']));
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('group', { name: 'Release actions' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
