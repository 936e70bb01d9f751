import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { lstat, mkdir, readdir, readFile } from 'fs/promises';
import { join } from 'path';
import {
  compareAndSwapRef,
  readRef,
  RefLockOptions,
  writeFileAtomic,
} from './gitFiles';
import { GitObjectStore } from './objectStore';
import { editTree } from './treeEdit';

/** What a `git init --bare` under way (ours, in another process) leaves. */
const INIT_NAMES =
  /^(objects|refs|info|hooks|branches|description|HEAD|\.(HEAD|config)\..*)$/;

const README = `# Fleet Portal config repository

Fleet Portal writes the desired state of every account here, one folder per
account and environment: \`k8s/flux/<environment>/<account>/\`. Flux (or any
other GitOps tool) can apply the folders from this repository.

This is a bare git repository kept by the portal's backend. Clone it to read
it, e.g. \`git clone <this folder>\`. Change accounts through the portal: it
makes every commit, and a commit pushed by someone else is never overwritten.
`;

/** Git's rules for branch names, kept strict so the ref stays in refs/heads. */
export function assertBranchName(branch: string): void {
  const bad =
    typeof branch !== 'string' ||
    branch
      .split('/')
      .some(
        segment =>
          !/^[A-Za-z0-9_][-A-Za-z0-9_.]*$/.test(segment) ||
          segment.endsWith('.lock') ||
          segment.endsWith('.') ||
          segment.includes('..'),
      );
  if (bad) throw new InputError(`Invalid branch name '${branch}'`);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Makes `store.gitdir` a bare repository whose branch `ref` exists: creates
 * the folder and git's layout when missing, and an initial commit holding a
 * README when the branch is missing. Changes nothing in a repository whose
 * branch exists. Refuses a regular file, a work tree (or its `.git`) and a
 * non-empty folder that is not a git repository, before writing anything.
 * Safe when several processes open the same new path at once: one initial
 * commit wins the ref, the others use it.
 */
export async function prepareRepository(options: {
  store: GitObjectStore;
  ref: string;
  author: { name: string; email: string };
  logger: LoggerService;
  lock: RefLockOptions;
}): Promise<void> {
  const { store, ref, logger } = options;
  const gitdir = store.gitdir;
  const what = `Config repository ${gitdir}`;
  const info = await lstat(gitdir).catch(error => {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (info && !info.isDirectory()) {
    throw new Error(`${what} is not a folder; expected a bare git repository`);
  }
  if (info) {
    const names = await readdir(gitdir);
    if (names.includes('.git')) {
      throw new Error(
        `${what} is a git work tree; give the path of a bare repository (git init --bare)`,
      );
    }
    if (names.includes('config')) {
      if (!(await store.isBare())) {
        throw new Error(
          `${what} is not a bare repository (core.bare is not true)`,
        );
      }
    } else if (!names.every(name => INIT_NAMES.test(name))) {
      throw new Error(
        `${what} is a folder that is not empty and not a git repository`,
      );
    }
  }
  if (!(await exists(join(gitdir, 'config')))) {
    await initBare(gitdir, ref);
    logger.info(`Created the bare config repository ${gitdir}`);
  }

  if ((await readRef(gitdir, ref)) === undefined) {
    const { tree } = await editTree(store, await store.writeTree([]), [
      { path: 'README.md', content: README },
    ]);
    const sha = await store.writeCommit(
      tree,
      [],
      'Initial commit\n\nCreated by Fleet Portal.',
      options.author,
    );
    const update = await compareAndSwapRef(
      gitdir,
      ref,
      undefined,
      sha,
      options.lock,
    );
    if (update.status === 'locked') {
      throw new Error(`${what}: ${update.lockPath} is held by another writer`);
    }
    // 'moved': another opener made the initial commit first; theirs is used.
    if (update.status === 'updated') {
      logger.info(`Created the initial commit of ${ref} in ${gitdir}`);
    }
  }

  // A clone checks out HEAD's branch: say so when that is not ours.
  const head = (
    await readFile(join(gitdir, 'HEAD'), 'utf8').catch(() => '')
  ).trim();
  if (head !== `ref: ${ref}`) {
    logger.warn(
      `${what} has HEAD '${head}', not ${ref}: a clone checks out another branch than the portal writes`,
    );
  }
}

/** Git's `init --bare` layout; `config` last, as the mark of a finished init. */
async function initBare(gitdir: string, ref: string): Promise<void> {
  for (const folder of [
    'objects/info',
    'objects/pack',
    'refs/heads',
    'refs/tags',
    'info',
  ]) {
    await mkdir(join(gitdir, folder), { recursive: true });
  }
  if (!(await exists(join(gitdir, 'HEAD')))) {
    await writeFileAtomic(join(gitdir, 'HEAD'), `ref: ${ref}\n`, {
      fsync: true,
    });
  }
  await writeFileAtomic(
    join(gitdir, 'config'),
    '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n',
    { fsync: true },
  );
}
