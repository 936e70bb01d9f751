import { InputError } from '@backstage/errors';
import { ConfigFileChange } from '../ConfigRepository';

/** One entry of a git tree, as isomorphic-git reads and writes it. */
export interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

/** The object store {@link editTree} reads and writes through. */
export interface TreeStore {
  readTree(oid: string): Promise<TreeEntry[]>;
  writeTree(entries: TreeEntry[]): Promise<string>;
  writeBlob(content: string): Promise<string>;
}

/** The mode of every file written: a regular, non-executable file. */
export const FILE_MODE = '100644';
const TREE_MODE = '040000';

interface PlanNode {
  children: Map<string, PlanNode>;
  change?: ConfigFileChange;
  /** Filled by `load`: the tree at this folder before the change. */
  base?: string;
  entries?: Map<string, TreeEntry>;
}

/**
 * Applies file changes to the tree `base`, reading and rewriting only the
 * trees on the changed paths: every other subtree keeps its oid, so nothing
 * outside the change can be altered. Folders left empty by deletions are
 * removed. Paths must have been checked with `assertRepositoryPath`.
 *
 * Returns the new root tree (equal to `base` when nothing changed) and the
 * paths whose content or existence actually changed, sorted.
 */
export async function editTree(
  store: TreeStore,
  base: string,
  changes: ConfigFileChange[],
): Promise<{ tree: string; changed: string[] }> {
  const root = plan(changes);
  await load(store, base, root, '');
  const changed: string[] = [];
  const result = await write(store, root, '', changed);
  changed.sort();
  // Everything deleted: git allows an empty root tree.
  return { tree: result ?? (await store.writeTree([])), changed };
}

function plan(changes: ConfigFileChange[]): PlanNode {
  const root: PlanNode = { children: new Map() };
  for (const change of changes) {
    const segments = change.path.split('/');
    let node = root;
    segments.forEach((segment, index) => {
      if (node.change) {
        throw new InputError(
          `Invalid path: '${change.path}' lies under '${node.change.path}', which the same change writes as a file`,
        );
      }
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
      if (index === segments.length - 1) {
        if (node.change) {
          throw new InputError(
            `Invalid path: '${change.path}' is changed twice in one commit`,
          );
        }
        if (node.children.size > 0) {
          throw new InputError(
            `Invalid path: '${change.path}' is written as a file and used as a folder in one commit`,
          );
        }
        node.change = change;
      }
    });
  }
  return root;
}

/** True when the plan below `node` only deletes. */
function onlyDeletes(node: PlanNode): boolean {
  if (node.change) return 'delete' in node.change;
  return [...node.children.values()].every(onlyDeletes);
}

/**
 * First pass: reads the trees on the changed paths and checks that files
 * meet files and folders meet folders, so a bad change fails before any
 * object is written.
 */
async function load(
  store: TreeStore,
  oid: string | undefined,
  node: PlanNode,
  prefix: string,
): Promise<void> {
  node.base = oid;
  node.entries = new Map();
  if (oid) {
    for (const entry of await store.readTree(oid)) {
      node.entries.set(entry.path, entry);
    }
  }
  const entries = node.entries;
  await Promise.all(
    [...node.children].map(async ([name, child]) => {
      const path = `${prefix}${name}`;
      const existing = entries.get(name);
      if (child.change) {
        if (existing?.type === 'tree') {
          throw new InputError(
            `Invalid path: '${path}' is a folder in the repository, not a file`,
          );
        }
        return;
      }
      if (existing && existing.type !== 'tree') {
        // Deleting files under a file: there is nothing there to delete.
        if (onlyDeletes(child)) {
          node.children.delete(name);
          return;
        }
        throw new InputError(
          `Invalid path: '${path}' is a file in the repository, not a folder`,
        );
      }
      await load(store, existing?.oid, child, `${path}/`);
    }),
  );
}

/** Second pass: writes blobs and the trees that changed, bottom up. */
async function write(
  store: TreeStore,
  node: PlanNode,
  prefix: string,
  changed: string[],
): Promise<string | undefined> {
  const entries = node.entries!;
  let dirty = false;
  await Promise.all(
    [...node.children].map(async ([name, child]) => {
      const path = `${prefix}${name}`;
      const existing = entries.get(name);
      const change = child.change;
      if (!change) {
        const subtree = await write(store, child, `${path}/`, changed);
        if (subtree === existing?.oid) return;
        dirty = true;
        if (subtree === undefined) entries.delete(name);
        else entries.set(name, tree(name, subtree));
        return;
      }
      if ('delete' in change) {
        if (existing) {
          entries.delete(name);
          changed.push(path);
          dirty = true;
        }
        return;
      }
      const blob = await store.writeBlob(change.content);
      if (existing?.oid !== blob || existing.mode !== FILE_MODE) {
        entries.set(name, {
          mode: FILE_MODE,
          path: name,
          oid: blob,
          type: 'blob',
        });
        changed.push(path);
        dirty = true;
      }
    }),
  );
  if (!dirty) return node.base;
  if (entries.size === 0) return undefined;
  return store.writeTree([...entries.values()]);
}

function tree(name: string, oid: string): TreeEntry {
  return { mode: TREE_MODE, path: name, oid, type: 'tree' };
}
