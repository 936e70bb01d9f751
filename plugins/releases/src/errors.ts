import { ResponseError, isError } from '@backstage/errors';

/**
 * The HTTP status and the backend's own message of a failed request (`The
 * tag v1.5.0 exists already; tags are never reused`), rather than the
 * `Request failed with 409 Conflict, ...` wrapping; or the message of any
 * other error, a network one for instance.
 */
export function serverError(error: unknown): {
  status?: number;
  message: string;
} {
  // By name, not instanceof: the class may come from another copy of
  // @backstage/errors.
  if (isError(error) && error.name === 'ResponseError') {
    const { statusCode, body } = error as unknown as ResponseError;
    return {
      status: statusCode,
      message: body?.error?.message || error.message,
    };
  }
  return { message: isError(error) ? error.message : String(error) };
}
