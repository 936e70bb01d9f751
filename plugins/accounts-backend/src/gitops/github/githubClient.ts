import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/**
 * How hard the client tries before it gives up; the defaults suit GitHub,
 * tests shorten the delays.
 */
export interface GithubClientTuning {
  /** Retries of a 5xx or failed connection (retry plugin); default 3. */
  retries?: number;
  /**
   * Base of the retry plugin's backoff: the n-th retry waits n² × this;
   * default 1000 ms (1 s, 4 s, 9 s).
   */
  retryBaseDelayMs?: number;
  /** Retries of a rate-limited request (403/429); default 3. */
  rateLimitRetries?: number;
  /**
   * What one second of `retry-after` (or of the wait until
   * `x-ratelimit-reset`) is worth; default 1000 ms. Tests keep the default
   * to see it honoured, or shorten it.
   */
  rateLimitBaseDelayMs?: number;
  /** A longer rate-limit wait than this fails at once; default 60 s. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Least time between two write calls. GitHub asks for a second between
   * content-creating requests, which the throttling plugin applies by
   * default; tests set 0.
   */
  writeSpacingMs?: number;
  /** Time limit of one HTTP attempt; default 30 s. */
  requestTimeoutMs?: number;
}

/** Options of {@link createGithubClient}. */
export interface GithubClientOptions extends GithubClientTuning {
  /** The REST API's base URL, e.g. `https://api.github.com`. */
  baseUrl: string;
  /** The token for the next request (GitHub App tokens expire). */
  getToken(): Promise<string>;
  logger: LoggerService;
}

/** Fields this module adds to the errors Octokit throws. */
export interface AnnotatedRequestError extends Error {
  status?: number;
  response?: { data?: unknown; headers?: Record<string, string> };
  /** HTTP attempts made for the request, retries included. */
  attempts?: number;
}

/**
 * An error naming the operation, the repository (`where`) and the tries
 * made: a `ServiceUnavailableError` when GitHub was unavailable or limiting
 * (5xx, 429, no answer). Built from the status and GitHub's message only,
 * never from the request, so never with its credentials.
 */
export function describeGithubFailure(
  operation: string,
  where: string,
  error: unknown,
): Error {
  const e = error as AnnotatedRequestError;
  if (typeof e?.status !== 'number') {
    return new Error(`Could not ${operation} ${where}: ${e?.message}`);
  }
  const tries = e.attempts ?? 1;
  const detail = e.response
    ? `${e.status} ${e.message}`
    : `no answer (${e.message})`;
  const message = `GitHub refused to ${operation} ${where} after ${tries} ${
    tries === 1 ? 'try' : 'tries'
  }: ${detail}`;
  const transient = !e.response || e.status >= 500 || e.status === 429;
  const out = transient
    ? new ServiceUnavailableError(message)
    : new Error(message);
  return Object.assign(out, { status: e.status });
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Seconds a rate-limited answer asks to wait, from its headers. */
function waitSeconds(headers: Record<string, string> = {}): number {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter;
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return Math.max(0, Math.ceil((reset - Date.now()) / 1000));
  }
  return 60;
}

/**
 * An Octokit with the throttling and retry plugins, authenticating every
 * HTTP attempt with a token fetched just then (so GitHub App installation
 * tokens refresh), never logging it.
 *
 * The retry plugin retries 5xx and failed connections with backoff. The
 * throttling plugin (6.x) only recognises 403 rate limits, so a 429 with
 * `retry-after` is waited out here, under the same budget.
 */
export function createGithubClient(options: GithubClientOptions): Octokit {
  const { logger } = options;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const baseDelay = options.rateLimitBaseDelayMs ?? 1000;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  const shouldWait = (
    kind: string,
    seconds: number,
    request: { method?: string; url?: string },
    retryCount: number,
  ) => {
    const what = `${request.method} ${request.url}`;
    if (retryCount >= rateLimitRetries || seconds > maxWait) {
      logger.warn(`GitHub ${kind} rate limit on ${what}: giving up`, {
        retryAfterSeconds: seconds,
        retries: retryCount,
      });
      return false;
    }
    logger.warn(`GitHub ${kind} rate limit on ${what}: retrying`, {
      retryAfterSeconds: seconds,
    });
    return true;
  };

  // Attempts per logical request: inner hooks see the same options object
  // on every retry of the outer plugins.
  const attempts = new WeakMap<object, number>();

  type RequestFn = ((options: object) => Promise<unknown>) & {
    endpoint: { merge(route: object, parameters?: object): any };
  };
  const hook = async (
    request: RequestFn,
    route: object,
    parameters?: object,
  ) => {
    const endpoint = request.endpoint.merge(route, parameters);
    for (let waits = 0; ; waits++) {
      const attempt = (attempts.get(route) ?? 0) + 1;
      attempts.set(route, attempt);
      endpoint.headers.authorization = `token ${await options.getToken()}`;
      endpoint.request = {
        ...endpoint.request,
        signal: AbortSignal.timeout(timeoutMs),
      };
      try {
        return await request(endpoint);
      } catch (error) {
        const failure = error as AnnotatedRequestError;
        failure.attempts = attempt;
        if (failure.status !== 429) throw failure;
        const headers = failure.response?.headers ?? {};
        const kind =
          headers['x-ratelimit-remaining'] === '0' ? 'primary' : 'secondary';
        if (!shouldWait(kind, waitSeconds(headers), endpoint, waits)) {
          throw failure;
        }
        await sleep(waitSeconds(headers) * baseDelay);
      }
    }
  };
  const authStrategy = () =>
    Object.assign(async () => ({ type: 'token', tokenType: 'dynamic' }), {
      hook,
    });

  const throttle: Record<string, unknown> = {
    id: `fleet-portal ${options.baseUrl}`,
    retryAfterBaseValue: baseDelay,
    onRateLimit: (seconds: number, request: any, _o: unknown, count: number) =>
      shouldWait('primary', seconds, request, count),
    onSecondaryRateLimit: (
      seconds: number,
      request: any,
      _o: unknown,
      count: number,
    ) => shouldWait('secondary', seconds, request, count),
  };
  if (options.writeSpacingMs !== undefined) {
    throttle.write = spacedGroup(options.writeSpacingMs);
  }

  const Client = Octokit.plugin(throttling, retry);
  return new Client({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    authStrategy,
    userAgent: 'fleet-portal-accounts-backend',
    throttle: throttle as any,
    retry: {
      retries: options.retries ?? 3,
      // 429 is waited out above, rate-limit 403s by the throttling plugin.
      doNotRetry: [400, 401, 403, 404, 409, 422, 429],
      ...(options.retryBaseDelayMs === undefined
        ? {}
        : { retryAfterBaseValue: options.retryBaseDelayMs }),
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

/**
 * A stand-in for the throttling plugin's write group (a Bottleneck group):
 * runs scheduled jobs one at a time, at least `ms` apart.
 */
function spacedGroup(ms: number) {
  let tail: Promise<unknown> = Promise.resolve();
  let last = 0;
  const limiter = {
    schedule<T>(
      _options: unknown,
      fn: (...args: any[]) => Promise<T>,
      ...args: any[]
    ) {
      const run = tail.then(async () => {
        const wait = last + ms - Date.now();
        if (wait > 0) await sleep(wait);
        last = Date.now();
      });
      tail = run.catch(() => undefined);
      return run.then(() => fn(...args));
    },
  };
  return { key: () => limiter };
}
