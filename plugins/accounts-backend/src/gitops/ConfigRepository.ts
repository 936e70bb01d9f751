/**
 * The GitOps config repository (the seed's `deepdesk-config`): one branch of
 * one git repository, read by commit and written one atomic commit at a time.
 *
 * Implementations: `GithubConfigRepository` (Git Data API through Octokit) and
 * `LocalGitConfigRepository` (a bare repository on disk, the embedded
 * default). Both pass the same behaviour suite (`configRepositoryContract`).
 */
export interface ConfigRepository {
  /** Where the repository is, for messages and the UI; never credentials. */
  readonly location: ConfigRepositoryLocation;

  /** The branch's head commit, as it is now. */
  head(): Promise<ConfigCommit>;

  /**
   * The files of the repository at a commit (the head when absent). Reading
   * the same commit twice costs no second tree read: snapshots are cached by
   * commit sha.
   */
  snapshot(sha?: string): Promise<ConfigSnapshot>;

  /**
   * Writes one commit on the branch, built on the head's tree, and moves the
   * branch to it without ever forcing. `build` is called with the head's
   * snapshot and returns the intended file changes; when another writer moved
   * the branch in between, `build` is called again on the new head and the
   * commit retried (a bounded number of times). Changes that leave the tree
   * as it is make no commit.
   */
  commit(request: ConfigCommitRequest): Promise<ConfigCommitResult>;

  /** The newest commit on the branch that touched `path` (a file or folder). */
  lastCommit(path: string): Promise<ConfigCommit | undefined>;
}

/** Where a config repository lives. */
export interface ConfigRepositoryLocation {
  kind: 'github' | 'local';
  branch: string;
  /** `owner/repo` on GitHub, or the folder of the local repository. */
  name: string;
  /** A web address to browse the repository, when there is one. */
  url?: string;
}

/** A commit as the portal shows it. */
export interface ConfigCommit {
  sha: string;
  message: string;
  author: { name: string; email: string };
  /** ISO 8601. */
  committedAt: string;
  /** A web address of the commit, when there is one. */
  url?: string;
}

/** The files of the repository at one commit. */
export interface ConfigSnapshot {
  commit: ConfigCommit;
  /** Paths of the regular files under `folder` (recursively), sorted. */
  list(folder: string): string[];
  /** A file's content as UTF-8, or `undefined` when there is no such file. */
  read(path: string): Promise<string | undefined>;
  /**
   * The git blob sha of a file's content, without reading it, or `undefined`
   * when there is no such file: equal ids mean equal contents, across
   * commits, so a reader can skip the files a new commit left as they were.
   */
  blobId(path: string): string | undefined;
}

/**
 * One intended change of a file. Paths are relative to the repository root,
 * in `/` form, normalized, without `.` or `..` segments; files are written as
 * regular files (mode 100644).
 */
export type ConfigFileChange =
  | { path: string; content: string }
  | { path: string; delete: true };

/** What {@link ConfigRepository.commit} is asked to do. */
export interface ConfigCommitRequest {
  /** The commit message: names the account(s), the actor and the reason. */
  message: string;
  author: { name: string; email: string };
  /** Computes the changes against the head it is given (maybe more than once). */
  build(head: ConfigSnapshot): Promise<ConfigFileChange[]>;
}

/** What a commit did. */
export type ConfigCommitResult =
  | {
      status: 'committed';
      commit: ConfigCommit;
      /** The paths the commit added, changed or deleted, sorted. */
      changed: string[];
      /** How many times the branch moved under us before this landed. */
      retries: number;
    }
  | {
      /** The change left the tree as it was: no commit was made. */
      status: 'unchanged';
      /** The head the change was compared with. */
      commit: ConfigCommit;
    };

/** Thrown when the branch kept moving and the retries ran out. */
export class ConfigRepositoryConflictError extends Error {
  name = 'ConfigRepositoryConflictError';
}
