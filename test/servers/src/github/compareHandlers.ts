import { compareCommits } from './commitGraph';
import { Handler } from './handlers';
import { DOCS_URLS, GithubHttpError, notFound } from './http';
import { paginate } from './pagination';
import { RepositoryState } from './RepositoryState';
import { diffTrees } from './treeDiff';

/** Without paging parameters GitHub lists at most this many commits. */
const UNPAGED_COMMITS = 250;

/**
 * One side of `{base}...{head}`: a branch, tag or sha, optionally written
 * `owner:ref`. Other owners (forks) are not kept here, so they are unknown.
 */
function resolveSide(repo: RepositoryState, side: string): string {
  const colon = side.indexOf(':');
  let ref = side;
  if (colon >= 0) {
    if (side.slice(0, colon).toLowerCase() !== repo.owner.toLowerCase()) {
      throw notFound(DOCS_URLS.compare);
    }
    ref = side.slice(colon + 1);
  }
  const sha = ref ? repo.resolveCommitish(ref) : undefined;
  if (!sha) throw notFound(DOCS_URLS.compare);
  return sha;
}

/**
 * `GET /repos/{o}/{r}/compare/{base}...{head}`: how head relates to base
 * (`ahead`, `behind`, `identical`, `diverged`), the commits of `base..head`
 * oldest first, and the files changed from the merge base to head (paths
 * and statuses, no patches). Without `per_page`/`page` the last 250
 * commits are listed, as GitHub does; with them, pages of 30 (at most 100)
 * with a Link header, the files on the first page only. 404 for an
 * unknown side, or when the two share no history.
 */
export const compareCommitsWithBasehead: Handler = ({
  repo,
  route,
  query,
  rep,
  urlWith,
}) => {
  const basehead = route.param!;
  const dots = basehead.indexOf('...');
  if (dots < 0) throw notFound(DOCS_URLS.compare);
  const baseName = basehead.slice(0, dots);
  const headName = basehead.slice(dots + 3);
  const base = resolveSide(repo, baseName);
  const head = resolveSide(repo, headName);
  const comparison = compareCommits(repo, base, head);
  if (!comparison) {
    throw new GithubHttpError(
      404,
      `No common ancestor between ${baseName} and ${headName}.`,
      DOCS_URLS.compare,
    );
  }
  const paged = query.per_page !== undefined || query.page !== undefined;
  const page = paged
    ? paginate(comparison.commits, query, urlWith)
    : { items: comparison.commits.slice(-UNPAGED_COMMITS), headers: undefined };
  const firstPage = !paged || Number(query.page ?? 1) <= 1;
  const commit = (sha: string) =>
    rep.repoCommit(sha, repo.objects.commit(sha)!);
  const short = (sha: string) => `${repo.owner}:${sha.slice(0, 7)}`;
  const files = firstPage
    ? diffTrees(
        repo,
        repo.objects.commit(comparison.mergeBase)!.tree,
        repo.objects.commit(head)!.tree,
      )
    : [];
  return {
    status: 200,
    body: {
      url: `${rep.apiRepo}/compare/${basehead}`,
      html_url: `${rep.webRepo}/compare/${basehead}`,
      permalink_url: `${rep.webRepo}/compare/${short(base)}...${short(head)}`,
      diff_url: `${rep.webRepo}/compare/${basehead}.diff`,
      patch_url: `${rep.webRepo}/compare/${basehead}.patch`,
      base_commit: commit(base),
      merge_base_commit: commit(comparison.mergeBase),
      status: comparison.status,
      ahead_by: comparison.aheadBy,
      behind_by: comparison.behindBy,
      total_commits: comparison.aheadBy,
      commits: page.items.map(commit),
      files,
    },
    headers: page.headers,
  };
};
