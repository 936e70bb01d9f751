import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { AsyncLocalStorage } from 'async_hooks';
import { lstat, mkdir, readdir, readFile, realpath } from 'fs/promises';
import git from 'isomorphic-git';
import { join, resolve } from 'path';
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
import {
  assertRepositoryPath,
  repositoryPathProblem,
} from '../repositoryPaths';
import {
  compareAndSwapRef,
  gitFileSystem,
  readRef,
  writeFileAtomic,
} from './gitFiles';
import { editTree, TreeEntry } from './treeEdit';

/** Where the embedded default keeps its repository, from the working directory. */
export const DEFAULT_LOCAL_REPOSITORY_PATH = '.data/config-repo.git';

const DEFAULT_AUTHOR = {
  name: 'Fleet Portal',
  email: 'fleet-portal@localhost',
};
const SHA = /^[0-9a-f]{40}$/;
/** What a `git init --bare` under way (ours, in another process) leaves. */
const INIT_NAMES =
  /^(objects|refs|info|hooks|branches|description|HEAD|\.(HEAD|config)\..*)$/;

/** Bounds of the caches; each entry is immutable (keyed by object id). */
const SNAPSHOTS = 16;
const TREES = 20_000;
const COMMITS = 5_000;
const BLOB_BYTES = 32 * 1024 * 1024;
/**
 * `lastCommit` walks at most this many first-parent commits: enough for the
 * portal's "last changed" column, and it keeps one call bounded on a long
 * history (the answer is `undefined` when the path did not change within it).
 */
const LAST_COMMIT_WALK = 1_000;
/** Object reads and writes at once: many, but far below the fd limit. */
const IO_CONCURRENCY = 32;

const README = `# Fleet Portal config repository

Fleet Portal writes the desired state of every account here, one folder per
account and environment: \`k8s/flux/<environment>/<account>/\`. Flux (or any
other GitOps tool) can apply the folders from this repository.

This is a bare git repository kept by the portal's backend. Clone it to read
it, e.g. \`git clone <this folder>\`. Change accounts through the portal: it
makes every commit, and a commit pushed by someone else is never overwritten.
`;

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

interface CommitInfo {
  commit: ConfigCommit;
  tree: string;
  parents: string[];
}

/** A bounded map that forgets the entry used least recently. */
class Lru<V> {
  private readonly entries = new Map<string, V>();
  private total = 0;

  constructor(
    private readonly limit: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.total -= this.weigh(old);
      this.entries.delete(key);
    }
  }

  set(key: string, value: V): void {
    const weight = this.weigh(value);
    if (weight > this.limit) return;
    this.delete(key);
    this.entries.set(key, value);
    this.total += weight;
    for (const [oldest, evicted] of this.entries) {
      if (this.total <= this.limit) break;
      this.entries.delete(oldest);
      this.total -= this.weigh(evicted);
    }
  }
}

/** Runs at most `n` of the given tasks at once. */
function limiter(n: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>(go => waiting.push(go));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
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

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/** Git's rules for branch names, kept strict so the ref stays in refs/heads. */
function assertBranchName(branch: string): void {
  const segments = branch.split('/');
  const bad =
    !branch ||
    segments.some(
      s =>
        !/^[A-Za-z0-9_][-A-Za-z0-9_.]*$/.test(s) ||
        s.endsWith('.lock') ||
        s.endsWith('.') ||
        s.includes('..'),
    );
  if (bad) throw new InputError(`Invalid branch name '${branch}'`);
}

function assertPerson(person: { name: string; email: string }): void {
  for (const [field, value] of Object.entries(person)) {
    // `<`, `>` and control characters would break the commit's header lines.
    if (
      typeof value !== 'string' ||
      /[<>]/.test(value) ||
      [...value].some(c => c.charCodeAt(0) < 0x20)
    ) {
      throw new InputError(`Invalid author ${field}: '${value}'`);
    }
  }
}

class LocalSnapshot implements ConfigSnapshot {
  constructor(
    readonly commit: ConfigCommit,
    private readonly files: Map<string, string>,
    private readonly paths: string[],
    private readonly readBlob: (oid: string) => Promise<string>,
  ) {}

  list(folder: string): string[] {
    const base = folder.replace(/\/+$/, '');
    if (base === '') return [...this.paths];
    const prefix = `${base}/`;
    // Paths under a folder are contiguous in the sorted list.
    let low = 0;
    let high = this.paths.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.paths[middle] < prefix) low = middle + 1;
      else high = middle;
    }
    const out = this.files.has(base) ? [base] : [];
    for (let i = low; i < this.paths.length; i++) {
      if (!this.paths[i].startsWith(prefix)) break;
      out.push(this.paths[i]);
    }
    return out;
  }

  async read(path: string): Promise<string | undefined> {
    const oid = this.files.get(path);
    return oid === undefined ? undefined : this.readBlob(oid);
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
  private readonly fs: ReturnType<typeof gitFileSystem>;
  /** isomorphic-git's own cache (pack indexes). */
  private readonly gitCache = {};
  private readonly io = limiter(IO_CONCURRENCY);
  private readonly snapshots = new Lru<Promise<LocalSnapshot>>(SNAPSHOTS);
  private readonly trees = new Lru<TreeEntry[]>(TREES);
  private readonly commits = new Lru<CommitInfo>(COMMITS);
  private readonly blobs = new Lru<string>(BLOB_BYTES, text => text.length);
  private lastCommits = {
    head: '',
    paths: new Map<string, ConfigCommit | undefined>(),
  };
  /** Identifies the branch for the process-wide queue (real path + ref). */
  private queueKey = '';
  private readonly maxAttempts: number;
  private readonly lockOptions: {
    lockTimeoutMs: number;
    staleLockAfterMs: number;
    logger: LoggerService;
  };

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
    await repository.prepare(options.author ?? DEFAULT_AUTHOR);
    repository.queueKey = `${await realpath(repository.gitdir)}\0${
      repository.ref
    }`;
    return repository;
  }

  /**
   * Opens the repository configured under `accounts.gitops.repository`:
   * `local.path` (relative to the working directory, default
   * `.data/config-repo.git`) and `branch` (default `main`).
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
    return LocalGitConfigRepository.open({
      path: resolve(options.workingDirectory ?? process.cwd(), path),
      branch: section?.getOptionalString('branch'),
      logger: options.logger,
      author: options.author,
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
    this.fs = gitFileSystem(gitdir);
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
    return (await this.commitInfo(await this.headSha())).commit;
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
    if (this.lastCommits.head !== head) {
      this.lastCommits = { head, paths: new Map() };
    }
    const cache = this.lastCommits.paths;
    if (cache.has(target)) return cache.get(target);
    const found = await this.findLastCommit(head, target);
    cache.set(target, found);
    return found;
  }

  // --- opening -------------------------------------------------------------

  private async prepare(author: { name: string; email: string }) {
    const gitdir = this.gitdir;
    const what = `Config repository ${gitdir}`;
    const info = await lstat(gitdir).catch(error => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (info && !info.isDirectory()) {
      throw new Error(
        `${what} is not a folder; expected a bare git repository`,
      );
    }
    if (info) {
      const names = await readdir(gitdir);
      if (names.includes('.git')) {
        throw new Error(
          `${what} is a git work tree; give the path of a bare repository (git init --bare)`,
        );
      }
      if (names.includes('config')) {
        const bare = await git.getConfig({
          fs: this.fs,
          gitdir,
          path: 'core.bare',
        });
        if (bare !== true && bare !== 'true') {
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
    const created = !(await this.exists('config'));
    if (created) await this.initBare();

    if ((await readRef(gitdir, this.ref)) !== undefined) {
      await this.warnOnOtherHead();
      return;
    }
    assertPerson(author);
    const tree = await editTree(this.treeStore(), await this.emptyTree(), [
      { path: 'README.md', content: README },
    ]);
    const sha = await this.writeCommit(
      tree.tree,
      [],
      'Initial commit\n\nCreated by Fleet Portal.',
      author,
    );
    const update = await compareAndSwapRef(
      gitdir,
      this.ref,
      undefined,
      sha,
      this.lockOptions,
    );
    if (update.status === 'locked') {
      throw new Error(`${what}: ${update.lockPath} is held by another writer`);
    }
    // 'moved': another opener made the initial commit first; use theirs.
    if (update.status === 'updated') {
      this.options.logger.info(
        `Created the initial commit of ${this.location.branch} in the config repository ${gitdir}`,
      );
    }
    if (!created) await this.warnOnOtherHead();
  }

  /** Git's `init --bare` layout; `config` last, as the mark of a finished init. */
  private async initBare() {
    const gitdir = this.gitdir;
    for (const folder of [
      'objects/info',
      'objects/pack',
      'refs/heads',
      'refs/tags',
      'info',
    ]) {
      await mkdir(join(gitdir, folder), { recursive: true });
    }
    if (!(await this.exists('HEAD'))) {
      await writeFileAtomic(join(gitdir, 'HEAD'), `ref: ${this.ref}\n`, {
        fsync: true,
      });
    }
    await writeFileAtomic(
      join(gitdir, 'config'),
      '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n',
      { fsync: true },
    );
    this.options.logger.info(`Created the bare config repository ${gitdir}`);
  }

  /** A clone checks out HEAD's branch: say so when that is not ours. */
  private async warnOnOtherHead() {
    const head = await readFile(join(this.gitdir, 'HEAD'), 'utf8').catch(
      () => '',
    );
    if (head.trim() !== `ref: ${this.ref}`) {
      this.options.logger.warn(
        `The config repository ${this.gitdir} has HEAD '${head.trim()}', not ${
          this.ref
        }: a clone checks out another branch than the portal writes`,
      );
    }
  }

  private async exists(name: string): Promise<boolean> {
    return lstat(join(this.gitdir, name)).then(
      () => true,
      () => false,
    );
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

  private async commitInfo(sha: string): Promise<CommitInfo> {
    const cached = this.commits.get(sha);
    if (cached) return cached;
    let read;
    try {
      read = await this.io(() =>
        git.readCommit({
          fs: this.fs,
          gitdir: this.gitdir,
          oid: sha,
          cache: this.gitCache,
        }),
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'NotFoundError' || code === 'ObjectTypeError') {
        throw new NotFoundError(
          `No commit ${sha} in the config repository ${this.gitdir}`,
        );
      }
      throw error;
    }
    const { commit } = read;
    const info: CommitInfo = {
      commit: {
        sha,
        message: commit.message.replace(/\n+$/, ''),
        author: { name: commit.author.name, email: commit.author.email },
        committedAt: new Date(commit.committer.timestamp * 1000).toISOString(),
      },
      tree: commit.tree,
      parents: commit.parent,
    };
    this.commits.set(sha, info);
    return info;
  }

  private async readTree(oid: string): Promise<TreeEntry[]> {
    const cached = this.trees.get(oid);
    if (cached) return cached;
    const { tree } = await this.io(() =>
      git.readTree({
        fs: this.fs,
        gitdir: this.gitdir,
        oid,
        cache: this.gitCache,
      }),
    );
    this.trees.set(oid, tree);
    return tree;
  }

  private async readBlob(oid: string): Promise<string> {
    const cached = this.blobs.get(oid);
    if (cached !== undefined) return cached;
    const { blob } = await this.io(() =>
      git.readBlob({
        fs: this.fs,
        gitdir: this.gitdir,
        oid,
        cache: this.gitCache,
      }),
    );
    const text = Buffer.from(blob).toString('utf8');
    this.blobs.set(oid, text);
    return text;
  }

  /** Lists the commit's tree recursively, once per commit (see `snapshot`). */
  private async loadSnapshot(sha: string): Promise<LocalSnapshot> {
    const info = await this.commitInfo(sha);
    const files = new Map<string, string>();
    const walk = async (tree: string, prefix: string): Promise<void> => {
      const entries = await this.readTree(tree);
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
      this.readBlob(oid),
    );
  }

  /** The entry (mode and oid) at `path` in a tree, or `undefined`. */
  private async entryAt(
    tree: string,
    path: string,
  ): Promise<string | undefined> {
    let oid = tree;
    let mode = '040000';
    for (const segment of path.split('/')) {
      if (mode !== '040000') return undefined;
      const entry = (await this.readTree(oid)).find(e => e.path === segment);
      if (!entry) return undefined;
      oid = entry.oid;
      mode = entry.mode;
    }
    return `${mode} ${oid}`;
  }

  private async findLastCommit(head: string, path: string) {
    let sha = head;
    let info = await this.commitInfo(sha);
    let mine = await this.entryAt(info.tree, path);
    for (let walked = 0; walked < LAST_COMMIT_WALK; walked++) {
      const parentSha = info.parents[0];
      if (!parentSha) return mine === undefined ? undefined : info.commit;
      const parent = await this.commitInfo(parentSha);
      const theirs = await this.entryAt(parent.tree, path);
      if (mine !== theirs) return info.commit;
      sha = parentSha;
      info = parent;
      mine = theirs;
    }
    this.options.logger.debug(
      `lastCommit(${path}): unchanged in the last ${LAST_COMMIT_WALK} commits before ${head}`,
    );
    return undefined;
  }

  // --- writing -------------------------------------------------------------

  private treeStore() {
    return {
      readTree: (oid: string) => this.readTree(oid),
      writeTree: (tree: TreeEntry[]) =>
        this.io(() =>
          git.writeTree({ fs: this.fs, gitdir: this.gitdir, tree }),
        ),
      writeBlob: (content: string) =>
        this.io(() =>
          git.writeBlob({
            fs: this.fs,
            gitdir: this.gitdir,
            blob: Buffer.from(content, 'utf8'),
          }),
        ),
    };
  }

  private emptyTree(): Promise<string> {
    return this.io(() =>
      git.writeTree({ fs: this.fs, gitdir: this.gitdir, tree: [] }),
    );
  }

  private async writeCommit(
    tree: string,
    parents: string[],
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    const now = Date.now();
    const person = {
      ...author,
      timestamp: Math.floor(now / 1000),
      timezoneOffset: new Date(now).getTimezoneOffset(),
    };
    return this.io(() =>
      git.writeCommit({
        fs: this.fs,
        gitdir: this.gitdir,
        commit: {
          tree,
          parent: parents,
          author: person,
          committer: person,
          message,
        },
      }),
    );
  }

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
        // Jittered, growing backoff, so racing writers spread out.
        await sleep(Math.random() * 25 * 2 ** attempt);
      }
      const head = await this.headSha();
      const snapshot = await this.snapshot(head);
      const changes = validate(await request.build(snapshot));
      const base = await this.commitInfo(head);
      const { tree, changed } = await editTree(
        this.treeStore(),
        base.tree,
        changes,
      );
      if (tree === base.tree) {
        return { status: 'unchanged', commit: base.commit };
      }
      const sha = await this.writeCommit(
        tree,
        [head],
        request.message,
        request.author,
      );
      const update = await this.moveBranch(head, sha);
      if (update.status === 'updated') {
        return {
          status: 'committed',
          commit: (await this.commitInfo(sha)).commit,
          changed,
          retries: attempt,
        };
      }
      // The commit object just written stays unreachable; `git gc` prunes it.
      if (update.status === 'locked') {
        lockProblem = `; ${
          update.lockPath
        } is held by another writer (for ${Math.round(
          update.ageMs / 1000,
        )} s): if no git process is using the repository, it was left by a crash and may be removed (the portal removes one older than ${Math.round(
          this.lockOptions.staleLockAfterMs / 1000,
        )} s)`;
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
