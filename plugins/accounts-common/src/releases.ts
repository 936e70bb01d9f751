/**
 * What a Conventional Commit asks of the next version: `feat!:` or a
 * `BREAKING CHANGE` footer → major, `feat:` → minor, anything else → patch.
 *
 * @public
 */
export type VersionBump = 'major' | 'minor' | 'patch';

/**
 * One commit of a service's repository, read as a Conventional Commit.
 *
 * @public
 */
export interface ReleaseCommit {
  sha: string;
  /** The type of the header (`feat`, `fix`, `chore`, …); `''` when the header is not conventional. */
  type: string;
  scope?: string;
  /** The header's description, or the whole header when it is not conventional. */
  subject: string;
  /** `feat!:` / `fix(api)!:` or a `BREAKING CHANGE:` footer. */
  breaking: boolean;
  bump: VersionBump;
  author?: string;
  /** ISO 8601. */
  committedAt?: string;
}

/**
 * A release or release candidate of a service: a `v<semver>` tag.
 *
 * @public
 */
export interface ServiceRelease {
  /** The tag, e.g. `v1.42.1` or `v2.0.0-rc.1`. */
  tag: string;
  /** The version without the `v`. */
  version: string;
  /** A release candidate (`-rc.N`), deployed to UAT accounts only. */
  candidate: boolean;
  /** The commit the tag points at. */
  sha: string;
  /** ISO 8601, when the release (or else the tagged commit) was made. */
  createdAt?: string;
  /** The release notes, when the source keeps releases. */
  notes?: string;
  /** A web address of the release, when there is one. */
  url?: string;
}

/**
 * The version the next release of a service would get, and why.
 *
 * @public
 */
export interface NextRelease {
  /** The newest final release, if any. */
  latest?: ServiceRelease;
  /**
   * The next final version (`X.Y.Z`): the latest release bumped by the
   * largest bump of the commits since, and never below a pending release
   * candidate's version. Absent when nothing was committed since the latest
   * release.
   */
  version?: string;
  /** The largest bump among the commits. */
  bump?: VersionBump;
  /** The tag the next release candidate of `version` would get (`vX.Y.Z-rc.N`). */
  candidateTag?: string;
  /** The release candidates of `version` made so far, newest first. */
  candidates: ServiceRelease[];
  /** The commits since the latest release, newest first, by the bump they ask for. */
  commits: Record<VersionBump, ReleaseCommit[]>;
}

/**
 * Where a service's repository is.
 *
 * @public
 */
export interface ServiceRepository {
  kind: 'github' | 'local';
  /** `owner/repo` on GitHub, or the folder of the local repository. */
  name: string;
  url?: string;
}

/**
 * A service and its releases: what `GET /api/accounts/services/{service}/releases` answers.
 *
 * @public
 */
export interface ServiceReleases {
  service: string;
  repository: ServiceRepository;
  /** The branch the next release is cut from. */
  branch: string;
  /** The branch's head: the commit the next release would tag. */
  head: string;
  /** Every release and release candidate, highest version first. */
  releases: ServiceRelease[];
  next: NextRelease;
}

/**
 * One configured service: what `GET /api/accounts/services` lists.
 *
 * @public
 */
export interface ServiceSummary {
  name: string;
  /** Absent when no release source is configured for it. */
  repository?: ServiceRepository;
}

/**
 * The body of `POST /api/accounts/services/{service}/releases`.
 *
 * @public
 */
export interface CreateReleaseRequest {
  kind: 'rc' | 'final';
  /** An explicit version (`X.Y.Z` or `X.Y.Z-rc.N`); the computed one when absent. */
  version?: string;
}
