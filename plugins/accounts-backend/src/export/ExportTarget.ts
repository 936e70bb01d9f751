/**
 * Where accounts.json is written: a Cloud Storage object or a local folder.
 *
 * @public
 */
export interface ExportTarget {
  /**
   * Replaces the document; a reader never sees a half-written one. Throws
   * {@link ExportConflictError} when someone else changed the target since
   * this one last read or wrote it: the caller then builds a fresh document
   * and writes again.
   */
  write(document: string): Promise<void>;
  /** The document last written, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  /** Where it writes, for logs and API answers, e.g. `folder:.data/export`. */
  describe(): string;
}

/**
 * The target changed underneath the writer (Cloud Storage answered 412 to a
 * write conditioned on the generation last seen). Nothing was written; the
 * target has re-read its state, so writing a fresh document can succeed.
 *
 * @public
 */
export class ExportConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportConflictError';
  }
}
