import { randomUUID } from 'crypto';
import { compareCommitsWithBasehead } from './compareHandlers';
import {
  createDeployment,
  createDeploymentStatus,
  getDeployment,
  listDeploymentStatuses,
  listDeployments,
} from './deploymentHandlers';
import {
  createBlob,
  createGitCommit,
  createTree,
  getBlob,
  getGitCommit,
  getTree,
} from './gitDataHandlers';
import { Handler, RefUpdateListener } from './handlers';
import {
  GithubHttpError,
  GithubResponse,
  DOCS_URLS,
  notFound,
  parseJsonBody,
} from './http';
import {
  createRef,
  deleteRef,
  getRef,
  listMatchingRefs,
  updateRef,
} from './refHandlers';
import { createPull, getPull, listPulls, updatePull } from './pullHandlers';
import {
  createRelease,
  getLatestRelease,
  getRelease,
  getReleaseByTag,
  listReleases,
  listTags,
  updateRelease,
} from './releaseHandlers';
import {
  codeloadTarball,
  downloadTarball,
  getBranch,
  getCommit,
  getRepository,
  listCommits,
} from './repoHandlers';
import { RepositoryState } from './RepositoryState';
import { Representations } from './representations';
import { GithubRoute, GithubRouteName } from './routes';

const HANDLERS: Record<Exclude<GithubRouteName, 'unknown'>, Handler> = {
  'repos.get': getRepository,
  'repos.listCommits': listCommits,
  'repos.getCommit': getCommit,
  'repos.downloadTarballArchive': downloadTarball,
  'codeload.tarball': codeloadTarball,
  'git.getRef': getRef,
  'git.listMatchingRefs': listMatchingRefs,
  'git.createRef': createRef,
  'git.updateRef': updateRef,
  'git.deleteRef': deleteRef,
  'git.getCommit': getGitCommit,
  'git.createCommit': createGitCommit,
  'git.getTree': getTree,
  'git.createTree': createTree,
  'git.getBlob': getBlob,
  'git.createBlob': createBlob,
  'repos.listTags': listTags,
  'repos.getBranch': getBranch,
  'repos.compareCommitsWithBasehead': compareCommitsWithBasehead,
  'repos.listReleases': listReleases,
  'repos.createRelease': createRelease,
  'repos.getLatestRelease': getLatestRelease,
  'repos.getReleaseByTag': getReleaseByTag,
  'repos.getRelease': getRelease,
  'repos.updateRelease': updateRelease,
  'pulls.list': listPulls,
  'pulls.create': createPull,
  'pulls.get': getPull,
  'pulls.update': updatePull,
  'repos.listDeployments': listDeployments,
  'repos.createDeployment': createDeployment,
  'repos.getDeployment': getDeployment,
  'repos.listDeploymentStatuses': listDeploymentStatuses,
  'repos.createDeploymentStatus': createDeploymentStatus,
};

/** One request, routed, as {@link dispatch} needs it. */
export interface DispatchRequest {
  route: GithubRoute;
  url: URL;
  query: Record<string, string>;
  /** The raw body of a write; `undefined` for reads. */
  body?: Buffer;
  /** Receives the parsed JSON body of a write, for the request log. */
  onBody(body: unknown): void;
}

/** What the server hands every request: its state and settings. */
export interface DispatchEnvironment {
  apiUrl: string;
  webUrl: string;
  maxTreeEntries: number;
  /** The login of the token's user. */
  login: string;
  repository(owner: string, repo: string): RepositoryState | undefined;
  refListeners: Iterable<RefUpdateListener>;
}

/**
 * Runs the route's handler against its repository; unknown routes and
 * repositories answer 404 as GitHub does.
 */
export async function dispatch(
  request: DispatchRequest,
  env: DispatchEnvironment,
): Promise<GithubResponse> {
  const { route, url } = request;
  if (route.name === 'unknown') throw notFound();
  const repo = env.repository(route.owner!, route.repo!);
  if (!repo) throw notFound(DOCS_URLS.repos);
  let body: Record<string, unknown> = {};
  if (request.body) {
    const parsed = parseJsonBody(request.body);
    request.onBody(parsed);
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed)
    ) {
      throw new GithubHttpError(400, 'Problems parsing JSON');
    }
    body = parsed as Record<string, unknown>;
  }
  return HANDLERS[route.name]({
    repo,
    route,
    pathname: url.pathname,
    query: request.query,
    body,
    rep: new Representations(
      { api: env.apiUrl, web: env.webUrl },
      repo,
      env.login,
    ),
    apiUrl: env.apiUrl,
    urlWith: query => {
      const next = new URL(url.pathname, env.apiUrl);
      for (const [k, v] of Object.entries(query)) next.searchParams.set(k, v);
      return next.toString();
    },
    maxTreeEntries: env.maxTreeEntries,
    beforeRefUpdate: async event => {
      for (const listener of [...env.refListeners]) await listener(event);
    },
  });
}

/** Headers GitHub sends with every API answer. */
export function standardHeaders(): Record<string, string> {
  return {
    'x-github-request-id': randomUUID(),
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
  };
}
