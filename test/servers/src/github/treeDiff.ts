import { RepositoryState } from './RepositoryState';

/** A file that differs between two trees (line counts are not computed). */
export interface ChangedFile {
  /** The blob after the change; `null` when the file was removed. */
  sha: string | null;
  filename: string;
  status: 'added' | 'modified' | 'removed';
}

function blobsOf(repo: RepositoryState, tree: string | undefined) {
  return new Map(
    tree
      ? repo.objects
          .listRecursive(tree)
          .filter(e => e.type === 'blob')
          .map(e => [e.path, e.sha] as const)
      : [],
  );
}

/**
 * The files that differ from tree `from` (none: every file is added) to
 * tree `to`, by path. Renames show as a removal and an addition.
 */
export function diffTrees(
  repo: RepositoryState,
  from: string | undefined,
  to: string,
): ChangedFile[] {
  const before = blobsOf(repo, from);
  const after = blobsOf(repo, to);
  const files: ChangedFile[] = [];
  for (const [filename, blob] of after) {
    const old = before.get(filename);
    if (old === undefined) files.push({ sha: blob, filename, status: 'added' });
    else if (old !== blob) {
      files.push({ sha: blob, filename, status: 'modified' });
    }
  }
  for (const filename of before.keys()) {
    if (!after.has(filename)) {
      files.push({ sha: null, filename, status: 'removed' });
    }
  }
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}

/** The files a commit changed relative to its first parent. */
export function changedFiles(
  repo: RepositoryState,
  sha: string,
): ChangedFile[] {
  const commit = repo.objects.commit(sha)!;
  const parent = commit.parents[0]
    ? repo.objects.commit(commit.parents[0])
    : undefined;
  return diffTrees(repo, parent?.tree, commit.tree);
}
