import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { closeServer, listenOnLoopback, loopbackUrl } from '../loopbackServer';
import {
  ArmedFault,
  GithubFault,
  GithubFaultMatch,
  defaultFaultBody,
  faultMatches,
} from './faults';
import { dispatch, standardHeaders } from './dispatch';
import { RefUpdateListener } from './handlers';
import { GithubHttpError, readBody, sendJson, sendResponse } from './http';
import {
  GithubTestDeployment,
  GithubTestPullRequest,
  GithubTestRelease,
} from './records';
import { GithubTestAuthor, RepositoryState } from './RepositoryState';
import { isWriteMethod, matchRoute } from './routes';
import {
  CreateGithubTestRepositoryOptions,
  GithubLoggedRequest,
  GithubTestServerOptions,
} from './types';

export type { GithubFault, GithubFaultMatch } from './faults';
export type { RefUpdateEvent, RefUpdateListener } from './handlers';
export type { GithubTestAuthor } from './RepositoryState';
export type {
  DeploymentState,
  GithubTestDeployment,
  GithubTestDeploymentStatus,
  GithubTestPullRequest,
  GithubTestRelease,
} from './records';
export type { GithubRouteName } from './routes';
export type {
  CreateGithubTestRepositoryOptions,
  GithubLoggedRequest,
  GithubTestServerOptions,
} from './types';

/**
 * A local server speaking the part of GitHub's REST API that the portal's
 * Octokit client uses, for Octokit's `baseUrl`: repositories, the Git Data
 * API, commit history and tarballs, and what a release needs: tags,
 * branches, compare, releases, pull requests, deployments and their
 * statuses (see `routes.ts`). State is kept in memory; objects get the shas
 * git would compute. Tests create repositories and history, inject faults,
 * hook ref updates and inspect branches, records and the request log.
 */
export class GithubTestServer {
  /** Every request, in the order they arrived. */
  readonly requests: GithubLoggedRequest[] = [];

  private readonly repositories = new Map<string, RepositoryState>();
  private readonly faults: ArmedFault[] = [];
  private readonly refListeners = new Set<RefUpdateListener>();

  private constructor(
    private readonly server: Server,
    private readonly options: GithubTestServerOptions,
  ) {}

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(
    options: GithubTestServerOptions = {},
  ): Promise<GithubTestServer> {
    const server = createServer();
    const instance = new GithubTestServer(server, options);
    server.on('request', (req, res) => {
      instance.handle(req, res).catch(error => {
        if (!res.headersSent) sendJson(res, 500, { message: String(error) });
        else res.destroy();
      });
    });
    await listenOnLoopback(server);
    return instance;
  }

  /** The API's base URL, for Octokit's `baseUrl`. */
  get url(): string {
    return loopbackUrl(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /**
   * Creates a repository whose default branch holds one commit with `files`.
   * Returns that commit's sha.
   */
  createRepository(
    owner: string,
    repo: string,
    options: CreateGithubTestRepositoryOptions = {},
  ): string {
    const branch = options.branch ?? 'main';
    const state = new RepositoryState(owner, repo, branch);
    this.repositories.set(key(owner, repo), state);
    return state.commitFiles(
      branch,
      options.files ?? {},
      options.message ?? 'Initial commit',
      options.author,
    );
  }

  /**
   * Commits `files` (path → content, `null` deletes) on a branch directly,
   * as another writer would, and returns the new head.
   */
  commitFiles(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    options: { message?: string; author?: GithubTestAuthor } = {},
  ): string {
    return this.repository(owner, repo).commitFiles(
      branch,
      files,
      options.message ?? 'Commit by another writer',
      options.author,
    );
  }

  /**
   * Points a new tag (lightweight, `refs/tags/{tag}`) at a branch, tag or
   * commit and returns the commit's sha. Throws when the tag exists.
   */
  createTag(owner: string, repo: string, tag: string, target: string): string {
    return this.repository(owner, repo).createRef(`refs/tags/${tag}`, target);
  }

  /**
   * Starts a branch at a branch, tag or commit and returns the commit's sha
   * (then {@link commitFiles} adds to it). Throws when the branch exists.
   */
  createBranch(
    owner: string,
    repo: string,
    branch: string,
    from: string,
  ): string {
    return this.repository(owner, repo).createRef(`refs/heads/${branch}`, from);
  }

  /** The tags, name → commit sha. */
  tags(owner: string, repo: string): Record<string, string> {
    return Object.fromEntries(this.repository(owner, repo).tags());
  }

  /** The releases, oldest first (copies: changing them changes nothing). */
  releases(owner: string, repo: string): GithubTestRelease[] {
    return structuredClone(this.repository(owner, repo).releases);
  }

  /** The pull requests by number (copies). */
  pullRequests(owner: string, repo: string): GithubTestPullRequest[] {
    return structuredClone(this.repository(owner, repo).pulls);
  }

  /** The deployments, oldest first, each with its statuses (copies). */
  deployments(owner: string, repo: string): GithubTestDeployment[] {
    return structuredClone(this.repository(owner, repo).deployments);
  }

  /** Arms a fault (see {@link GithubFault}). */
  injectFault(fault: GithubFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Drops the faults not yet used up. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /**
   * Calls `listener` before each ref update is evaluated; it may move the
   * branch to make the update a non-fast-forward. Returns its remover.
   */
  onBeforeRefUpdate(listener: RefUpdateListener): () => void {
    this.refListeners.add(listener);
    return () => this.refListeners.delete(listener);
  }

  /** The commit a branch points at, or `undefined`. */
  branchHead(owner: string, repo: string, branch: string): string | undefined {
    return this.repository(owner, repo).branchHead(branch);
  }

  /** The branch's first-parent history, newest first. */
  branchHistory(owner: string, repo: string, branch: string): string[] {
    const state = this.repository(owner, repo);
    const head = state.branchHead(branch);
    return head ? state.history(head) : [];
  }

  /** The regular files at a ref or commit, path → UTF-8 content. */
  readTree(owner: string, repo: string, ref: string): Record<string, string> {
    const state = this.repository(owner, repo);
    const sha = state.resolveCommitish(ref);
    if (!sha) throw new Error(`No commit ${ref} in ${owner}/${repo}`);
    return state.objects.readFiles(state.objects.commit(sha)!.tree);
  }

  /** How many commits the branch's first-parent history holds. */
  commitCount(owner: string, repo: string, branch: string): number {
    return this.branchHistory(owner, repo, branch).length;
  }

  /** How many commit objects are stored, reachable or not. */
  commitObjectCount(owner: string, repo: string): number {
    return this.repository(owner, repo).objects.count('commit');
  }

  /** Logged requests matching every given field. */
  requestsMatching(
    match: GithubFaultMatch & {
      write?: boolean;
      status?: number;
      injected?: boolean;
    },
  ): GithubLoggedRequest[] {
    return this.requests.filter(
      r =>
        faultMatches(match, r) &&
        (match.write === undefined || match.write === r.write) &&
        (match.status === undefined || match.status === r.status) &&
        (match.injected === undefined || match.injected === r.injected),
    );
  }

  /** Empties the request log. */
  clearRequests(): void {
    this.requests.length = 0;
  }

  private repository(owner: string, repo: string): RepositoryState {
    const state = this.repositories.get(key(owner, repo));
    if (!state) throw new Error(`No repository ${owner}/${repo}`);
    return state;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const route = matchRoute(method, url.pathname);
    const entry: GithubLoggedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      route: route.name,
      owner: route.owner,
      repo: route.repo,
      status: 0,
      write: isWriteMethod(method),
      injected: false,
      receivedAt: Date.now(),
    };
    this.requests.push(entry);

    try {
      this.authenticate(req);
      const fault = this.takeFault(entry);
      if (fault && fault.action !== 'applyThenDestroy') {
        entry.injected = true;
        if (fault.action === 'destroy') {
          req.socket.destroy();
          return;
        }
        const headers = fault.headers ?? {};
        entry.status = fault.status ?? 500;
        sendJson(
          res,
          entry.status,
          fault.body ?? defaultFaultBody(entry.status, headers),
          headers,
        );
        return;
      }
      const response = await dispatch(
        {
          route,
          url,
          query: entry.query,
          body: entry.write ? raw : undefined,
          onBody: body => {
            entry.body = body;
          },
        },
        {
          apiUrl: this.url,
          webUrl: this.options.webUrl ?? 'https://github.com',
          maxTreeEntries: this.options.maxTreeEntries ?? 100_000,
          login: this.options.login ?? 'test-user',
          repository: (owner, repo) => this.repositories.get(key(owner, repo)),
          refListeners: this.refListeners,
        },
      );
      entry.status = response.status;
      if (fault) {
        entry.injected = true;
        req.socket.destroy();
        return;
      }
      sendResponse(res, response, standardHeaders());
    } catch (error) {
      if (!(error instanceof GithubHttpError)) throw error;
      entry.status = error.status;
      sendJson(res, error.status, error.body(), {
        ...standardHeaders(),
        ...error.headers,
      });
    }
  }

  private authenticate(req: IncomingMessage) {
    const { token } = this.options;
    if (token === undefined) return;
    const header = req.headers.authorization;
    if (!header) throw new GithubHttpError(401, 'Requires authentication');
    const presented = /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1];
    if (presented !== token) throw new GithubHttpError(401, 'Bad credentials');
  }

  private takeFault(entry: GithubLoggedRequest): ArmedFault | undefined {
    const fault = this.faults.find(
      f => f.remaining > 0 && faultMatches(f, entry),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}

/** Owner and repository names are case-insensitive on GitHub. */
function key(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}
