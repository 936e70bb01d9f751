import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { AsyncLocalStorage } from 'async_hooks';
import { realpath } from 'fs/promises';
import { resolve } from 'path';
import {
  ConfigCommit,
  ConfigCommitRequest,
  ConfigCommitResult,
  ConfigFileChange,
  ConfigRepository,
  ConfigRepositoryConflictError,
  ConfigRepositoryLocation,
  ConfigSnapshot,
} from '../ConfigRepository';
import { pathsUnder } from '../sortedPaths';
import {
  assertRepositoryPath,
  repositoryPathProblem,
} from '../repositoryPaths';
import { LruCache } from '../caches';
import { compareAndSwapRef, readRef, RefLockOptions } from './gitFiles';
import { PathHistory } from './history';
import { assertPerson, GitObjectStore } from './objectStore';
import { assertBranchName, prepareRepository } from './prepareRepository';
import { editTree } from './treeEdit';

/** Where the embedded default keeps its repository, from the working directory. */
export const DEFAULT_LOCAL_REPOSITORY_PATH = '.data/config-repo.git';

const DEFAULT_AUTHOR = {
  name: 'Fleet Portal',
  email: 'fleet-portal@localhost',
};
const SHA = /^[0-9a-f]{40}$/;
/** Snapshots kept per instance (each holds the path list of one commit). */
const SNAPSHOTS = 16;
/**
 * `lastCommit` walks at most this many first-parent commits: enough for the
 * portal's "last changed" column, and it keeps one call bounded on a long
 * history (the answer is `undefined` when the path did not change within it).
 */
const LAST_COMMIT_WALK = 1_000;

/** Options of {@link LocalGitConfigRepository.open}. */
export interface LocalGitConfigRepositoryOptions {
  /** Folder of the bare repository; created with an initial commit when missing. */
  path: string;
  /** The branch read and written. Default `main`. */
  branch?: string;
  logger: LoggerService;
  /** Author of the initial commit. Default `Fleet Portal <fleet-portal@localhost>`. */
  author?: { name: string; email: string };
  /** How many times `commit` builds and tries to move the branch. Default 5. */
  maxAttempts?: number;
  /** How long one attempt waits for a ref lock held by another writer. Default 1000 ms. */
  lockTimeoutMs?: number;
  /**
   * A ref lock file older than this was left by a writer that crashed (a
   * live one holds it for milliseconds) and is removed with a warning.
   * Default 5 minutes; `Infinity` never removes one.
   */
  staleLockAfterMs?: number;
}

/**
 * Commits to one branch wait for each other across all instances in this
 * process (keyed by the repository's real path and the ref): racing them
 * optimistically would only make them retry and, with many at once, run out
 * of attempts. Other processes and the git CLI meet the ref lock instead.
 */
const commitQueues = new Map<string, Promise<void>>();
/** The branches whose queue the current async call chain holds. */
const committing = new AsyncLocalStorage<Set<string>>();

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));

class LocalSnapshot implements ConfigSnapshot {
  constructor(
    readonly commit: ConfigCommit,
    private readonly files: Map<string, string>,
    private readonly paths: string[],
    private readonly readBlob: (oid: string) => Promise<string>,
  ) {}

  list(folder: string): string[] {
    return pathsUnder(this.paths, folder, path => this.files.has(path));
  }

  async read(path: string): Promise<string | undefined> {
    const oid = this.files.get(path);
    return oid === undefined ? undefined : this.readBlob(oid);
  }

  blobId(path: string): string | undefined {
    return this.files.get(path);
  }
}

/**
 * The embedded default {@link ConfigRepository}: a bare git repository on
 * disk, read and written with isomorphic-git (no git CLI needed). The branch
 * moves with git's own ref lock and a compare-and-swap, so other instances,
 * other processes and the git CLI can write the same repository safely; a
 * writer whose head moved re-runs `build` on the new head.
 *
 * @public
 */
export class LocalGitConfigRepository implements ConfigRepository {
  readonly location: ConfigRepositoryLocation;

  private readonly ref: string;
  private readonly store: GitObjectStore;
  private readonly history: PathHistory;
  private readonly snapshots = new LruCache<string, Promise<LocalSnapshot>>(
    SNAPSHOTS,
  );
  private lastCommits = {
    head: '',
    paths: new Map<string, ConfigCommit | undefined>(),
  };
  /** Identifies the branch for the process-wide queue (real path + ref). */
  private queueKey = '';
  private readonly maxAttempts: number;
  private readonly lockOptions: RefLockOptions;

  /**
   * Opens the bare repository at `options.path`, creating it (folder, `git
   * init --bare` layout and an initial commit with a README) when it does not
   * exist, and the branch's initial commit when the branch does not. An
   * existing branch is left as it is. Refuses a regular file, a repository
   * with a work tree and a non-empty folder that is not a git repository.
   */
  static async open(
    options: LocalGitConfigRepositoryOptions,
  ): Promise<LocalGitConfigRepository> {
    const repository = new LocalGitConfigRepository(options);
    await prepareRepository({
      store: repository.store,
      ref: repository.ref,
      author: options.author ?? DEFAULT_AUTHOR,
      logger: options.logger,
      lock: repository.lockOptions,
    });
    repository.queueKey = `${await realpath(repository.gitdir)}\0${
      repository.ref
    }`;
    return repository;
  }

  /**
   * Opens the repository configured under `accounts.gitops.repository`:
   * `local.path` (relative to the working directory, default
   * `.data/config-repo.git`) and `branch` (default `main`); the initial
   * commit's author is `accounts.gitops.author` unless `options.author`.
   */
  static async fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      /** Resolves a relative `local.path`. Default `process.cwd()`. */
      workingDirectory?: string;
      author?: { name: string; email: string };
    },
  ): Promise<LocalGitConfigRepository> {
    const section = config.getOptionalConfig('accounts.gitops.repository');
    const path =
      section?.getOptionalString('local.path') ?? DEFAULT_LOCAL_REPOSITORY_PATH;
    const author = config.getOptionalConfig('accounts.gitops.author');
    return LocalGitConfigRepository.open({
      path: resolve(options.workingDirectory ?? process.cwd(), path),
      branch: section?.getOptionalString('branch'),
      logger: options.logger,
      author: options.author ?? {
        name: author?.getOptionalString('name') ?? DEFAULT_AUTHOR.name,
        email: author?.getOptionalString('email') ?? DEFAULT_AUTHOR.email,
      },
    });
  }

  private constructor(
    private readonly options: LocalGitConfigRepositoryOptions,
  ) {
    const branch = options.branch ?? 'main';
    assertBranchName(branch);
    const gitdir = resolve(options.path);
    this.location = { kind: 'local', name: gitdir, branch };
    this.ref = `refs/heads/${branch}`;
    this.store = new GitObjectStore(gitdir);
    this.history = new PathHistory(this.store, LAST_COMMIT_WALK);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.lockOptions = {
      lockTimeoutMs: options.lockTimeoutMs ?? 1000,
      staleLockAfterMs: options.staleLockAfterMs ?? 5 * 60_000,
      logger: options.logger,
    };
  }

  private get gitdir(): string {
    return this.location.name;
  }

  async head(): Promise<ConfigCommit> {
    return (await this.store.commitInfo(await this.headSha())).commit;
  }

  async snapshot(sha?: string): Promise<ConfigSnapshot> {
    const oid = sha === undefined ? await this.headSha() : sha.toLowerCase();
    if (!SHA.test(oid)) {
      throw new InputError(`Invalid commit sha '${sha}'`);
    }
    let snapshot = this.snapshots.get(oid);
    if (!snapshot) {
      snapshot = this.loadSnapshot(oid);
      this.snapshots.set(oid, snapshot);
      // A failed read is not remembered.
      snapshot.catch(() => this.snapshots.delete(oid));
    }
    return snapshot;
  }

  commit(request: ConfigCommitRequest): Promise<ConfigCommitResult> {
    const key = this.queueKey;
    const held = committing.getStore();
    if (held?.has(key)) {
      // Called from a `build` of this branch: waiting would deadlock, so this
      // commit runs now and the outer one re-builds on top of it.
      return this.commitNow(request);
    }
    const inside = new Set(held).add(key);
    const previous = commitQueues.get(key) ?? Promise.resolve();
    const result = previous.then(() =>
      committing.run(inside, () => this.commitNow(request)),
    );
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    commitQueues.set(key, tail);
    tail.then(() => {
      if (commitQueues.get(key) === tail) commitQueues.delete(key);
    });
    return result;
  }

  async lastCommit(path: string): Promise<ConfigCommit | undefined> {
    const target = path.replace(/\/+$/, '');
    if (repositoryPathProblem(target)) return undefined;
    const head = await this.headSha();
    // Answers hold until the branch moves (bounded in case of many paths).
    if (
      this.lastCommits.head !== head ||
      this.lastCommits.paths.size > 10_000
    ) {
      this.lastCommits = { head, paths: new Map() };
    }
    const cache = this.lastCommits.paths;
    if (cache.has(target)) return cache.get(target);
    const found = await this.findLastCommit(head, target);
    cache.set(target, found);
    return found;
  }

  // --- reading -------------------------------------------------------------

  private async headSha(): Promise<string> {
    const sha = await readRef(this.gitdir, this.ref);
    if (!sha) {
      throw new NotFoundError(
        `The config repository ${this.gitdir} has no branch ${this.location.branch}`,
      );
    }
    return sha;
  }

  /** Lists the commit's tree recursively, once per commit (see `snapshot`). */
  private async loadSnapshot(sha: string): Promise<LocalSnapshot> {
    const info = await this.store.commitInfo(sha);
    const files = new Map<string, string>();
    const walk = async (tree: string, prefix: string): Promise<void> => {
      const entries = await this.store.readTree(tree);
      await Promise.all(
        entries.map(async entry => {
          const path = `${prefix}${entry.path}`;
          if (entry.type === 'tree') await walk(entry.oid, `${path}/`);
          // Regular files only: symlinks (120000) and submodules are skipped.
          else if (entry.mode === '100644' || entry.mode === '100755') {
            files.set(path, entry.oid);
          }
        }),
      );
    };
    await walk(info.tree, '');
    const paths = [...files.keys()].sort();
    return new LocalSnapshot(info.commit, files, paths, oid =>
      this.store.readBlob(oid),
    );
  }

  private async findLastCommit(head: string, path: string) {
    const found = await this.history.lastChange(head, path);
    if (!found) {
      this.options.logger.debug(
        `lastCommit(${path}): unchanged in the last ${LAST_COMMIT_WALK} commits before ${head}`,
      );
    }
    return found?.commit;
  }

  // --- writing -------------------------------------------------------------

  /** Moves the branch; a separate method so tests can make it fail. */
  private moveBranch(expected: string, next: string) {
    return compareAndSwapRef(
      this.gitdir,
      this.ref,
      expected,
      next,
      this.lockOptions,
    );
  }

  private async commitNow(
    request: ConfigCommitRequest,
  ): Promise<ConfigCommitResult> {
    assertPerson(request.author);
    if (typeof request.message !== 'string' || request.message.includes('\0')) {
      throw new InputError('Invalid commit message');
    }
    let lockProblem = '';
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      if (attempt > 0) {
        // Jittered, growing backoff (capped), so racing writers spread out.
        await sleep(Math.random() * Math.min(25 * 2 ** attempt, 1000));
      }
      const head = await this.headSha();
      const snapshot = await this.snapshot(head);
      const changes = validate(await request.build(snapshot));
      const base = await this.store.commitInfo(head);
      const { tree, changed } = await editTree(this.store, base.tree, changes);
      if (tree === base.tree) {
        return { status: 'unchanged', commit: base.commit };
      }
      const sha = await this.store.writeCommit(
        tree,
        [head],
        request.message,
        request.author,
      );
      const update = await this.moveBranch(head, sha);
      if (update.status === 'updated') {
        return {
          status: 'committed',
          commit: (await this.store.commitInfo(sha)).commit,
          changed,
          retries: attempt,
        };
      }
      // The commit object just written stays unreachable; `git gc` prunes it.
      if (update.status === 'locked') {
        const stale = this.lockOptions.staleLockAfterMs;
        lockProblem = `; ${
          update.lockPath
        } is held by another writer (for ${Math.round(
          update.ageMs / 1000,
        )} s): if no git process is using the repository, it was left by a crash and may be removed${
          Number.isFinite(stale)
            ? ` (the portal removes one older than ${Math.round(
                stale / 1000,
              )} s)`
            : ''
        }`;
      } else {
        lockProblem = '';
      }
      this.options.logger.debug(
        `Config repository ${this.gitdir}: ${this.location.branch} ${
          update.status
        } during '${request.message}', attempt ${attempt + 1} of ${
          this.maxAttempts
        }`,
      );
    }
    throw new ConfigRepositoryConflictError(
      `Could not commit '${request.message}' to ${this.location.branch} of ${this.gitdir} in ${this.maxAttempts} attempts: the branch kept moving${lockProblem}`,
    );
  }
}

/** Checks every change before anything is written. */
function validate(changes: ConfigFileChange[]): ConfigFileChange[] {
  if (!Array.isArray(changes)) {
    throw new InputError('Invalid changes: build must return an array');
  }
  for (const change of changes) {
    assertRepositoryPath(change?.path);
    const deletes = 'delete' in change && change.delete === true;
    const writes = 'content' in change && typeof change.content === 'string';
    if (deletes === writes) {
      throw new InputError(
        `Invalid change of '${change.path}': give either string content or delete: true`,
      );
    }
  }
  return changes;
}
