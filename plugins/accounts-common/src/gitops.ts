/**
 * A commit of the config repository, as the portal shows it.
 *
 * @public
 */
export interface ConfigCommitInfo {
  sha: string;
  message: string;
  author: { name: string; email: string };
  /** ISO 8601. */
  committedAt: string;
  /** The commit on the web, when the repository has a web UI (GitHub). */
  url?: string;
}

/**
 * The config repository an account's folder lives in.
 *
 * @public
 */
export interface ConfigRepositoryInfo {
  kind: 'github' | 'local';
  /** `owner/repo` on GitHub, or the local repository's folder. */
  name: string;
  branch: string;
  url?: string;
}

/**
 * An account's folder in the config repository as committed, answered by
 * `GET /api/accounts/accounts/{name}/config`.
 *
 * @public
 */
export interface AccountConfigFolder {
  /** e.g. `k8s/flux/staging/acme`. */
  folder: string;
  repository: ConfigRepositoryInfo;
  /** The branch's head the folder was read at. */
  head: ConfigCommitInfo;
  /** The newest commit that changed the folder; absent when never committed. */
  lastCommit?: ConfigCommitInfo;
  /** The folder's files at the head, sorted by path. */
  files: Array<{ path: string; url?: string }>;
}

/**
 * How a commit would change one file.
 *
 * @public
 */
export interface ConfigFileStatus {
  path: string;
  status: 'added' | 'modified' | 'deleted';
}

/**
 * What committing the account's folder would change, answered by
 * `POST /api/accounts/accounts/{name}/preview`.
 *
 * @public
 */
export interface AccountConfigPreview {
  folder: string;
  /** The head the rendering was compared with. */
  base: ConfigCommitInfo;
  changes: ConfigFileStatus[];
  /** A unified diff (git style); empty when nothing would change. */
  diff: string;
}

/**
 * What `POST /api/accounts/accounts/{name}/config/commit` did.
 *
 * @public
 */
export interface AccountConfigCommitResult {
  /** `unchanged`: the folder was already as rendered; no commit was made. */
  status: 'committed' | 'unchanged';
  /** The new commit, or the head that already held the folder. */
  commit: ConfigCommitInfo;
  changes: ConfigFileStatus[];
}
