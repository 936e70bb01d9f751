import { IncomingMessage, ServerResponse } from 'http';
import { KubeApiError } from './ClusterStore';

/** What an API handler answers; errors are thrown as `KubeApiError`. */
export interface KubeResponse {
  status: number;
  body: unknown;
  /** Sent as `Warning: 299 - "<text>"` headers, as the API server warns. */
  warnings?: string[];
}

/** The API server's request body limit (3 MiB). */
const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      throw new KubeApiError(
        413,
        'RequestEntityTooLarge',
        'Request entity too large: limit is 3145728',
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A `kind: Status` body, the shape of every API server error. */
export function statusBody(error: KubeApiError): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.status,
  };
}

/** The Status a successful delete answers with. */
export function successStatus(
  details: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details,
  };
}

export function sendJson(res: ServerResponse, response: KubeResponse): void {
  const body = JSON.stringify(response.body);
  const headers: Record<string, string | string[]> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-cache, private',
  };
  if (response.warnings?.length) {
    headers.warning = response.warnings.map(w => `299 - ${JSON.stringify(w)}`);
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, error: KubeApiError): void {
  sendJson(res, { status: error.status, body: statusBody(error) });
}
