import { mkdir, readFile, rename, writeFile } from 'fs/promises';
import { join } from 'path';
import { ExportTarget } from './ExportTarget';

const FILE_NAME = 'accounts.json';

/**
 * Writes accounts.json into a local folder (the embedded default). A write
 * goes to a temporary file first and is renamed over the old one, so a
 * reader sees either the old or the new document, never a part.
 *
 * @public
 */
export class FolderExportTarget implements ExportTarget {
  private sequence = 0;

  constructor(private readonly folder: string) {}

  async write(document: string): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    this.sequence += 1;
    const temporary = join(
      this.folder,
      `.${FILE_NAME}.${process.pid}.${this.sequence}.tmp`,
    );
    await writeFile(temporary, document, { encoding: 'utf8', mode: 0o644 });
    await rename(temporary, join(this.folder, FILE_NAME));
  }

  async read(): Promise<string | undefined> {
    try {
      return await readFile(join(this.folder, FILE_NAME), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  describe(): string {
    return `folder:${this.folder}`;
  }
}
