import { createHash } from 'crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { closeServer, listenOnLoopback, loopbackUrl } from '../loopbackServer';
import { crc32cBase64 } from './crc32c';

/** What a request to the server asked for. */
export type GcsRequestKind =
  | 'upload'
  | 'metadata'
  | 'download'
  | 'delete'
  | 'unsupported';

/** One request as the server saw and answered it. */
export interface GcsLoggedRequest {
  method: string;
  kind: GcsRequestKind;
  bucket?: string;
  object?: string;
  /** The query parameters, e.g. `uploadType`, `ifGenerationMatch`. */
  query: Record<string, string>;
  status: number;
  /** An upload's media (the document), once the server parsed it. */
  media?: Buffer;
  /** Answered by an injected fault rather than by the API logic. */
  injected: boolean;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
}

/** Which requests an injected fault answers; every given field must match. */
export interface GcsFaultMatch {
  kind?: GcsRequestKind;
  method?: string;
  bucket?: string;
  object?: string;
}

/** An object as the server holds it. */
export interface GcsStoredObject {
  data: Buffer;
  contentType: string;
  generation: number;
  metageneration: number;
  created: Date;
  updated: Date;
}

/** Options of {@link GcsTestServer.start}. */
export interface GcsTestServerOptions {
  /** Buckets that exist from the start. Others answer 404. */
  buckets?: string[];
  /**
   * When set, a write to an object less than this many milliseconds after
   * the previous successful write to it answers 429 `rateLimitExceeded`, as
   * Cloud Storage does for objects mutated more than about once a second.
   */
  objectMutationIntervalMs?: number;
}

interface Fault {
  status: 412 | 429 | 503;
  remaining: number;
  match: GcsFaultMatch;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const PRECONDITION_FAILED =
  'At least one of the pre-conditions you specified did not hold.';

/**
 * A local server speaking the part of the Cloud Storage JSON API that
 * `@google-cloud/storage` uses to write and read one object: simple
 * (`uploadType=media`) and multipart uploads, object metadata, media
 * download (with the `x-goog-hash` the client validates), delete, and the
 * generation and metageneration preconditions, answering errors in the JSON
 * API's shape. Resumable uploads and object versioning are not supported.
 *
 * Tests can inject faults (the next N matching requests answer 412, 429 or
 * 503) and read the request log.
 */
export class GcsTestServer {
  /** Every request, in the order they arrived. */
  readonly requests: GcsLoggedRequest[] = [];

  private readonly buckets = new Set<string>();
  private readonly objects = new Map<string, GcsStoredObject>();
  private readonly lastMutationAt = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private lastGeneration = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: GcsTestServerOptions,
  ) {
    for (const bucket of options.buckets ?? []) this.buckets.add(bucket);
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(
    options: GcsTestServerOptions = {},
  ): Promise<GcsTestServer> {
    const server = createServer();
    const instance = new GcsTestServer(server, options);
    server.on('request', (req, res) => {
      instance.handle(req, res).catch(error => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end(String(error));
      });
    });
    await listenOnLoopback(server);
    return instance;
  }

  /** The base URL, for the client's `apiEndpoint`. */
  get url(): string {
    return loopbackUrl(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  createBucket(name: string): void {
    this.buckets.add(name);
  }

  /**
   * Answers the next `times` requests matching `match` with `status`
   * (in Cloud Storage's error shape) without acting on them.
   */
  injectFault(fault: {
    status: 412 | 429 | 503;
    times?: number;
    match?: GcsFaultMatch;
  }): void {
    this.faults.push({
      status: fault.status,
      remaining: fault.times ?? 1,
      match: fault.match ?? {},
    });
  }

  /** Drops the faults not yet used up. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The object as stored, or `undefined`. */
  object(bucket: string, name: string): GcsStoredObject | undefined {
    return this.objects.get(key(bucket, name));
  }

  /** Logged requests matching `match` (all fields given must match). */
  requestsMatching(
    match: GcsFaultMatch & { status?: number },
  ): GcsLoggedRequest[] {
    return this.requests.filter(
      r =>
        matches(match, r) &&
        (match.status === undefined || r.status === match.status),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = req.method ?? 'GET';
    const route = parseRoute(method, url.pathname, query);
    const entry: GcsLoggedRequest = {
      method,
      kind: route.kind,
      bucket: route.bucket,
      object: route.object ?? query.name,
      query,
      status: 0,
      injected: false,
      receivedAt: Date.now(),
    };
    this.requests.push(entry);

    const fault = this.faults.find(
      f => f.remaining > 0 && matches(f.match, entry),
    );
    if (fault) {
      fault.remaining -= 1;
      entry.injected = true;
      entry.status = fault.status;
      sendError(res, injectedError(fault.status, entry));
      return;
    }

    try {
      entry.status = await this.dispatch(route, req, res, query, body, entry);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      entry.status = error.status;
      sendError(res, error);
    }
  }

  private async dispatch(
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
    query: Record<string, string>,
    body: Buffer,
    entry: GcsLoggedRequest,
  ): Promise<number> {
    if (route.kind === 'unsupported') {
      throw new HttpError(
        400,
        `This test server does not support ${req.method} ${route.path}${
          query.uploadType ? ` with uploadType=${query.uploadType}` : ''
        }.`,
        'invalid',
      );
    }
    const bucket = route.bucket!;
    if (!this.buckets.has(bucket)) {
      throw new HttpError(
        404,
        'The specified bucket does not exist.',
        'notFound',
      );
    }
    if (route.kind === 'upload') {
      const upload = parseUpload(req, query, body);
      entry.object = upload.name;
      entry.media = upload.data;
      const stored = this.insert(bucket, upload, query);
      return sendJson(res, 200, this.resource(bucket, upload.name, stored));
    }

    const name = route.object!;
    const current = this.objects.get(key(bucket, name));
    if (
      !current ||
      (query.generation !== undefined &&
        parseInt64(query.generation, 'generation') !== current.generation)
    ) {
      throw new HttpError(404, `No such object: ${bucket}/${name}`, 'notFound');
    }
    if (route.kind === 'delete') {
      checkPreconditions(query, current, 'write');
      this.objects.delete(key(bucket, name));
      res.writeHead(204);
      res.end();
      return 204;
    }
    if (checkPreconditions(query, current, 'read') === 'notModified') {
      res.writeHead(304);
      res.end();
      return 304;
    }
    if (route.kind === 'metadata') {
      return sendJson(res, 200, this.resource(bucket, name, current));
    }
    // Media download. The client validates the body against x-goog-hash
    // when x-goog-stored-content-encoding says it was stored as served.
    res.writeHead(200, {
      'content-type': current.contentType,
      'content-length': String(current.data.length),
      'x-goog-generation': String(current.generation),
      'x-goog-metageneration': String(current.metageneration),
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(current.data.length),
      'x-goog-hash': `crc32c=${crc32cBase64(current.data)},md5=${md5Base64(
        current.data,
      )}`,
      etag: etag(current),
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    });
    res.end(current.data);
    return 200;
  }

  private insert(
    bucket: string,
    upload: Upload,
    query: Record<string, string>,
  ): GcsStoredObject {
    const id = key(bucket, upload.name);
    const current = this.objects.get(id);
    const interval = this.options.objectMutationIntervalMs;
    const last = this.lastMutationAt.get(id);
    if (interval !== undefined && last !== undefined) {
      if (Date.now() - last < interval) {
        throw rateLimited(bucket, upload.name);
      }
    }
    checkPreconditions(query, current, 'write');
    if (upload.crc32c && upload.crc32c !== crc32cBase64(upload.data)) {
      throw new HttpError(
        400,
        `Provided CRC32C "${
          upload.crc32c
        }" doesn't match calculated CRC32C "${crc32cBase64(upload.data)}".`,
        'invalid',
      );
    }
    if (upload.md5Hash && upload.md5Hash !== md5Base64(upload.data)) {
      throw new HttpError(
        400,
        `Provided MD5 hash "${
          upload.md5Hash
        }" doesn't match calculated MD5 hash "${md5Base64(upload.data)}".`,
        'invalid',
      );
    }
    const now = new Date();
    const stored: GcsStoredObject = {
      data: upload.data,
      contentType: upload.contentType,
      generation: this.nextGeneration(),
      metageneration: 1,
      created: now,
      updated: now,
    };
    this.objects.set(id, stored);
    this.lastMutationAt.set(id, Date.now());
    return stored;
  }

  /** Generations are microsecond timestamps that only ever increase. */
  private nextGeneration(): number {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return this.lastGeneration;
  }

  private resource(bucket: string, name: string, object: GcsStoredObject) {
    const path = `b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(
      name,
    )}`;
    return {
      kind: 'storage#object',
      id: `${bucket}/${name}/${object.generation}`,
      selfLink: `${this.url}/storage/v1/${path}`,
      mediaLink: `${this.url}/download/storage/v1/${path}?generation=${object.generation}&alt=media`,
      name,
      bucket,
      // int64 fields travel as strings in the JSON API.
      generation: String(object.generation),
      metageneration: String(object.metageneration),
      contentType: object.contentType,
      storageClass: 'STANDARD',
      size: String(object.data.length),
      md5Hash: md5Base64(object.data),
      crc32c: crc32cBase64(object.data),
      etag: etag(object),
      timeCreated: object.created.toISOString(),
      updated: object.updated.toISOString(),
      timeStorageClassUpdated: object.created.toISOString(),
      timeFinalized: object.created.toISOString(),
    };
  }
}

interface Route {
  kind: GcsRequestKind;
  path: string;
  bucket?: string;
  object?: string;
}

function parseRoute(
  method: string,
  pathname: string,
  query: Record<string, string>,
): Route {
  const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o\/?$/.exec(pathname);
  if (upload) {
    const supported =
      method === 'POST' &&
      (query.uploadType === 'media' || query.uploadType === 'multipart');
    return {
      kind: supported ? 'upload' : 'unsupported',
      path: pathname,
      bucket: decodeURIComponent(upload[1]),
    };
  }
  const object = /^(?:\/download)?\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(
    pathname,
  );
  if (object) {
    const bucket = decodeURIComponent(object[1]);
    const name = decodeURIComponent(object[2]);
    let kind: GcsRequestKind = 'unsupported';
    if (method === 'GET')
      kind = query.alt === 'media' ? 'download' : 'metadata';
    if (method === 'DELETE') kind = 'delete';
    return { kind, path: pathname, bucket, object: name };
  }
  return { kind: 'unsupported', path: pathname };
}

interface Upload {
  name: string;
  data: Buffer;
  contentType: string;
  md5Hash?: string;
  crc32c?: string;
}

function parseUpload(
  req: IncomingMessage,
  query: Record<string, string>,
  body: Buffer,
): Upload {
  const contentType = req.headers['content-type'] ?? '';
  if (query.uploadType === 'media') {
    return {
      name: requireName(query.name),
      data: body,
      contentType: contentType || 'application/octet-stream',
    };
  }
  // multipart/related: a JSON part with the metadata, then the media part.
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!/^multipart\/related/i.test(contentType) || !boundary) {
    throw new HttpError(
      400,
      'Multipart upload needs Content-Type multipart/related with a boundary.',
      'invalid',
    );
  }
  const parts = splitMultipart(body, boundary);
  if (parts.length !== 2) {
    throw new HttpError(
      400,
      `Multipart upload must have 2 parts, not ${parts.length}.`,
      'invalid',
    );
  }
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(parts[0].body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'Metadata part is not valid JSON.', 'parseError');
  }
  const str = (value: unknown) =>
    typeof value === 'string' ? value : undefined;
  return {
    name: requireName(query.name ?? str(metadata.name)),
    data: parts[1].body,
    contentType:
      str(metadata.contentType) ??
      parts[1].headers['content-type'] ??
      'application/octet-stream',
    md5Hash: str(metadata.md5Hash),
    crc32c: str(metadata.crc32c),
  };
}

function splitMultipart(
  body: Buffer,
  boundary: string,
): Array<{ headers: Record<string, string>; body: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: Record<string, string>; body: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') {
      break; // closing delimiter
    }
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    // The part runs from after the delimiter's line break to the CRLF that
    // precedes the next delimiter.
    const part = body.subarray(
      afterDelimiter + 2,
      body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next,
    );
    const headerEnd = part.indexOf('\r\n\r\n');
    const headerText =
      headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString();
    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) {
        headers[line.slice(0, colon).trim().toLowerCase()] = line
          .slice(colon + 1)
          .trim();
      }
    }
    parts.push({
      headers,
      body: headerEnd === -1 ? part : part.subarray(headerEnd + 4),
    });
    start = next;
  }
  return parts;
}

function requireName(name: string | undefined): string {
  if (!name) {
    throw new HttpError(400, 'Required', 'required', {
      locationType: 'parameter',
      location: 'name',
    });
  }
  return name;
}

function parseInt64(value: string, parameter: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new HttpError(
      400,
      `Invalid argument for parameter ${parameter}: ${value}`,
      'invalid',
    );
  }
  return Number(value);
}

/**
 * Evaluates the generation and metageneration preconditions as Cloud
 * Storage does: `ifGenerationMatch=0` means the object must not exist,
 * `ifGenerationNotMatch=0` that it must. A failed match answers 412; on
 * reads a failed not-match answers 304.
 */
function checkPreconditions(
  query: Record<string, string>,
  current: GcsStoredObject | undefined,
  access: 'read' | 'write',
): 'ok' | 'notModified' {
  const value = (name: string) =>
    query[name] === undefined ? undefined : parseInt64(query[name], name);
  const generationMatch = value('ifGenerationMatch');
  const generationNotMatch = value('ifGenerationNotMatch');
  const metagenerationMatch = value('ifMetagenerationMatch');
  const metagenerationNotMatch = value('ifMetagenerationNotMatch');
  const failed = () =>
    new HttpError(412, PRECONDITION_FAILED, 'conditionNotMet', {
      locationType: 'header',
      location: 'If-Match',
    });

  if (generationMatch !== undefined) {
    const holds =
      generationMatch === 0
        ? current === undefined
        : current?.generation === generationMatch;
    if (!holds) throw failed();
  }
  if (metagenerationMatch !== undefined) {
    if (current?.metageneration !== metagenerationMatch) throw failed();
  }
  const notMatchFails =
    (generationNotMatch !== undefined &&
      (generationNotMatch === 0
        ? current === undefined
        : current?.generation === generationNotMatch)) ||
    (metagenerationNotMatch !== undefined &&
      current?.metageneration === metagenerationNotMatch);
  if (notMatchFails) {
    if (access === 'read') return 'notModified';
    throw failed();
  }
  return 'ok';
}

function injectedError(status: number, entry: GcsLoggedRequest): HttpError {
  if (status === 412) {
    return new HttpError(412, PRECONDITION_FAILED, 'conditionNotMet', {
      locationType: 'header',
      location: 'If-Match',
    });
  }
  if (status === 429) {
    return rateLimited(entry.bucket ?? '', entry.object ?? '');
  }
  return new HttpError(
    503,
    'We encountered an internal error. Please try again.',
    'backendError',
  );
}

function rateLimited(bucket: string, name: string): HttpError {
  return new HttpError(
    429,
    `The object ${bucket}/${name} exceeded the rate limit for object mutation operations (create, update, and delete). Please reduce your request rate.`,
    'rateLimitExceeded',
  );
}

function matches(match: GcsFaultMatch, entry: GcsLoggedRequest): boolean {
  return (
    (match.kind === undefined || match.kind === entry.kind) &&
    (match.method === undefined || match.method === entry.method) &&
    (match.bucket === undefined || match.bucket === entry.bucket) &&
    (match.object === undefined || match.object === entry.object)
  );
}

/** The JSON API's error shape: `{ error: { code, message, errors[] } }`. */
function sendError(res: ServerResponse, error: HttpError) {
  sendJson(res, error.status, {
    error: {
      code: error.status,
      message: error.message,
      errors: [
        {
          message: error.message,
          domain: 'global',
          reason: error.reason,
          ...error.extra,
        },
      ],
    },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
  return status;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function md5Base64(data: Buffer): string {
  return createHash('md5').update(data).digest('base64');
}

function etag(object: GcsStoredObject): string {
  return `"${object.generation.toString(16)}-${object.metageneration}"`;
}

function key(bucket: string, name: string): string {
  return `${bucket}/${name}`;
}
