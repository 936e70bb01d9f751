import { mockServices } from '@backstage/backend-test-utils';
import { LocalGitReleaseSource } from './LocalGitReleaseSource';
import { describeReleaseSourceContract } from './__testUtils__/releaseSourceContract';
import { createLocalServiceRepository } from './__testUtils__/localServiceRepository';

describeReleaseSourceContract('LocalGitReleaseSource', async () => {
  const repository = await createLocalServiceRepository();
  return {
    source: () =>
      new LocalGitReleaseSource({
        gitdir: repository.gitdir,
        logger: mockServices.logger.mock(),
      }),
    commit: repository.commit,
    tag: repository.tag,
    close: repository.remove,
  };
});

describe('LocalGitReleaseSource', () => {
  it('writes releases as annotated tags that git itself reads, and has no pull requests', async () => {
    const repository = await createLocalServiceRepository();
    try {
      const source = new LocalGitReleaseSource({
        gitdir: repository.gitdir,
        logger: mockServices.logger.mock(),
      });
      const head = await source.branchHead('main');
      await source.createRelease({
        tag: 'v0.1.0',
        sha: head,
        name: 'v0.1.0',
        notes: '- first',
        prerelease: false,
      });
      expect(repository.git(['cat-file', '-t', 'v0.1.0'])).toBe('tag');
      expect(repository.git(['rev-parse', 'v0.1.0^{commit}'])).toBe(head);
      expect(
        repository.git(['tag', '-l', '--format=%(contents)', 'v0.1.0']),
      ).toBe('v0.1.0\n\n- first');
      repository.git(['fsck', '--strict', '--no-dangling']);
      expect(
        await source.openPullRequest({
          head: 'release-v0.1.1',
          base: 'main',
          title: 'x',
          body: 'y',
        }),
      ).toBeUndefined();
      await expect(source.createBranch('../escape', head)).rejects.toThrow(
        /Invalid branch name/,
      );
    } finally {
      await repository.remove();
    }
  });
});
