import { GithubResponse } from './http';
import { RepositoryState } from './RepositoryState';
import { Representations } from './representations';
import { GithubRoute } from './routes';

/** What a ref update is about to do, for {@link RefUpdateListener}s. */
export interface RefUpdateEvent {
  owner: string;
  repo: string;
  /** Full ref name, e.g. `refs/heads/main`. */
  ref: string;
  /** Where the ref points now (before the listeners ran). */
  from: string | undefined;
  /** Where the request wants it to point. */
  to: string;
  force: boolean;
}

/**
 * Runs before the server evaluates a ref update; it may move the branch
 * (e.g. through `GithubTestServer.commitFiles`) to play a concurrent writer.
 */
export type RefUpdateListener = (event: RefUpdateEvent) => void | Promise<void>;

/** Everything a route handler needs about one request. */
export interface HandlerContext {
  repo: RepositoryState;
  route: GithubRoute;
  pathname: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  rep: Representations;
  /** The server's base URL. */
  apiUrl: string;
  /** The full URL of this request with `query` replaced, for Link headers. */
  urlWith(query: Record<string, string>): string;
  /** Most entries a recursive tree listing returns before `truncated`. */
  maxTreeEntries: number;
  beforeRefUpdate(event: RefUpdateEvent): Promise<void>;
}

export type Handler = (
  ctx: HandlerContext,
) => GithubResponse | Promise<GithubResponse>;
