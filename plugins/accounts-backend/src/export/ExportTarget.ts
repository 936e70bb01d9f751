/**
 * Where accounts.json is written: a Cloud Storage object or a local folder.
 *
 * @public
 */
export interface ExportTarget {
  /** Replaces the document; a reader never sees a half-written one. */
  write(document: string): Promise<void>;
  /** The document last written, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  /** Where it writes, for logs and API answers, e.g. `folder:.data/export`. */
  describe(): string;
}
