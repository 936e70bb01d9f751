import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';

/**
 * Where a service's code, tags and releases live: its GitHub repository
 * (`GithubReleaseSource`) or, on the embedded defaults, a local git
 * repository (`LocalGitReleaseSource`). Both pass one behaviour suite
 * (`releaseSourceContract`).
 */
export interface ReleaseSource {
  /** Where the repository is, for messages and the UI; never credentials. */
  readonly location: ReleaseSourceLocation;

  /** Every release and release candidate tag (`v<semver>`, `-rc.N`), in no order. */
  listReleases(): Promise<ServiceRelease[]>;

  /**
   * The commits reachable from `head` and not from `base` (a tag, branch or
   * sha; every commit of `head` when absent), newest first, at most
   * `MAX_COMMITS`.
   */
  commitsBetween(
    base: string | undefined,
    head: string,
  ): Promise<SourceCommit[]>;

  /** The sha a branch points at; a `NotFoundError` when there is no such branch. */
  branchHead(branch: string): Promise<string>;

  /** The repository's main branch. */
  defaultBranch(): Promise<string>;

  /**
   * Creates the tag at `sha` and its release with `notes`. A tag that
   * exists already is a `ConflictError`: a tag is never moved or reused.
   */
  createRelease(release: NewRelease): Promise<ServiceRelease>;

  /** Creates a branch at `sha`; a `ConflictError` when it exists. */
  createBranch(name: string, sha: string): Promise<void>;

  /**
   * Asks for `head` to be merged into `base` (a hot-fix's merge-back): a
   * pull request on GitHub. `undefined` where the source has no pull
   * requests (a local repository): the caller shows a reminder instead.
   */
  openPullRequest(request: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string } | undefined>;
}

/** The most commits one `commitsBetween` answers. */
export const MAX_COMMITS = 1_000;

/** Where a release source lives. */
export interface ReleaseSourceLocation {
  kind: 'github' | 'local';
  /** `owner/repo` on GitHub, or the folder of the local repository. */
  name: string;
  /** A web address of the repository, when there is one. */
  url?: string;
}

/** A commit as a release reads it. */
export interface SourceCommit {
  sha: string;
  /** The whole message: header, body and footers. */
  message: string;
  author: string;
  /** ISO 8601. */
  committedAt: string;
}

/** What {@link ReleaseSource.createRelease} makes. */
export interface NewRelease {
  tag: string;
  sha: string;
  /** The release's title, e.g. `v1.5.0`. */
  name: string;
  notes: string;
  prerelease: boolean;
}
