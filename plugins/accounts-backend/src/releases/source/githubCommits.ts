import { ConflictError } from '@backstage/errors';
import { GithubRepository, callGithub, nameOf, notFound } from './githubCalls';
import { MAX_COMMITS, SourceCommit } from './ReleaseSource';

/** The most commits GitHub lists on one page of compare or commits. */
const PER_PAGE = 100;

/** A commit as the compare and commits APIs show it. */
interface ApiCommit {
  sha: string;
  commit: {
    message: string;
    author: { name?: string; date?: string } | null;
    committer: { name?: string; date?: string } | null;
  };
}

function toSourceCommit(c: ApiCommit): SourceCommit {
  const date = c.commit.committer?.date ?? c.commit.author?.date;
  return {
    sha: c.sha,
    message: c.commit.message,
    author: c.commit.author?.name ?? c.commit.committer?.name ?? '',
    committedAt: date ? new Date(date).toISOString() : '',
  };
}

/**
 * Newest first by commit date, as the local source answers; commits of the
 * same second keep the order given (GitHub's, reversed to newest first).
 */
function newestFirst(commits: ApiCommit[]): SourceCommit[] {
  return commits
    .map(toSourceCommit)
    .map((commit, i) => ({ commit, i }))
    .sort(
      (a, b) =>
        b.commit.committedAt.localeCompare(a.commit.committedAt) || a.i - b.i,
    )
    .map(({ commit }) => commit);
}

/**
 * `ReleaseSource.commitsBetween` on GitHub: with a base, the compare API
 * (`base...head`), which lists commits oldest first, pages of
 * {@link PER_PAGE}: page 1 gives the total, then only the pages holding the
 * newest {@link MAX_COMMITS} are read. Without one, the commits API from
 * `head`, newest first, until {@link MAX_COMMITS}. A 404 is a
 * `NotFoundError` naming the refs.
 */
export async function readGithubCommits(
  r: GithubRepository,
  base: string | undefined,
  head: string,
): Promise<SourceCommit[]> {
  const { octokit, owner, repo } = r;
  const where = nameOf(r);
  if (base === undefined) {
    const missing = notFound(`No tag, branch or commit '${head}' in ${where}`);
    let count = 0;
    const commits = await callGithub(
      `list the commits of ${head} in`,
      where,
      () =>
        octokit.paginate(
          'GET /repos/{owner}/{repo}/commits',
          { owner, repo, sha: head, per_page: PER_PAGE },
          (response, done) => {
            count += response.data.length;
            if (count >= MAX_COMMITS) done();
            return response.data;
          },
        ),
      // GitHub answers 404 for an unknown ref, 409 for an empty repository.
      { 404: missing, 409: missing, 422: missing },
    );
    return newestFirst(commits.slice(0, MAX_COMMITS));
  }

  const basehead = `${base}...${head}`;
  const page = (n: number) =>
    callGithub(
      `compare ${basehead} in`,
      where,
      () =>
        octokit.rest.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead,
          per_page: PER_PAGE,
          page: n,
        }),
      {
        404: notFound(
          `No tag, branch or commit '${base}' or '${head}' in ${where}, or they share no history`,
        ),
      },
    );
  const first = (await page(1)).data;
  const total = first.total_commits;
  const pages = Math.ceil(total / PER_PAGE);
  // Pages before `from` hold only commits older than the newest MAX_COMMITS.
  const from = Math.max(
    2,
    Math.floor(Math.max(0, total - MAX_COMMITS) / PER_PAGE) + 1,
  );
  const oldestFirst: ApiCommit[] = [...first.commits];
  for (let n = from; n <= pages; n++) {
    const next = (await page(n)).data;
    if (next.total_commits !== total) {
      throw new ConflictError(
        `${head} moved in ${where} while its commits since ${base} were read; try again`,
      );
    }
    oldestFirst.push(...next.commits);
  }
  return newestFirst(oldestFirst.reverse().slice(0, MAX_COMMITS));
}
