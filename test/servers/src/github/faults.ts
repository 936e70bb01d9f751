import { STATUS_CODES } from 'http';
import { DOCS_URLS } from './http';
import { GithubRouteName } from './routes';

/** Which requests a fault answers; every given field must match. */
export interface GithubFaultMatch {
  route?: GithubRouteName;
  method?: string;
  owner?: string;
  repo?: string;
}

/**
 * A fault to inject: the next `times` matching requests are answered with it
 * instead of (or, for `applyThenDestroy`, after) the API logic.
 */
export interface GithubFault extends GithubFaultMatch {
  /** Default 500. Ignored by the `destroy` actions. */
  status?: number;
  /**
   * Response headers, e.g. `retry-after`, or `x-ratelimit-remaining: 0`
   * with `x-ratelimit-reset` (epoch seconds).
   */
  headers?: Record<string, string>;
  /** Default: GitHub's message for the status and rate-limit headers. */
  body?: unknown;
  /** How many requests it answers; default 1. */
  times?: number;
  /**
   * - `respond` (default): answer `status` without acting.
   * - `destroy`: close the connection without acting or answering, as a
   *   crash or a network cut before GitHub saw the request.
   * - `applyThenDestroy`: act (e.g. move the ref), then close the connection
   *   without answering: the client cannot know that it worked.
   */
  action?: 'respond' | 'destroy' | 'applyThenDestroy';
}

/** A fault still armed, with how many more requests it answers. */
export interface ArmedFault extends GithubFault {
  remaining: number;
}

export function faultMatches(
  fault: GithubFaultMatch,
  request: GithubFaultMatch,
): boolean {
  return (
    (fault.route === undefined || fault.route === request.route) &&
    (fault.method === undefined ||
      fault.method.toUpperCase() === request.method) &&
    (fault.owner === undefined ||
      fault.owner.toLowerCase() === request.owner?.toLowerCase()) &&
    (fault.repo === undefined ||
      fault.repo.toLowerCase() === request.repo?.toLowerCase())
  );
}

/**
 * The body GitHub sends with an error status: the primary rate limit's
 * message when `x-ratelimit-remaining` is 0, the secondary rate limit's for
 * other 403/429s, a generic one otherwise.
 */
export function defaultFaultBody(
  status: number,
  headers: Record<string, string>,
): Record<string, unknown> {
  const lower = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  if (
    (status === 403 || status === 429) &&
    lower['x-ratelimit-remaining'] === '0'
  ) {
    return {
      message: 'API rate limit exceeded for user ID 1.',
      documentation_url: `${DOCS_URLS.rateLimits}#about-the-primary-rate-limit`,
      status: String(status),
    };
  }
  if (status === 403 || status === 429) {
    return {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: `${DOCS_URLS.rateLimits}#about-secondary-rate-limits`,
      status: String(status),
    };
  }
  return {
    message: status >= 500 ? 'Server Error' : STATUS_CODES[status] ?? 'Error',
    status: String(status),
  };
}
