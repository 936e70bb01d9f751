import { Handler } from './handlers';
import { DOCS_URLS, GithubHttpError, notFound } from './http';
import { paginate } from './pagination';
import { writeTarball } from './tarball';
import { changedFiles } from './treeDiff';

/** `GET /repos/{owner}/{repo}`. */
export const getRepository: Handler = ({ rep }) => ({
  status: 200,
  body: rep.repository(),
});

/**
 * `GET /repos/{owner}/{repo}/commits?sha=&path=&per_page=&page=`: the
 * history from `sha` (the default branch when absent), newest first,
 * keeping the commits that touched `path`, paginated with a Link header.
 */
export const listCommits: Handler = ({ repo, query, rep, urlWith }) => {
  const ref = query.sha || repo.defaultBranch;
  if (repo.refs.size === 0) {
    throw new GithubHttpError(
      409,
      'Git Repository is empty.',
      DOCS_URLS.repoCommits,
    );
  }
  const start = repo.resolveCommitish(ref);
  if (!start) {
    throw new GithubHttpError(
      404,
      `No commit found for SHA: ${ref}`,
      DOCS_URLS.repoCommits,
    );
  }
  const path = query.path?.replace(/^\/+|\/+$/g, '') || undefined;
  const all = repo.history(start, path);
  const page = paginate(all, query, urlWith);
  return {
    status: 200,
    body: page.items.map(sha => rep.repoCommit(sha, repo.objects.commit(sha)!)),
    headers: page.headers,
  };
};

/**
 * `GET /repos/{owner}/{repo}/commits/{ref}`: the commit with the files it
 * changed (without line counts or patches).
 */
export const getCommit: Handler = ({ repo, route, rep }) => {
  const sha = repo.resolveCommitish(route.param!);
  if (!sha) {
    throw new GithubHttpError(
      422,
      `No commit found for SHA: ${route.param}`,
      DOCS_URLS.repoCommits,
    );
  }
  return {
    status: 200,
    body: {
      ...rep.repoCommit(sha, repo.objects.commit(sha)!),
      files: changedFiles(repo, sha),
    },
  };
};

/**
 * `GET /repos/{owner}/{repo}/branches/{branch}`: the branch with its head
 * commit; branches are never protected here. 404 "Branch not found".
 */
export const getBranch: Handler = ({ repo, route, rep }) => {
  const name = route.param!.replace(/^refs\/heads\//, '');
  const sha = repo.branchHead(name);
  if (!sha)
    throw new GithubHttpError(404, 'Branch not found', DOCS_URLS.branch);
  return { status: 200, body: rep.branch(name, sha) };
};

/**
 * `GET /repos/{owner}/{repo}/tarball/{ref}`: like GitHub, a 302 to where
 * the archive of the resolved commit is served.
 */
export const downloadTarball: Handler = ({ repo, route, apiUrl }) => {
  const ref = route.param ?? repo.defaultBranch;
  const sha = repo.resolveCommitish(ref);
  if (!sha) throw notFound(DOCS_URLS.repoCommits);
  return {
    status: 302,
    headers: {
      location: `${apiUrl}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${sha}`,
    },
  };
};

/** The gzipped tar of a commit (see {@link writeTarball}). */
export const codeloadTarball: Handler = ({ repo, route }) => {
  const sha = repo.resolveCommitish(route.param!);
  if (!sha) throw notFound(DOCS_URLS.repoCommits);
  return {
    status: 200,
    raw: writeTarball(repo.objects, repo.owner, repo.name, sha),
    headers: {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${repo.owner}-${
        repo.name
      }-${sha.slice(0, 7)}.tar.gz`,
    },
  };
};
