import { IncomingMessage, ServerResponse } from 'http';

const DOCS = 'https://docs.github.com/rest';

/** An error answered in GitHub's shape: `{ message, documentation_url, status }`. */
export class GithubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentation = DOCS,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: this.documentation,
      status: String(this.status),
    };
  }
}

export function notFound(documentation = DOCS): GithubHttpError {
  return new GithubHttpError(404, 'Not Found', documentation);
}

/** One entry of a validation error's `errors`, as GitHub words them. */
export interface GithubErrorDetail {
  resource: string;
  code: string;
  field?: string;
  message?: string;
  [extra: string]: unknown;
}

/**
 * An error whose body also lists `errors` (GitHub's "Validation Failed" and
 * some 409s); Octokit appends them to the error's message.
 */
export class GithubDetailedError extends GithubHttpError {
  constructor(
    status: number,
    message: string,
    readonly errors: GithubErrorDetail[],
    documentation = DOCS,
  ) {
    super(status, message, documentation);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      errors: this.errors,
      documentation_url: this.documentation,
      status: String(this.status),
    };
  }
}

/** 422 "Validation Failed" with the offending fields in `errors`. */
export function validationFailed(
  errors: GithubErrorDetail[],
  documentation = DOCS,
): GithubHttpError {
  return new GithubDetailedError(
    422,
    'Validation Failed',
    errors,
    documentation,
  );
}

/** 422, the status GitHub gives input it understood but will not apply. */
export function unprocessable(
  message: string,
  documentation = DOCS,
): GithubHttpError {
  return new GithubHttpError(422, message, documentation);
}

/** Where GitHub's errors point, per route family. */
export const DOCS_URLS = {
  refs: `${DOCS}/git/refs`,
  updateRef: `${DOCS}/git/refs#update-a-reference`,
  createRef: `${DOCS}/git/refs#create-a-reference`,
  commits: `${DOCS}/git/commits`,
  createCommit: `${DOCS}/git/commits#create-a-commit`,
  trees: `${DOCS}/git/trees`,
  createTree: `${DOCS}/git/trees#create-a-tree`,
  blobs: `${DOCS}/git/blobs`,
  createBlob: `${DOCS}/git/blobs#create-a-blob`,
  repos: `${DOCS}/repos/repos#get-a-repository`,
  repoCommits: `${DOCS}/commits/commits`,
  rateLimits: `${DOCS}/overview/rate-limits-for-the-rest-api`,
  releases: `${DOCS}/releases/releases`,
  createRelease: `${DOCS}/releases/releases#create-a-release`,
  updateRelease: `${DOCS}/releases/releases#update-a-release`,
  compare: `${DOCS}/commits/commits#compare-two-commits`,
  branch: `${DOCS}/branches/branches#get-a-branch`,
  pulls: `${DOCS}/pulls/pulls`,
  createPull: `${DOCS}/pulls/pulls#create-a-pull-request`,
  updatePull: `${DOCS}/pulls/pulls#update-a-pull-request`,
  deployments: `${DOCS}/deployments/deployments`,
  createDeployment: `${DOCS}/deployments/deployments#create-a-deployment`,
  createDeploymentStatus: `${DOCS}/deployments/statuses#create-a-deployment-status`,
};

/** What a route handler answers (errors are thrown as GithubHttpError). */
export interface GithubResponse {
  status: number;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with its `content-type` in `headers`) instead of `body`. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
  res.end(text);
}

/** Sends a handler's answer: raw bytes or JSON. */
export function sendResponse(
  res: ServerResponse,
  response: GithubResponse,
  headers: Record<string, string>,
): void {
  if (!response.raw) {
    sendJson(res, response.status, response.body, {
      ...headers,
      ...response.headers,
    });
    return;
  }
  res.writeHead(response.status, {
    'content-length': String(response.raw.length),
    ...headers,
    ...response.headers,
  });
  res.end(response.raw);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; GitHub answers 400 to what is not JSON. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new GithubHttpError(400, 'Problems parsing JSON');
  }
}

/** A field of a JSON body that must be a non-empty string. */
export function requireString(
  body: Record<string, unknown>,
  field: string,
  documentation?: string,
): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw unprocessable(
      `Invalid request.\n\n"${field}" wasn't supplied.`,
      documentation,
    );
  }
  return value;
}

/**
 * An optional field that must have `type` when present (`null` counts as
 * absent); otherwise 422 as GitHub's schema check answers.
 */
export function optional<T extends 'string' | 'boolean'>(
  body: Record<string, unknown>,
  field: string,
  type: T,
  documentation?: string,
): (T extends 'string' ? string : boolean) | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(
        value,
      )} is not a ${type}.`,
      documentation,
    );
  }
  return value as T extends 'string' ? string : boolean;
}

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value);
}
