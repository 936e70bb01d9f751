import { Handler, HandlerContext } from './handlers';
import {
  DOCS_URLS,
  isSha,
  notFound,
  optional,
  requireString,
  unprocessable,
  validationFailed,
} from './http';
import { paginate } from './pagination';
import { GithubTestRelease, nextRecordId } from './records';
import { releaseJson } from './recordRepresentations';
import { RepositoryState } from './RepositoryState';

/**
 * `GET /repos/{o}/{r}/tags`: the `refs/tags/*` refs, paginated. GitHub does
 * not document the order; this lists names in descending character order (so
 * `v9.0.0` comes before `v10.0.0`): clients should sort by version
 * themselves.
 */
export const listTags: Handler = ({ repo, query, rep, urlWith }) => {
  const tags = [...repo.tags()].sort(([a], [b]) => byteOrder(b, a));
  const page = paginate(tags, query, urlWith);
  return {
    status: 200,
    body: page.items.map(([name, sha]) => rep.tag(name, sha)),
    headers: page.headers,
  };
};

function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Whether git accepts `name` as a tag name (`git check-ref-format`). */
function isValidTagName(name: string): boolean {
  const hasControl = [...name].some(c => c <= ' ' || c === '\x7f');
  return (
    name !== '@' &&
    !hasControl &&
    !/[~^:?*[\\]/.test(name) &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.includes('//') &&
    !/^\/|\/$|\.$/.test(name) &&
    !name.split('/').some(c => c.startsWith('.') || c.endsWith('.lock'))
  );
}

/**
 * What `target_commitish` may name: a branch, or the full sha of a commit
 * (GitHub refuses tags and abbreviated shas there).
 */
function resolveTarget(
  repo: RepositoryState,
  target: string,
): string | undefined {
  const branch = repo.branchHead(target.replace(/^refs\/heads\//, ''));
  if (branch) return branch;
  return isSha(target) && repo.objects.commit(target)
    ? target.toLowerCase()
    : undefined;
}

function isPublished(release: GithubTestRelease): boolean {
  return !release.draft;
}

/**
 * Moves "latest" as `make_latest` asks (`true` by default): drafts and
 * prereleases never become latest; `legacy` picks the newest published
 * full release.
 */
function applyMakeLatest(
  repo: RepositoryState,
  release: GithubTestRelease,
  makeLatest: string,
): void {
  if (makeLatest === 'false') return;
  if (makeLatest === 'legacy') {
    const newest = repo.releases
      .filter(r => isPublished(r) && !r.prerelease)
      .at(-1);
    repo.latestReleaseId = newest?.id;
    return;
  }
  if (isPublished(release) && !release.prerelease) {
    repo.latestReleaseId = release.id;
  }
}

function releaseFields(body: Record<string, unknown>, docs: string) {
  const makeLatest = optional(body, 'make_latest', 'string', docs);
  if (makeLatest && !['true', 'false', 'legacy'].includes(makeLatest)) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/make_latest', "${makeLatest}" is not a member of enum.`,
      docs,
    );
  }
  return {
    tagName: optional(body, 'tag_name', 'string', docs),
    target: optional(body, 'target_commitish', 'string', docs),
    name: optional(body, 'name', 'string', docs),
    body: optional(body, 'body', 'string', docs),
    draft: optional(body, 'draft', 'boolean', docs),
    prerelease: optional(body, 'prerelease', 'boolean', docs),
    makeLatest,
  };
}

/** Checks a release's tag and target; creates the tag when published. */
function placeTag(
  ctx: HandlerContext,
  release: GithubTestRelease,
  docs: string,
  others: GithubTestRelease[],
): void {
  const { repo } = ctx;
  if (!isValidTagName(release.tagName)) {
    throw validationFailed(
      [
        {
          resource: 'Release',
          code: 'custom',
          field: 'tag_name',
          message: 'tag_name is not a valid tag',
        },
      ],
      docs,
    );
  }
  if (others.some(r => r.tagName === release.tagName)) {
    throw validationFailed(
      [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
      docs,
    );
  }
  const target = resolveTarget(repo, release.targetCommitish);
  if (!target) {
    throw validationFailed(
      [{ resource: 'Release', code: 'invalid', field: 'target_commitish' }],
      docs,
    );
  }
  // Like GitHub, a draft's tag is only made when the release is published,
  // and an existing tag is used as it is.
  const ref = `refs/tags/${release.tagName}`;
  if (isPublished(release) && !repo.refs.has(ref)) {
    repo.refs.set(ref, target);
    repo.pushedAt = new Date();
  }
}

/**
 * `POST /repos/{o}/{r}/releases`: 201 with the release. The tag is created
 * at `target_commitish` (default: the default branch) unless it exists or
 * the release is a draft. 422 when a release of the tag exists, the tag
 * name is not valid, or the target is not a branch or commit.
 */
export const createRelease: Handler = ctx => {
  const { repo, body, rep } = ctx;
  const docs = DOCS_URLS.createRelease;
  const tagName = requireString(body, 'tag_name', docs);
  const fields = releaseFields(body, docs);
  const now = new Date();
  const release: GithubTestRelease = {
    id: nextRecordId('release'),
    tagName,
    targetCommitish: fields.target ?? repo.defaultBranch,
    name: fields.name ?? null,
    body: fields.body ?? null,
    draft: fields.draft ?? false,
    prerelease: fields.prerelease ?? false,
    author: rep.login,
    createdAt: now,
    publishedAt: fields.draft ? null : now,
  };
  placeTag(ctx, release, docs, repo.releases);
  repo.releases.push(release);
  applyMakeLatest(repo, release, fields.makeLatest ?? 'true');
  return { status: 201, body: releaseJson(rep, release) };
};

function releaseById(repo: RepositoryState, param: string | undefined) {
  const release = repo.releases.find(r => String(r.id) === param);
  if (!release) throw notFound(DOCS_URLS.releases);
  return release;
}

/**
 * `PATCH /repos/{o}/{r}/releases/{id}`: changes the given fields; turning
 * `draft` off publishes the release (and creates its tag).
 */
export const updateRelease: Handler = ctx => {
  const { repo, route, body, rep } = ctx;
  const docs = DOCS_URLS.updateRelease;
  const release = releaseById(repo, route.param);
  const fields = releaseFields(body, docs);
  const next: GithubTestRelease = {
    ...release,
    tagName: fields.tagName ?? release.tagName,
    targetCommitish: fields.target ?? release.targetCommitish,
    name: fields.name !== undefined ? fields.name : release.name,
    body: fields.body !== undefined ? fields.body : release.body,
    draft: fields.draft ?? release.draft,
    prerelease: fields.prerelease ?? release.prerelease,
  };
  const published = release.draft && !next.draft;
  if (published) next.publishedAt = new Date();
  placeTag(
    ctx,
    next,
    docs,
    repo.releases.filter(r => r !== release),
  );
  Object.assign(release, next);
  if (fields.makeLatest !== undefined || published) {
    applyMakeLatest(repo, release, fields.makeLatest ?? 'true');
  }
  return { status: 200, body: releaseJson(rep, release) };
};

/** `GET /repos/{o}/{r}/releases`: newest first, drafts included. */
export const listReleases: Handler = ({ repo, query, rep, urlWith }) => {
  const page = paginate([...repo.releases].reverse(), query, urlWith);
  return {
    status: 200,
    body: page.items.map(r => releaseJson(rep, r)),
    headers: page.headers,
  };
};

/** `GET /repos/{o}/{r}/releases/{id}`. */
export const getRelease: Handler = ({ repo, route, rep }) => ({
  status: 200,
  body: releaseJson(rep, releaseById(repo, route.param)),
});

/** `GET /repos/{o}/{r}/releases/tags/{tag}`: published releases only. */
export const getReleaseByTag: Handler = ({ repo, route, rep }) => {
  const release = repo.releases.find(
    r => r.tagName === route.param && isPublished(r),
  );
  if (!release) throw notFound(DOCS_URLS.releases);
  return { status: 200, body: releaseJson(rep, release) };
};

/** `GET /repos/{o}/{r}/releases/latest`: 404 when none is latest. */
export const getLatestRelease: Handler = ({ repo, rep }) => {
  const release = repo.releases.find(r => r.id === repo.latestReleaseId);
  if (!release || !isPublished(release) || release.prerelease) {
    throw notFound(DOCS_URLS.releases);
  }
  return { status: 200, body: releaseJson(rep, release) };
};
