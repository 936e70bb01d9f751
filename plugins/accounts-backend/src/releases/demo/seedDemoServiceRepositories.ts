import { LoggerService } from '@backstage/backend-plugin-api';
import * as fs from 'fs';
import git from 'isomorphic-git';
import { join } from 'path';
import { gitFileSystem } from '../../gitops/local/gitFiles';
import { LocalGitReleaseSource } from '../source/LocalGitReleaseSource';
import { readConventionalCommit } from '../versions/conventionalCommit';
import { releaseNotes } from '../releaseNotes';

/** A demo service's history: commits, and the releases cut along the way. */
type Step = { commit: string } | { release: string };

const FEATURES = [
  'feat: cohorts of accounts',
  'feat(api): filter by region',
  'feat: export usage per account',
  'feat(ui): dark mode for the console',
];
const FIXES = [
  'fix: refuse empty account names',
  'fix(api): 404 instead of 500 for unknown ids',
  'chore: bump dependencies',
  'fix: retry the queue consumer after a reconnect',
  'refactor: one place for the retry policy',
  'docs: how to run the service locally',
];

/**
 * The history of a demo service whose production version is `production`
 * (`X.Y.Z`): releases up to it with Conventional Commits between them,
 * then unreleased commits on main (a feature and fixes), so the Releases
 * tab has a next version to show. Deterministic for a service.
 */
export function demoHistory(production: string): Step[] {
  const [major, minor, patch] = production.split('.').map(Number);
  const steps: Step[] = [];
  let n = 0;
  const commit = (pool: string[]) =>
    steps.push({ commit: pool[n++ % pool.length] });
  commit(['chore: initial commit']);
  commit(FEATURES);
  steps.push({ release: `${major}.${minor}.0` });
  for (let p = 1; p <= patch; p++) {
    commit(FIXES);
    steps.push({ release: `${major}.${minor}.${p}` });
  }
  commit(FEATURES);
  commit(FIXES);
  commit(FIXES);
  return steps;
}

/**
 * Creates, for each service with no repository yet under `path`, a bare
 * repository `<service>.git` with {@link demoHistory}: commits written with
 * isomorphic-git (an empty tree: the history is what releases read),
 * releases as the portal writes them. Existing repositories are left alone.
 */
export async function seedDemoServiceRepositories(options: {
  path: string;
  /** service → its production version (`X.Y.Z`). */
  services: ReadonlyMap<string, string>;
  logger: LoggerService;
}): Promise<number> {
  let seeded = 0;
  for (const [service, production] of options.services) {
    const gitdir = join(options.path, `${service}.git`);
    if (fs.existsSync(gitdir)) continue;
    await seedRepository(gitdir, demoHistory(production), options.logger);
    seeded += 1;
  }
  if (seeded > 0) {
    options.logger.info(
      `Seeded ${seeded} demo service repositories in ${options.path}`,
    );
  }
  return seeded;
}

async function seedRepository(
  gitdir: string,
  steps: Step[],
  logger: LoggerService,
) {
  const fsys = gitFileSystem(gitdir);
  await git.init({ fs: fsys, gitdir, bare: true, defaultBranch: 'main' });
  const tree = await git.writeTree({ fs: fsys, gitdir, tree: [] });
  const source = new LocalGitReleaseSource({ gitdir, logger });
  // A day apart, ending a day ago.
  const commits = steps.filter(s => 'commit' in s).length;
  let time = Math.floor(Date.now() / 1000) - (commits + 1) * 86_400;
  let parent: string | undefined;
  let previous: string | undefined;
  let since: Array<{ sha: string; message: string }> = [];
  for (const step of steps) {
    if ('commit' in step) {
      time += 86_400;
      const person = {
        name: 'Dana Developer',
        email: 'dana@example.com',
        timestamp: time,
        timezoneOffset: 0,
      };
      parent = await git.writeCommit({
        fs: fsys,
        gitdir,
        commit: {
          tree,
          parent: parent ? [parent] : [],
          author: person,
          committer: person,
          message: `${step.commit}\n`,
        },
      });
      await git.writeRef({
        fs: fsys,
        gitdir,
        ref: 'refs/heads/main',
        value: parent,
        force: true,
      });
      since.push({ sha: parent, message: step.commit });
    } else {
      const tag = `v${step.release}`;
      const commitsByBump = { major: [], minor: [], patch: [] } as Record<
        'major' | 'minor' | 'patch',
        ReturnType<typeof readConventionalCommit>[]
      >;
      for (const c of [...since].reverse()) {
        const read = readConventionalCommit(c);
        commitsByBump[read.bump].push(read);
      }
      await source.createRelease({
        tag,
        sha: parent!,
        name: tag,
        notes: releaseNotes({ tag, previous, commits: commitsByBump }),
        prerelease: false,
      });
      previous = tag;
      since = [];
    }
  }
}
