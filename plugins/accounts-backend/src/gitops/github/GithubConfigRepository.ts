import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Octokit } from '@octokit/rest';
import {
  ConfigCommit,
  ConfigCommitRequest,
  ConfigCommitResult,
  ConfigRepository,
  ConfigRepositoryConflictError,
  ConfigRepositoryLocation,
} from '../ConfigRepository';
import { repositoryPathProblem } from '../repositoryPaths';
import { LruCache, cachedPromise } from '../caches';
import { GithubClientTuning, createGithubClient } from './githubClient';
import { readGithubRepositorySettings } from './githubConfig';
import { GithubReader, GithubRequestFailure } from './GithubReader';
import { GithubSnapshot } from './GithubSnapshot';
import { planChanges } from './planChanges';

/** Options of the {@link GithubConfigRepository} constructor. */
export interface GithubConfigRepositoryOptions extends GithubClientTuning {
  owner: string;
  repo: string;
  /** Default `main`. */
  branch?: string;
  /** The web host for links; default `github.com`. */
  host?: string;
  /** The REST API's base URL; default `https://api.github.com`. */
  baseUrl?: string;
  /** A token, or a function giving the token for the next request. */
  token: string | (() => Promise<string>);
  logger: LoggerService;
  /** Commit attempts when the branch keeps moving; default 5. */
  commitAttempts?: number;
  /** Base of the jittered wait between those attempts; default 200 ms. */
  conflictBackoffMs?: number;
  /** Snapshots (one per commit) kept in memory; default 4. */
  maxCachedSnapshots?: number;
  /**
   * File contents kept in memory (UTF-16 characters, about bytes for YAML);
   * default 32 M. A repository larger than this is read from archives only
   * partly, the rest blob by blob.
   */
  maxCachedBlobBytes?: number;
  /** Blob reads in flight at once; default 8. */
  blobConcurrency?: number;
  /**
   * After this many file reads of one commit missed the cache, the rest
   * come from the commit's tarball (one request); default 32.
   */
  archiveAfterBlobReads?: number;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Git wants whole seconds; GitHub prints dates in UTC. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A {@link ConfigRepository} on one branch of a GitHub repository, through
 * the Git Data API. Reads one recursive tree per new head commit and caches
 * snapshots by commit and contents by blob. Writes each change as one commit
 * with at most three write calls (tree with inline contents, commit, ref
 * update), sending only the files that differ, and moves the branch only
 * forward: when another writer got there first, the change is rebuilt on
 * the new head and retried.
 */
export class GithubConfigRepository implements ConfigRepository {
  readonly location: ConfigRepositoryLocation;

  private readonly octokit: Octokit;
  private readonly reader: GithubReader;
  private readonly logger: LoggerService;
  private readonly snapshots: LruCache<string, Promise<GithubSnapshot>>;
  private lastCommits = {
    head: '',
    paths: new Map<string, Promise<ConfigCommit | undefined>>(),
  };

  /**
   * The repository of `accounts.gitops.repository.github` (`owner`, `repo`,
   * `host`, default `github.com`) and `accounts.gitops.repository.branch`
   * (default `main`), authenticated through `integrations.github` for that
   * host (a token or a GitHub App), at the integration's `apiBaseUrl`.
   */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService } & GithubClientTuning,
  ): GithubConfigRepository {
    const settings = readGithubRepositorySettings(config);
    return new GithubConfigRepository({
      ...options,
      owner: settings.owner,
      repo: settings.repo,
      branch: settings.branch,
      host: settings.host,
      baseUrl: settings.apiBaseUrl,
      token: settings.getToken,
    });
  }

  constructor(private readonly options: GithubConfigRepositoryOptions) {
    const { owner, repo, token } = options;
    const branch = options.branch ?? 'main';
    const host = options.host ?? 'github.com';
    this.logger = options.logger;
    this.location = {
      kind: 'github',
      name: `${owner}/${repo}`,
      branch,
      url: `https://${host}/${owner}/${repo}/tree/${branch}`,
    };
    this.octokit = createGithubClient({
      ...options,
      baseUrl: options.baseUrl ?? 'https://api.github.com',
      getToken: typeof token === 'string' ? async () => token : token,
    });
    this.reader = new GithubReader({
      octokit: this.octokit,
      owner,
      repo,
      branch,
      logger: options.logger,
      maxCachedBlobBytes: options.maxCachedBlobBytes,
      archiveAfterBlobReads: options.archiveAfterBlobReads,
      blobConcurrency: options.blobConcurrency,
    });
    this.snapshots = new LruCache(options.maxCachedSnapshots ?? 4);
  }

  async head(): Promise<ConfigCommit> {
    const sha = await this.reader.headSha();
    return (await this.reader.commitInfo(sha)).commit;
  }

  async snapshot(sha?: string): Promise<GithubSnapshot> {
    const commitSha = sha ?? (await this.reader.headSha());
    // One tree read per commit, shared by concurrent callers.
    return cachedPromise(this.snapshots, commitSha, () =>
      this.reader.readSnapshot(commitSha),
    );
  }

  async commit(request: ConfigCommitRequest): Promise<ConfigCommitResult> {
    const attempts = this.options.commitAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const base = await this.snapshot();
      const plan = planChanges(base, await request.build(base));
      if (plan.entries.length === 0) {
        return { status: 'unchanged', commit: base.commit };
      }
      const { owner, repo } = this.options;
      const tree = await this.reader.call('create a tree in', () =>
        this.octokit.git.createTree({
          owner,
          repo,
          base_tree: base.treeSha,
          tree: plan.entries,
        }),
      );
      if (tree.data.sha === base.treeSha) {
        return { status: 'unchanged', commit: base.commit };
      }
      // Explicit dates make a retried POST create the very same commit.
      const signature = { ...request.author, date: isoSeconds(new Date()) };
      const created = await this.reader.call('create a commit in', () =>
        this.octokit.git.createCommit({
          owner,
          repo,
          message: request.message,
          tree: tree.data.sha,
          parents: [base.commit.sha],
          author: signature,
          committer: signature,
        }),
      );
      const commit: ConfigCommit = {
        sha: created.data.sha,
        message: created.data.message,
        author: {
          name: created.data.author.name,
          email: created.data.author.email,
        },
        committedAt: created.data.committer.date,
        url: created.data.html_url,
      };
      if (await this.moveBranch(commit.sha)) {
        this.reader.remember(commit, tree.data.sha, plan.contents);
        this.snapshots.set(
          commit.sha,
          Promise.resolve(
            base.derive(commit, tree.data.sha, plan.changes, files =>
              this.reader.contentReader(commit.sha, files),
            ),
          ),
        );
        return {
          status: 'committed',
          commit,
          changed: plan.changed,
          retries: attempt - 1,
        };
      }
      if (attempt >= attempts) {
        throw new ConfigRepositoryConflictError(
          `${this.describe()} kept moving: ${attempts} attempts to commit '${
            request.message.split('\n')[0]
          }' each met a newer head`,
        );
      }
      this.logger.info(
        'Config repository branch moved; rebuilding the change',
        {
          repository: this.describe(),
          attempt,
        },
      );
      const backoff = this.options.conflictBackoffMs ?? 200;
      await sleep(backoff * attempt * (0.5 + Math.random()));
    }
  }

  async lastCommit(path: string): Promise<ConfigCommit | undefined> {
    const target = path.replace(/\/+$/, '');
    if (repositoryPathProblem(target)) return undefined;
    const head = await this.reader.headSha();
    if (this.lastCommits.head !== head) {
      this.lastCommits = { head, paths: new Map() };
    }
    const cache = this.lastCommits.paths;
    let found = cache.get(target);
    if (!found) {
      found = this.reader.lastCommit(head, target);
      cache.set(target, found);
      found.catch(() => cache.delete(target));
    }
    return found;
  }

  /**
   * Moves the branch to `sha` without forcing. False when the branch moved
   * in between (GitHub's 422 "Update is not a fast forward").
   */
  private async moveBranch(sha: string): Promise<boolean> {
    const { owner, repo } = this.options;
    try {
      await this.octokit.git.updateRef({
        owner,
        repo,
        ref: `heads/${this.location.branch}`,
        sha,
        force: false,
      });
      return true;
    } catch (error) {
      const failure = error as GithubRequestFailure;
      if (failure.status === 422 && /fast.forward/i.test(failure.message)) {
        return false;
      }
      // The update may have landed with its answer lost: look before failing.
      const head = await this.reader.headSha().catch(() => undefined);
      if (head === sha) return true;
      throw this.reader.failure('update', error);
    }
  }

  private describe(): string {
    return `${this.location.name}@${this.location.branch}`;
  }
}
