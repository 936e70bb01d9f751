import fs from 'fs';
import git, { TreeEntry } from 'isomorphic-git';
import { posix } from 'path';

/** Reads folders and files of one commit of a bare repository (paths relative to its root). */
export class GitTreeReader {
  /** isomorphic-git's object cache, shared by the reads of one build. */
  private readonly cache = {};

  constructor(
    private readonly gitdir: string,
    private readonly commit: string,
  ) {}

  /** The entries of folder `dir` (`''` for the root), `undefined` when there is none. */
  async entries(dir: string): Promise<TreeEntry[] | undefined> {
    try {
      const { tree } = await git.readTree({
        fs,
        gitdir: this.gitdir,
        oid: this.commit,
        filepath: dir === '' || dir === '.' ? undefined : dir,
        cache: this.cache,
      });
      return tree;
    } catch {
      return undefined;
    }
  }

  /** Whether `path` is a folder (`tree`), a file (`blob`) or absent. */
  async typeOf(path: string): Promise<'tree' | 'blob' | undefined> {
    const parent = posix.dirname(path);
    const entries = await this.entries(parent === '.' ? '' : parent);
    const entry = entries?.find(e => e.path === posix.basename(path));
    return entry?.type === 'tree' || entry?.type === 'blob'
      ? entry.type
      : undefined;
  }

  /** The content of file `path` as UTF-8. */
  async text(path: string): Promise<string> {
    const { blob } = await git.readBlob({
      fs,
      gitdir: this.gitdir,
      oid: this.commit,
      filepath: path,
      cache: this.cache,
    });
    return Buffer.from(blob).toString('utf8');
  }
}
