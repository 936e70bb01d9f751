import {
  EMPTY_TREE_SHA,
  GitCommitData,
  GitObject,
  GitTreeEntry,
  objectSha,
  sortTreeEntries,
} from './gitObjects';
import { TreeEditor } from './TreeEditor';

/** A tree entry with its full path from the root of a listing. */
export interface GitPathEntry extends GitTreeEntry {
  path: string;
  /** Blob size in bytes (blobs only). */
  size?: number;
}

/**
 * The objects of one repository, content-addressed by their git sha, like a
 * repository's object database: storing the same content twice keeps one.
 */
export class GitObjectStore {
  private readonly objects = new Map<string, GitObject>();

  constructor() {
    this.objects.set(EMPTY_TREE_SHA, { type: 'tree', entries: [] });
  }

  put(object: GitObject): string {
    const normalized: GitObject =
      object.type === 'tree'
        ? { type: 'tree', entries: sortTreeEntries(object.entries) }
        : object;
    const sha = objectSha(normalized);
    if (!this.objects.has(sha)) this.objects.set(sha, normalized);
    return sha;
  }

  putBlob(data: Buffer): string {
    return this.put({ type: 'blob', data });
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha.toLowerCase());
  }

  blob(sha: string): Buffer | undefined {
    const object = this.get(sha);
    return object?.type === 'blob' ? object.data : undefined;
  }

  tree(sha: string): GitTreeEntry[] | undefined {
    const object = this.get(sha);
    return object?.type === 'tree' ? object.entries : undefined;
  }

  commit(sha: string): GitCommitData | undefined {
    const object = this.get(sha);
    return object?.type === 'commit' ? object : undefined;
  }

  /** How many objects of `type` are stored, reachable or not. */
  count(type: GitObject['type']): number {
    let n = 0;
    for (const object of this.objects.values()) if (object.type === type) n++;
    return n;
  }

  /**
   * Every entry under a tree, depth first in git's order (a folder before
   * its contents), as `git ls-tree -r -t` lists them.
   */
  listRecursive(treeSha: string, prefix = ''): GitPathEntry[] {
    const out: GitPathEntry[] = [];
    const walk = (sha: string, base: string) => {
      for (const entry of this.tree(sha) ?? []) {
        const path = base ? `${base}/${entry.name}` : entry.name;
        const size =
          entry.type === 'blob' ? this.blob(entry.sha)?.length : undefined;
        out.push({ ...entry, path, size });
        if (entry.type === 'tree') walk(entry.sha, path);
      }
    };
    walk(treeSha, prefix);
    return out;
  }

  /** The entry at `path` under a tree, or `undefined`. */
  lookup(treeSha: string, path: string): GitTreeEntry | undefined {
    if (path === '') {
      return { name: '', mode: '040000', type: 'tree', sha: treeSha };
    }
    let current: GitTreeEntry | undefined;
    let sha = treeSha;
    for (const segment of path.split('/')) {
      const entries = this.tree(sha);
      current = entries?.find(e => e.name === segment);
      if (!current) return undefined;
      sha = current.sha;
    }
    return current;
  }

  /** The regular files under a tree as `path → content (UTF-8)`. */
  readFiles(treeSha: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of this.listRecursive(treeSha)) {
      if (entry.type === 'blob') {
        files[entry.path] = this.blob(entry.sha)!.toString('utf8');
      }
    }
    return files;
  }

  /**
   * Writes the files of `files` (path → content, `null` to delete) on top of
   * a tree and returns the new tree's sha. For server-side set-up; the API's
   * tree creation goes through {@link TreeEditor}.
   */
  writeFiles(
    baseTree: string | undefined,
    files: Record<string, string | null>,
  ): string {
    const editor = new TreeEditor(this, baseTree);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        editor.remove(path);
      } else {
        const sha = this.putBlob(Buffer.from(content, 'utf8'));
        editor.set(path, { mode: '100644', type: 'blob', sha });
      }
    }
    return editor.write();
  }
}
