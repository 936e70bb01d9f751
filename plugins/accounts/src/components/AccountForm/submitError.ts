import { ResponseError, isError } from '@backstage/errors';

/**
 * The HTTP status and the backend's own message of a failed request (not
 * the `Request failed with 400 Bad Request, ...` wrapping), or the message of
 * any other error (the network, for one).
 */
export function serverError(error: unknown): {
  status?: number;
  message: string;
} {
  if (isError(error) && error.name === 'ResponseError') {
    // Compared by name, not instanceof: the class may come from another copy
    // of @backstage/errors.
    const { statusCode, body } = error as unknown as ResponseError;
    return {
      status: statusCode,
      message: body?.error?.message ?? error.message,
    };
  }
  return { message: isError(error) ? error.message : String(error) };
}
