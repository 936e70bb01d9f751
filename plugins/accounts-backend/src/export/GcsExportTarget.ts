import {
  ApiError,
  IdempotencyStrategy,
  RETRYABLE_ERR_FN_DEFAULT,
  Storage,
  StorageOptions,
} from '@google-cloud/storage';
import { ExportConflictError, ExportTarget } from './ExportTarget';

/**
 * Options of {@link GcsExportTarget}.
 *
 * @public
 */
export interface GcsExportTargetOptions {
  bucket: string;
  /** The object's name; `accounts.json` unless set. */
  object?: string;
  /**
   * Another endpoint than Cloud Storage's own, e.g. a private endpoint or a
   * local server speaking the JSON API. Requests to it are authenticated
   * unless `anonymous` is set.
   */
  apiEndpoint?: string;
  /** Project of the bucket; objects are addressed by bucket, so optional. */
  projectId?: string;
  /**
   * Send no credentials: for a local server or emulator at `apiEndpoint`
   * only. Otherwise Google application default credentials are used.
   */
  anonymous?: boolean;
  /**
   * How often the client retries a write or read answered 429, 408 or 5xx
   * (default 3). Writes are retried because each carries a generation
   * precondition, so a retry can never overwrite someone else's document.
   */
  maxRetries?: number;
  /**
   * Upper bound of the client's back-off between two tries (default 8 s).
   * The client's back-off starts at 1 s, so values below are raised to 1 s.
   */
  maxRetryDelayMs?: number;
  /** Gives up retrying after this long (default 60 s). */
  totalTimeoutMs?: number;
}

const DEFAULT_OBJECT = 'accounts.json';

/**
 * Writes accounts.json to a Cloud Storage object.
 *
 * Every write is conditioned on the generation last seen
 * (`ifGenerationMatch`, `0` when the object does not exist yet), so a
 * concurrent writer is never overwritten blindly: Cloud Storage answers 412,
 * this target re-reads the generation and throws
 * {@link ExportConflictError} so the exporter writes a fresh snapshot.
 * Because every write carries that precondition, the client's own retries
 * of 429 and 5xx (bounded by `maxRetries`) are safe. An upload replaces the
 * object in one step: readers see the old or the new document.
 *
 * @public
 */
export class GcsExportTarget implements ExportTarget {
  private readonly storage: Storage;
  private readonly bucket: string;
  private readonly object: string;
  private readonly maxRetries: number;
  /** The generation last seen; `undefined` until read, `0` for none. */
  private generation: number | undefined;

  constructor(options: GcsExportTargetOptions) {
    this.bucket = options.bucket;
    this.object = options.object ?? DEFAULT_OBJECT;
    const maxRetries = options.maxRetries ?? 3;
    this.maxRetries = maxRetries;
    const storageOptions: StorageOptions = {
      projectId: options.projectId,
      retryOptions: {
        // The client reads `maxRetries: 0` as "use the default": switch
        // retrying off instead.
        autoRetry: maxRetries > 0,
        maxRetries: Math.max(maxRetries, 1),
        // Uploads back off from 1 s; a lower cap makes them fail outright.
        maxRetryDelay: Math.max(1000, options.maxRetryDelayMs ?? 8000) / 1000,
        totalTimeout: (options.totalTimeoutMs ?? 60000) / 1000,
        // Retry a mutation only when it carries a precondition (ours all do).
        idempotencyStrategy: IdempotencyStrategy.RetryConditional,
      },
    };
    if (options.apiEndpoint) {
      storageOptions.apiEndpoint = options.apiEndpoint;
      // The client skips authentication for any custom endpoint unless told.
      storageOptions.useAuthWithCustomEndpoint = !options.anonymous;
    } else if (options.anonymous) {
      throw new Error(
        'GcsExportTarget: anonymous access needs an apiEndpoint (a local server)',
      );
    }
    this.storage = new Storage(storageOptions);
  }

  async write(document: string): Promise<void> {
    const generation = this.generation ?? (await this.currentGeneration());
    const file = this.storage.bucket(this.bucket).file(this.object);
    try {
      await file.save(document, {
        // A small document: one multipart request, all or nothing.
        resumable: false,
        contentType: 'application/json',
        metadata: { cacheControl: 'no-cache' },
        validation: 'crc32c',
        preconditionOpts: { ifGenerationMatch: generation },
      });
    } catch (error) {
      // Whatever happened, re-read the generation before the next write.
      this.generation = undefined;
      if (statusOf(error) === 412) {
        throw new ExportConflictError(
          `${this.describe()} changed since generation ${generation}; nothing was written`,
        );
      }
      throw new Error(
        `Writing accounts.json to ${this.describe()} failed${this.retried(
          error,
        )}: ${summary(error)}`,
      );
    }
    this.generation = Number(file.metadata.generation);
  }

  async read(): Promise<string | undefined> {
    const file = this.storage.bucket(this.bucket).file(this.object);
    try {
      const [contents] = await file.download();
      return contents.toString('utf8');
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw new Error(
        `Reading accounts.json from ${this.describe()} failed${this.retried(
          error,
        )}: ${summary(error)}`,
      );
    }
  }

  describe(): string {
    return `gcs://${this.bucket}/${this.object}`;
  }

  /** The object's current generation, `0` when it does not exist. */
  private async currentGeneration(): Promise<number> {
    const file = this.storage.bucket(this.bucket).file(this.object);
    try {
      const [metadata] = await file.getMetadata();
      return Number(metadata.generation);
    } catch (error) {
      if (statusOf(error) === 404) return 0;
      throw new Error(
        `Reading the generation of ${this.describe()} failed${this.retried(
          error,
        )}: ${summary(error)}`,
      );
    }
  }

  /** Says the client retried, when the error is one it retries. */
  private retried(error: unknown): string {
    return this.maxRetries > 0 && RETRYABLE_ERR_FN_DEFAULT(error as ApiError)
      ? ` (retried up to ${this.maxRetries} times)`
      : '';
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as Partial<ApiError> | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Status and the service's message; never headers or request options. */
function summary(error: unknown): string {
  const status = statusOf(error);
  const message =
    error instanceof Error
      ? error.message.split('\n').find(line => line.trim()) ?? error.name
      : String(error);
  return status ? `${status} ${message.trim()}` : message.trim();
}
