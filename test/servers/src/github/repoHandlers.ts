import { Handler } from './handlers';
import { DOCS_URLS, GithubHttpError, notFound } from './http';
import { RepositoryState } from './RepositoryState';
import { writeTarball } from './tarball';

/** `GET /repos/{owner}/{repo}`. */
export const getRepository: Handler = ({ rep }) => ({
  status: 200,
  body: rep.repository(),
});

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

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
  const perPage = Math.min(positive(query.per_page, 30), 100);
  const page = positive(query.page, 1);
  const shas = all.slice((page - 1) * perPage, page * perPage);
  const lastPage = Math.max(1, Math.ceil(all.length / perPage));
  const links: string[] = [];
  if (page < lastPage) {
    links.push(
      `<${urlWith({ ...query, page: String(page + 1) })}>; rel="next"`,
    );
    links.push(
      `<${urlWith({ ...query, page: String(lastPage) })}>; rel="last"`,
    );
  }
  if (page > 1) {
    links.push(`<${urlWith({ ...query, page: '1' })}>; rel="first"`);
    links.push(
      `<${urlWith({ ...query, page: String(page - 1) })}>; rel="prev"`,
    );
  }
  return {
    status: 200,
    body: shas.map(sha => rep.repoCommit(sha, repo.objects.commit(sha)!)),
    headers: links.length > 0 ? { link: links.join(', ') } : undefined,
  };
};

/** The files a commit changed relative to its first parent. */
function changedFiles(repo: RepositoryState, sha: string) {
  const commit = repo.objects.commit(sha)!;
  const parent = commit.parents[0]
    ? repo.objects.commit(commit.parents[0])
    : undefined;
  const blobs = (tree: string | undefined) =>
    new Map(
      tree
        ? repo.objects
            .listRecursive(tree)
            .filter(e => e.type === 'blob')
            .map(e => [e.path, e.sha] as const)
        : [],
    );
  const before = blobs(parent?.tree);
  const after = blobs(commit.tree);
  const files: Array<{ sha: string | null; filename: string; status: string }> =
    [];
  for (const [filename, blob] of after) {
    const old = before.get(filename);
    if (old === undefined) files.push({ sha: blob, filename, status: 'added' });
    else if (old !== blob)
      files.push({ sha: blob, filename, status: 'modified' });
  }
  for (const filename of before.keys()) {
    if (!after.has(filename))
      files.push({ sha: null, filename, status: 'removed' });
  }
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}

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
