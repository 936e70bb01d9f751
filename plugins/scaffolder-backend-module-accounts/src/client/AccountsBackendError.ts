import { CustomErrorBase, ResponseError } from '@backstage/errors';

/**
 * A failure answered by the accounts backend. Its message is the backend's
 * own (`Invalid cluster: ...`, `No account named ...`), so that the task log
 * says what went wrong; the `ResponseError` is its cause.
 *
 * @public
 */
export class AccountsBackendError extends CustomErrorBase {
  name = 'AccountsBackendError' as const;

  /** The HTTP status the backend answered. */
  readonly statusCode: number;

  constructor(cause: ResponseError) {
    super(cause.body?.error?.message || cause.message, cause);
    this.statusCode = cause.statusCode;
  }

  /** Reads a failed response into an error carrying the backend's message. */
  static async fromResponse(response: Response): Promise<AccountsBackendError> {
    return new AccountsBackendError(await ResponseError.fromResponse(response));
  }
}
