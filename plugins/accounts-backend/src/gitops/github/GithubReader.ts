import { Octokit } from '@octokit/rest';
import { ConfigCommit } from '../ConfigRepository';
import { ConcurrencyLimit, LruCache, cachedPromise } from '../caches';
import { AnnotatedRequestError, describeGithubFailure } from './githubClient';
import { LoggerService } from '@backstage/backend-plugin-api';
import { GithubFileEntry, GithubSnapshot, gitBlobSha } from './GithubSnapshot';
import { readTarball } from './readTarball';

/** An error as Octokit throws it, with the attempts the client made. */
export type GithubRequestFailure = AnnotatedRequestError;

interface CommitInfo {
  commit: ConfigCommit;
  treeSha: string;
}

/** A commit of the REST API (`git.getCommit` or `repos.listCommits`). */
interface ApiCommit {
  sha: string;
  message: string;
  author: { name?: string; email?: string } | null;
  committer: { date?: string } | null;
  html_url: string;
}

function toConfigCommit(c: ApiCommit): ConfigCommit {
  return {
    sha: c.sha,
    message: c.message,
    author: { name: c.author?.name ?? '', email: c.author?.email ?? '' },
    committedAt: c.committer?.date ?? '',
    url: c.html_url,
  };
}

/** Regular files: what a snapshot lists (not symlinks or submodules). */
const FILE_MODES = new Set(['100644', '100755']);

/**
 * The read side of the GitHub config repository: the branch head, commits
 * (cached by sha), recursive trees and blob contents (cached by blob sha,
 * read lazily with a small concurrency limit), and the errors that name the
 * repository and the operation that failed.
 */
export class GithubReader {
  private readonly commits = new LruCache<string, Promise<CommitInfo>>(256);
  private readonly blobs: LruCache<string, string>;
  private readonly blobReads = new Map<string, Promise<string>>();
  private readonly blobLimit: ConcurrencyLimit;

  constructor(
    private readonly options: {
      octokit: Octokit;
      owner: string;
      repo: string;
      branch: string;
      logger: LoggerService;
      maxCachedBlobBytes?: number;
      blobConcurrency?: number;
      archiveAfterBlobReads?: number;
    },
  ) {
    this.blobs = new LruCache(
      options.maxCachedBlobBytes ?? 32 * 1024 * 1024,
      content => content.length,
    );
    this.blobLimit = new ConcurrencyLimit(options.blobConcurrency ?? 8);
  }

  /** The commit the branch points at now (one small read). */
  async headSha(): Promise<string> {
    const { octokit, owner, repo, branch } = this.options;
    const { data } = await this.call('read the head of', () =>
      octokit.git.getRef({ owner, repo, ref: `heads/${branch}` }),
    );
    return data.object.sha;
  }

  commitInfo(sha: string): Promise<CommitInfo> {
    const { octokit, owner, repo } = this.options;
    return cachedPromise(this.commits, sha, async () => {
      const { data } = await this.call('read a commit of', () =>
        octokit.git.getCommit({ owner, repo, commit_sha: sha }),
      );
      return { commit: toConfigCommit(data), treeSha: data.tree.sha };
    });
  }

  /** The snapshot of a commit: one recursive tree read. */
  async readSnapshot(sha: string): Promise<GithubSnapshot> {
    const { commit, treeSha } = await this.commitInfo(sha);
    const files = new Map<string, GithubFileEntry>();
    for (const entry of await this.listTree(treeSha, '')) {
      if (entry.type === 'blob' && FILE_MODES.has(entry.mode)) {
        files.set(entry.path, { sha: entry.sha, mode: entry.mode });
      }
    }
    return new GithubSnapshot(
      commit,
      treeSha,
      files,
      this.contentReader(sha, files),
    );
  }

  /**
   * Reads contents of one commit's files by blob sha: from the cache, blob
   * by blob while few are wanted, and once more than `archiveAfterBlobReads`
   * (default 32) missed the cache, from the commit's tarball in one request
   * instead of one request per file (GitHub counts every request).
   */
  contentReader(
    commitSha: string,
    files: ReadonlyMap<string, GithubFileEntry>,
  ): (sha: string) => Promise<string> {
    const limit = this.options.archiveAfterBlobReads ?? 32;
    let misses = 0;
    let archive: Promise<void> | undefined;
    return async sha => {
      const cached = this.blobs.get(sha);
      if (cached !== undefined) return cached;
      misses += 1;
      if (!archive && misses > limit) {
        archive = this.loadArchive(commitSha, files);
      }
      if (archive) {
        await archive;
        const loaded = this.blobs.get(sha);
        if (loaded !== undefined) return loaded;
      }
      return this.readBlob(sha);
    };
  }

  /** Records what a commit of ours holds, so reading it costs nothing. */
  remember(
    commit: ConfigCommit,
    treeSha: string,
    contents: ReadonlyMap<string, string>,
  ): void {
    this.commits.set(commit.sha, Promise.resolve({ commit, treeSha }));
    for (const [sha, content] of contents) {
      this.blobs.set(sha, content);
    }
  }

  /** The newest commit from `head` that touched `path`. */
  async lastCommit(head: string, path: string) {
    const { octokit, owner, repo } = this.options;
    const { data } = await this.call('list the history of', () =>
      octokit.repos.listCommits({ owner, repo, sha: head, path, per_page: 1 }),
    );
    const [found] = data;
    if (!found) return undefined;
    return toConfigCommit({
      sha: found.sha,
      message: found.commit.message,
      author: found.commit.author,
      committer: found.commit.committer,
      html_url: found.html_url,
    });
  }

  /** Runs a request; a failure becomes an error naming what was tried. */
  async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  /** An error naming the repository, the operation and the tries made. */
  failure(operation: string, error: unknown): Error {
    const { owner, repo, branch } = this.options;
    return describeGithubFailure(
      operation,
      `${owner}/${repo}@${branch}`,
      error,
    );
  }

  /**
   * Puts the files of a commit's tarball into the blob cache. A file whose
   * content does not hash to its blob (an export attribute changed it) is
   * left to be read by blob; so is everything when the download fails.
   */
  private async loadArchive(
    commitSha: string,
    files: ReadonlyMap<string, GithubFileEntry>,
  ): Promise<void> {
    const { octokit, owner, repo, logger } = this.options;
    try {
      const { data } = await this.call('download the archive of', () =>
        octokit.repos.downloadTarballArchive({ owner, repo, ref: commitSha }),
      );
      const contents = readTarball(Buffer.from(data as ArrayBuffer));
      let cached = 0;
      for (const [path, entry] of files) {
        const content = contents.get(path)?.toString('utf8');
        if (content !== undefined && gitBlobSha(content) === entry.sha) {
          this.blobs.set(entry.sha, content);
          cached += 1;
        }
      }
      if (cached < files.size) {
        logger.info(
          'Some files of the config repository archive are read one by one',
          {
            commit: commitSha,
            files: files.size,
            fromArchive: cached,
          },
        );
      }
    } catch (error) {
      logger.warn(
        'Could not read the config repository archive; reading files one by one',
        {
          commit: commitSha,
          error: (error as Error).message,
        },
      );
    }
  }

  private readBlob(sha: string): Promise<string> {
    const cached = this.blobs.get(sha);
    if (cached !== undefined) return Promise.resolve(cached);
    // Concurrent reads of one blob share a request.
    let pending = this.blobReads.get(sha);
    if (!pending) {
      const { octokit, owner, repo } = this.options;
      pending = this.blobLimit
        .run(() =>
          this.call('read a file of', () =>
            octokit.git.getBlob({ owner, repo, file_sha: sha }),
          ),
        )
        .then(({ data }) => {
          const content = Buffer.from(
            data.content,
            data.encoding === 'base64' ? 'base64' : 'utf8',
          ).toString('utf8');
          this.blobs.set(sha, content);
          return content;
        })
        .finally(() => this.blobReads.delete(sha));
      this.blobReads.set(sha, pending);
    }
    return pending;
  }

  /**
   * Every entry under a tree. A recursive listing GitHub truncated (over
   * 100,000 entries or 7 MB) is completed folder by folder.
   */
  private async listTree(
    sha: string,
    prefix: string,
  ): Promise<Array<{ path: string; mode: string; type: string; sha: string }>> {
    const { octokit, owner, repo } = this.options;
    const get = (recursive: boolean) =>
      this.call('read the tree of', () =>
        octokit.git.getTree({
          owner,
          repo,
          tree_sha: sha,
          ...(recursive ? { recursive: '1' } : {}),
        }),
      );
    const full = await get(true);
    const entries = (list: typeof full.data.tree) =>
      list.map(e => ({
        path: `${prefix}${e.path}`,
        mode: e.mode ?? '',
        type: e.type ?? '',
        sha: e.sha ?? '',
      }));
    if (!full.data.truncated) return entries(full.data.tree);
    const top = await get(false);
    if (top.data.truncated) {
      throw new Error(
        `The tree ${
          prefix || '/'
        } of ${owner}/${repo} has more entries than GitHub lists in one answer`,
      );
    }
    const nested = await Promise.all(
      top.data.tree
        .filter(e => e.type === 'tree')
        .map(e => this.listTree(e.sha!, `${prefix}${e.path}/`)),
    );
    return [...entries(top.data.tree), ...nested.flat()];
  }
}
