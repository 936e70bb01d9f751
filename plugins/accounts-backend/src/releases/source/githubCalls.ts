import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { Octokit } from '@octokit/rest';
import {
  AnnotatedRequestError,
  describeGithubFailure,
} from '../../gitops/github/githubClient';

/** One service repository on GitHub and the client that reaches it. */
export interface GithubRepository {
  octokit: Octokit;
  owner: string;
  repo: string;
  logger: LoggerService;
}

/** `owner/repo`, for messages. */
export const nameOf = (r: GithubRepository) => `${r.owner}/${r.repo}`;

/** How one status of a failed call becomes the portal's error. */
export type StatusMapping = Partial<
  Record<number, (failure: GithubFailure) => Error | undefined>
>;

/** What GitHub said when it refused a call: status, message and details. */
export interface GithubFailure {
  status: number;
  /** GitHub's `message`, e.g. `Validation Failed` or `Reference already exists`. */
  message: string;
  /** The `code`s of the `errors` of a validation failure (`already_exists`, `invalid`). */
  codes: string[];
  /** The `field`s those errors name (`tag_name`, `target_commitish`, `head`). */
  fields: string[];
  /** GitHub's message and every detail's own message, for matching and showing. */
  text: string;
}

interface GithubErrorBody {
  message?: unknown;
  errors?: Array<{ code?: unknown; field?: unknown; message?: unknown }>;
}

/**
 * The parts of a failed call's answer that say why, or `undefined` when the
 * call got no answer. Only GitHub's body is read, never the request, so
 * nothing here can hold credentials.
 */
export function readGithubFailure(error: unknown): GithubFailure | undefined {
  const e = error as AnnotatedRequestError;
  if (typeof e?.status !== 'number' || !e.response) return undefined;
  const body = (e.response.data ?? {}) as GithubErrorBody;
  const message = typeof body.message === 'string' ? body.message : '';
  const details = Array.isArray(body.errors) ? body.errors : [];
  const strings = (values: unknown[]) =>
    values.filter((v): v is string => typeof v === 'string');
  // A detail's own message, else what it names: `tag_name already_exists`.
  const detailMessages = details.map(d =>
    typeof d?.message === 'string'
      ? d.message
      : strings([d?.field, d?.code]).join(' '),
  );
  return {
    status: e.status,
    message,
    codes: strings(details.map(d => d?.code)),
    fields: strings(details.map(d => d?.field)),
    text: [message, ...detailMessages].filter(Boolean).join(': '),
  };
}

/**
 * A failed GitHub call as the portal's error: what `mapping` makes of its
 * status, or else {@link describeGithubFailure}'s error naming `operation`
 * and `where` (a `ServiceUnavailableError` for 5xx, 429 or no answer, after
 * the client's retries).
 */
export function githubError(
  operation: string,
  where: string,
  error: unknown,
  mapping: StatusMapping = {},
): Error {
  const failure = readGithubFailure(error);
  const mapped = failure && mapping[failure.status]?.(failure);
  return mapped ?? describeGithubFailure(operation, where, error);
}

/** Runs one GitHub call, failing with {@link githubError}. */
export async function callGithub<T>(
  operation: string,
  where: string,
  run: () => Promise<T>,
  mapping: StatusMapping = {},
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw githubError(operation, where, error, mapping);
  }
}

/** A 404 (or other status) as a `NotFoundError` with `message`. */
export const notFound = (message: string) => () => new NotFoundError(message);

/** A 422 GitHub explains, as an `InputError` carrying its explanation. */
export const refused =
  (what: string) =>
  (failure: GithubFailure): Error =>
    new InputError(`GitHub refused to ${what}: ${failure.text}`);

/** A `ConflictError` with `message`. */
export const conflict = (message: string) => new ConflictError(message);
