/**
 * The routes the server speaks, named after the Octokit methods that call
 * them (`git.updateRef` is `PATCH /repos/{owner}/{repo}/git/refs/{ref}`).
 */
export type GithubRouteName =
  | 'repos.get'
  | 'repos.listCommits'
  | 'repos.getCommit'
  | 'repos.downloadTarballArchive'
  | 'codeload.tarball'
  | 'git.getRef'
  | 'git.listMatchingRefs'
  | 'git.createRef'
  | 'git.updateRef'
  | 'git.deleteRef'
  | 'git.getCommit'
  | 'git.createCommit'
  | 'git.getTree'
  | 'git.createTree'
  | 'git.getBlob'
  | 'git.createBlob'
  | 'repos.listTags'
  | 'repos.getBranch'
  | 'repos.compareCommitsWithBasehead'
  | 'repos.listReleases'
  | 'repos.createRelease'
  | 'repos.getLatestRelease'
  | 'repos.getReleaseByTag'
  | 'repos.getRelease'
  | 'repos.updateRelease'
  | 'pulls.list'
  | 'pulls.create'
  | 'pulls.get'
  | 'pulls.update'
  | 'repos.listDeployments'
  | 'repos.createDeployment'
  | 'repos.getDeployment'
  | 'repos.listDeploymentStatuses'
  | 'repos.createDeploymentStatus'
  | 'unknown';

/** A request matched to a route, with its path parameters. */
export interface GithubRoute {
  name: GithubRouteName;
  owner?: string;
  repo?: string;
  /** The rest of the path after the route's prefix (a ref or a sha). */
  param?: string;
}

const REPO = '/repos/([^/]+)/([^/]+)';

// [method, pattern, name]; the pattern's 3rd group, when present, is `param`.
const TABLE: Array<[string, RegExp, GithubRouteName]> = [
  ['GET', new RegExp(`^${REPO}$`), 'repos.get'],
  ['GET', new RegExp(`^${REPO}/commits$`), 'repos.listCommits'],
  ['GET', new RegExp(`^${REPO}/commits/(.+)$`), 'repos.getCommit'],
  [
    'GET',
    new RegExp(`^${REPO}/tarball(?:/(.+))?$`),
    'repos.downloadTarballArchive',
  ],
  // Where the tarball route redirects, as GitHub's does to codeload.
  [
    'GET',
    /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/(.+)$/,
    'codeload.tarball',
  ],
  ['GET', new RegExp(`^${REPO}/git/ref/(.+)$`), 'git.getRef'],
  // The older spelling of getRef, which also lists refs under a prefix.
  ['GET', new RegExp(`^${REPO}/git/refs/(.+)$`), 'git.getRef'],
  [
    'GET',
    new RegExp(`^${REPO}/git/matching-refs/(.+)$`),
    'git.listMatchingRefs',
  ],
  ['POST', new RegExp(`^${REPO}/git/refs$`), 'git.createRef'],
  ['PATCH', new RegExp(`^${REPO}/git/refs/(.+)$`), 'git.updateRef'],
  ['DELETE', new RegExp(`^${REPO}/git/refs/(.+)$`), 'git.deleteRef'],
  ['GET', new RegExp(`^${REPO}/git/commits/([^/]+)$`), 'git.getCommit'],
  ['POST', new RegExp(`^${REPO}/git/commits$`), 'git.createCommit'],
  ['GET', new RegExp(`^${REPO}/git/trees/(.+)$`), 'git.getTree'],
  ['POST', new RegExp(`^${REPO}/git/trees$`), 'git.createTree'],
  ['GET', new RegExp(`^${REPO}/git/blobs/([^/]+)$`), 'git.getBlob'],
  ['POST', new RegExp(`^${REPO}/git/blobs$`), 'git.createBlob'],
  ['GET', new RegExp(`^${REPO}/tags$`), 'repos.listTags'],
  ['GET', new RegExp(`^${REPO}/branches/(.+)$`), 'repos.getBranch'],
  [
    'GET',
    new RegExp(`^${REPO}/compare/(.+)$`),
    'repos.compareCommitsWithBasehead',
  ],
  ['GET', new RegExp(`^${REPO}/releases$`), 'repos.listReleases'],
  ['POST', new RegExp(`^${REPO}/releases$`), 'repos.createRelease'],
  ['GET', new RegExp(`^${REPO}/releases/latest$`), 'repos.getLatestRelease'],
  ['GET', new RegExp(`^${REPO}/releases/tags/(.+)$`), 'repos.getReleaseByTag'],
  ['GET', new RegExp(`^${REPO}/releases/(\\d+)$`), 'repos.getRelease'],
  ['PATCH', new RegExp(`^${REPO}/releases/(\\d+)$`), 'repos.updateRelease'],
  ['GET', new RegExp(`^${REPO}/pulls$`), 'pulls.list'],
  ['POST', new RegExp(`^${REPO}/pulls$`), 'pulls.create'],
  ['GET', new RegExp(`^${REPO}/pulls/(\\d+)$`), 'pulls.get'],
  ['PATCH', new RegExp(`^${REPO}/pulls/(\\d+)$`), 'pulls.update'],
  ['GET', new RegExp(`^${REPO}/deployments$`), 'repos.listDeployments'],
  ['POST', new RegExp(`^${REPO}/deployments$`), 'repos.createDeployment'],
  ['GET', new RegExp(`^${REPO}/deployments/(\\d+)$`), 'repos.getDeployment'],
  [
    'GET',
    new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`),
    'repos.listDeploymentStatuses',
  ],
  [
    'POST',
    new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`),
    'repos.createDeploymentStatus',
  ],
];

/** Matches a request to a route; `unknown` answers 404 like GitHub. */
export function matchRoute(method: string, pathname: string): GithubRoute {
  for (const [routeMethod, pattern, name] of TABLE) {
    if (routeMethod !== method) continue;
    const match = pattern.exec(pathname);
    if (!match) continue;
    return {
      name,
      owner: decodeURIComponent(match[1]),
      repo: decodeURIComponent(match[2]),
      // Octokit sends `heads/main` as `heads%2Fmain`; both spellings work.
      param: match[3] === undefined ? undefined : decodeURIComponent(match[3]),
    };
  }
  return { name: 'unknown' };
}

/** Whether a method changes state (what GitHub's write limits count). */
export function isWriteMethod(method: string): boolean {
  return ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method);
}
