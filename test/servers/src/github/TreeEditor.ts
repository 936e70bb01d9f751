import type { GitObjectStore } from './GitObjectStore';
import { EMPTY_TREE_SHA, GitTreeEntry } from './gitObjects';

interface EditNode {
  entries: Map<string, GitTreeEntry>;
  /** Subtrees being edited; they replace the entry of the same name. */
  children: Map<string, EditNode>;
}

/**
 * Applies path edits to a tree the way GitHub's tree creation does: nested
 * paths create or reuse subtrees, a deletion removes the entry, a folder left
 * empty disappears (git stores no empty trees), and only the trees along the
 * edited paths are rewritten.
 */
export class TreeEditor {
  private readonly root: EditNode;

  constructor(private readonly store: GitObjectStore, baseTree?: string) {
    this.root = this.load(baseTree);
  }

  /** Puts an entry at `path`, replacing a file or folder already there. */
  set(path: string, entry: Omit<GitTreeEntry, 'name'>): void {
    const { node, name } = this.parent(path, true)!;
    node.children.delete(name);
    node.entries.set(name, { ...entry, name });
  }

  /** Removes the entry at `path`; false when there was none. */
  remove(path: string): boolean {
    const found = this.parent(path, false);
    if (!found) return false;
    const { node, name } = found;
    const existed = node.entries.has(name) || node.children.has(name);
    node.entries.delete(name);
    node.children.delete(name);
    return existed;
  }

  /** Stores the edited trees bottom-up and returns the root's sha. */
  write(): string {
    return this.writeNode(this.root);
  }

  private writeNode(node: EditNode): string {
    for (const [name, child] of node.children) {
      const sha = this.writeNode(child);
      if (sha === EMPTY_TREE_SHA) node.entries.delete(name);
      else node.entries.set(name, { name, mode: '040000', type: 'tree', sha });
    }
    node.children.clear();
    return this.store.put({
      type: 'tree',
      entries: [...node.entries.values()],
    });
  }

  private load(treeSha: string | undefined): EditNode {
    const entries = new Map<string, GitTreeEntry>();
    for (const entry of (treeSha && this.store.tree(treeSha)) || []) {
      entries.set(entry.name, entry);
    }
    return { entries, children: new Map() };
  }

  private parent(
    path: string,
    create: boolean,
  ): { node: EditNode; name: string } | undefined {
    const segments = path.split('/');
    const name = segments.pop()!;
    let node = this.root;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (!child) {
        const entry = node.entries.get(segment);
        if (entry?.type === 'tree') {
          child = this.load(entry.sha);
        } else if (create) {
          // A file in the way of a folder is replaced, as git would.
          node.entries.delete(segment);
          child = this.load(undefined);
        } else {
          return undefined;
        }
        node.children.set(segment, child);
      }
      node = child;
    }
    return { node, name };
  }
}
