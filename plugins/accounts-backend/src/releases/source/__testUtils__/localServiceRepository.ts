import { execFileSync } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';

/**
 * A bare service repository made with the git CLI (as a developer's pushes
 * would make it), for the local release source's tests: `<name>.git` whose
 * `main` has the commit `chore: initial commit`.
 */
export async function createLocalServiceRepository(name = 'service') {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-service-'));
  const gitdir = join(dir, `${name}.git`);
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['--git-dir', gitdir, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    }).trim();
  execFileSync('git', [
    'init',
    '--quiet',
    '--bare',
    '--initial-branch=main',
    gitdir,
  ]);
  // Every commit has the empty tree: history is what a release reads.
  const emptyTree = execFileSync('git', ['--git-dir', gitdir, 'mktree'], {
    input: '',
    encoding: 'utf8',
  }).trim();

  const commit = async (branch: string, message: string, date: string) => {
    let parent: string | undefined;
    try {
      parent = git([
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ]);
    } catch {
      parent = undefined;
    }
    const person = {
      GIT_AUTHOR_NAME: 'Dana Developer',
      GIT_AUTHOR_EMAIL: 'dana@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: 'Dana Developer',
      GIT_COMMITTER_EMAIL: 'dana@example.com',
      GIT_COMMITTER_DATE: date,
    };
    const sha = git(
      [
        'commit-tree',
        emptyTree,
        ...(parent ? ['-p', parent] : []),
        '-m',
        message,
      ],
      person,
    );
    git(['update-ref', `refs/heads/${branch}`, sha]);
    return sha;
  };
  await commit('main', 'chore: initial commit', '2026-10-01T10:00:00Z');

  return {
    gitdir,
    git,
    commit,
    tag: async (tag: string, sha: string) => {
      git(['tag', tag, sha]);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
