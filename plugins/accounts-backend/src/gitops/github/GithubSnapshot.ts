import { createHash } from 'crypto';
import { ConfigCommit, ConfigSnapshot } from '../ConfigRepository';
import { pathsUnder } from '../sortedPaths';

/** A file of a snapshot: its blob and git mode. */
export interface GithubFileEntry {
  sha: string;
  mode: string;
}

/**
 * The sha git (and GitHub) gives a file with this content: SHA-1 over
 * `blob <size>\0<bytes>`. Lets a writer tell which files really change
 * without asking GitHub.
 */
export function gitBlobSha(content: string): string {
  const data = Buffer.from(content, 'utf8');
  return createHash('sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/**
 * The files of one commit, from one recursive tree read. Contents are read
 * lazily by blob sha through `readBlob` (which caches them, and switches to
 * the commit's archive when many are wanted).
 */
export class GithubSnapshot implements ConfigSnapshot {
  private readonly paths: string[];

  constructor(
    readonly commit: ConfigCommit,
    /** The commit's root tree, the `base_tree` of a commit built on it. */
    readonly treeSha: string,
    private readonly files: ReadonlyMap<string, GithubFileEntry>,
    private readonly readBlob: (sha: string) => Promise<string>,
  ) {
    this.paths = [...files.keys()].sort();
  }

  /** How many files the snapshot holds. */
  get size(): number {
    return this.paths.length;
  }

  list(folder: string): string[] {
    return pathsUnder(this.paths, folder, path => this.files.has(path));
  }

  async read(path: string): Promise<string | undefined> {
    const entry = this.files.get(path);
    return entry ? this.readBlob(entry.sha) : undefined;
  }

  blobId(path: string): string | undefined {
    return this.files.get(path)?.sha;
  }

  /** The file's blob and mode, or `undefined`. */
  entry(path: string): GithubFileEntry | undefined {
    return this.files.get(path);
  }

  /**
   * The snapshot of a commit made on this one with `changes` (blob sha, or
   * `undefined` for a deletion), without reading its tree from GitHub.
   */
  derive(
    commit: ConfigCommit,
    treeSha: string,
    changes: ReadonlyMap<string, string | undefined>,
    readBlob: (
      files: ReadonlyMap<string, GithubFileEntry>,
    ) => (sha: string) => Promise<string>,
  ): GithubSnapshot {
    const files = new Map(this.files);
    for (const [path, sha] of changes) {
      if (sha === undefined) files.delete(path);
      else files.set(path, { sha, mode: '100644' });
    }
    return new GithubSnapshot(commit, treeSha, files, readBlob(files));
  }
}
