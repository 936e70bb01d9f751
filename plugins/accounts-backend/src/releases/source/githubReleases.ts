import { ConflictError, InputError } from '@backstage/errors';
import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import { readReleaseTag } from '../versions/releaseTags';
import {
  GithubRepository,
  callGithub,
  conflict,
  githubError,
  nameOf,
  notFound,
  readGithubFailure,
  refused,
} from './githubCalls';
import { NewRelease } from './ReleaseSource';

/** The most tags or releases GitHub lists on one page. */
const PER_PAGE = 100;

/**
 * `ReleaseSource.listReleases` on GitHub: every release tag (all pages of
 * `repos.listTags`) with the commit it names, enriched with its published
 * GitHub release when there is one (notes, date, link). A release whose tag
 * does not exist yet (a draft) describes nothing.
 */
export async function listGithubReleases(
  r: GithubRepository,
): Promise<ServiceRelease[]> {
  const where = nameOf(r);
  const params = { owner: r.owner, repo: r.repo, per_page: PER_PAGE };
  const [tags, published] = await Promise.all([
    callGithub('list the tags of', where, () =>
      r.octokit.paginate('GET /repos/{owner}/{repo}/tags', params),
    ),
    callGithub('list the releases of', where, () =>
      r.octokit.paginate('GET /repos/{owner}/{repo}/releases', params),
    ),
  ]);
  const byTag = new Map(
    published.filter(p => !p.draft).map(p => [p.tag_name, p]),
  );
  const releases: ServiceRelease[] = [];
  for (const tag of tags) {
    const read = readReleaseTag(tag.name);
    if (!read) continue;
    const release = byTag.get(tag.name);
    const createdAt = release && (release.published_at ?? release.created_at);
    releases.push({
      tag: tag.name,
      version: read.version,
      candidate: read.candidate,
      sha: tag.commit.sha,
      ...(createdAt && { createdAt: new Date(createdAt).toISOString() }),
      ...(release && { notes: release.body ?? '', url: release.html_url }),
    });
  }
  return releases;
}

/** The object a tag points at, or `undefined` when there is no such tag. */
async function tagObject(
  r: GithubRepository,
  tag: string,
): Promise<string | undefined> {
  try {
    const { data } = await r.octokit.rest.git.getRef({
      owner: r.owner,
      repo: r.repo,
      ref: `tags/${tag}`,
    });
    return data.object.sha;
  } catch (error) {
    if (readGithubFailure(error)?.status === 404) return undefined;
    throw githubError(`read the tag ${tag} of`, nameOf(r), error);
  }
}

/**
 * `ReleaseSource.createRelease` on GitHub: checks that the tag is new, then
 * has GitHub create the release and its tag at `sha` (the latest release
 * unless a release candidate). A release of the tag made in between is
 * GitHub's 422 `already_exists`, a `ConflictError`. GitHub attaches a
 * release to a tag that exists instead of refusing it, so a bare tag pushed
 * in between is found by reading the tag back: when it names another
 * object, that is a `ConflictError` naming the release to check. GitHub
 * never moves a tag that exists.
 */
export async function createGithubRelease(
  r: GithubRepository,
  release: NewRelease,
): Promise<ServiceRelease> {
  const { tag, sha } = release;
  const read = readReleaseTag(tag);
  if (!read) throw new InputError(`Invalid release tag '${tag}'`);
  const where = nameOf(r);
  if ((await tagObject(r, tag)) !== undefined) {
    throw new ConflictError(`The tag ${tag} exists already in ${where}`);
  }
  const { data } = await callGithub(
    `create the release ${tag} of`,
    where,
    () =>
      r.octokit.rest.repos.createRelease({
        owner: r.owner,
        repo: r.repo,
        tag_name: tag,
        target_commitish: sha,
        name: release.name,
        body: release.notes,
        prerelease: release.prerelease,
        make_latest: release.prerelease ? 'false' : 'true',
      }),
    {
      422: failure => {
        if (failure.codes.includes('already_exists')) {
          return conflict(`A release ${tag} exists already in ${where}`);
        }
        if (failure.fields.includes('target_commitish')) {
          return notFound(`No commit ${sha} in ${where}`)();
        }
        return refused(`create the release ${tag} of ${where}`)(failure);
      },
    },
  );
  const tagged = await tagObject(r, tag);
  if (tagged !== sha) {
    r.logger.warn(
      `The release ${tag} of ${where} was attached to a tag made elsewhere`,
      { tag, expected: sha, found: tagged ?? 'none', release: data.html_url },
    );
    throw new ConflictError(
      `The tag ${tag} was made in ${where} by someone else while this release was made, at ${
        tagged ?? 'no commit'
      } instead of ${sha}; GitHub attached the release to it: check ${
        data.html_url
      }`,
    );
  }
  r.logger.info(`Released ${tag} of ${where} at ${sha}`);
  return {
    tag,
    version: read.version,
    candidate: read.candidate,
    sha,
    createdAt: new Date(data.published_at ?? data.created_at).toISOString(),
    notes: data.body ?? release.notes,
    url: data.html_url,
  };
}
