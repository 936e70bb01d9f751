import { GithubTestAuthor } from './RepositoryState';
import { GithubRouteName } from './routes';

/** One request as the server saw and answered it. Never holds credentials. */
export interface GithubLoggedRequest {
  method: string;
  /** The URL's path, e.g. `/repos/acme/config/git/refs/heads/main`. */
  path: string;
  query: Record<string, string>;
  route: GithubRouteName;
  owner?: string;
  repo?: string;
  /** 0 when the connection was closed without an answer. */
  status: number;
  /** POST, PATCH, PUT or DELETE: what GitHub's write limits count. */
  write: boolean;
  /** Answered (or cut) by an injected fault. */
  injected: boolean;
  /** The parsed JSON body of a write, e.g. to check it never sent `force`. */
  body?: unknown;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

/** Options of {@link GithubTestServer.start}. */
export interface GithubTestServerOptions {
  /** When set, requests must carry it (`token X` or `Bearer X`), else 401. */
  token?: string;
  /**
   * The login of the token's user: the author of releases and the creator
   * of pull requests and deployments made through the API; default
   * `test-user`.
   */
  login?: string;
  /** Base of the `html_url`s; default `https://github.com`. */
  webUrl?: string;
  /**
   * Most entries a tree listing returns before it says `truncated: true`;
   * GitHub's limit is 100,000 entries (or 7 MB).
   */
  maxTreeEntries?: number;
}

/** Options of {@link GithubTestServer.createRepository}. */
export interface CreateGithubTestRepositoryOptions {
  /** The default branch; default `main`. */
  branch?: string;
  /** Files of the initial commit, path → UTF-8 content. */
  files?: Record<string, string>;
  message?: string;
  author?: GithubTestAuthor;
}
