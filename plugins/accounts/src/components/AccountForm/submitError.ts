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
    const response = error as ResponseError;
    return {
      status: response.statusCode,
      message: response.body?.error?.message ?? response.message,
    };
  }
  return { message: isError(error) ? error.message : String(error) };
}
