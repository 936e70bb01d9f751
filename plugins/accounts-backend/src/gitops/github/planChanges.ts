import { InputError } from '@backstage/errors';
import { ConfigFileChange } from '../ConfigRepository';
import { assertRepositoryPath } from '../repositoryPaths';
import { GithubSnapshot, gitBlobSha } from './GithubSnapshot';

/** One entry of a `POST git/trees` body. */
export type GithubTreeEntry =
  | { path: string; mode: '100644'; type: 'blob'; content: string }
  | { path: string; mode: '100644'; type: 'blob'; sha: null };

/** What a commit would send, computed against its base snapshot. */
export interface ChangePlan {
  /** Only the files that differ from the base; empty when nothing does. */
  entries: GithubTreeEntry[];
  /** Their paths, sorted. */
  changed: string[];
  /** Path → new blob sha, or `undefined` for a deletion. */
  changes: Map<string, string | undefined>;
  /** Blob sha → content of the files written. */
  contents: Map<string, string>;
}

/**
 * Checks every path (before anything is sent) and keeps the changes that
 * alter the base: a write whose blob sha (computed locally, as git does) and
 * mode already match is dropped, and so is the deletion of a file that is
 * not there. A path may not turn a folder into a file or write through a
 * file, which would delete files outside the change. The last change of a
 * path wins.
 */
export function planChanges(
  base: GithubSnapshot,
  changes: ConfigFileChange[],
): ChangePlan {
  const byPath = new Map<string, ConfigFileChange>();
  for (const change of changes) {
    assertRepositoryPath(change.path);
    if (!('delete' in change) && typeof change.content !== 'string') {
      throw new InputError(`No content for '${change.path}'`);
    }
    byPath.set(change.path, change);
  }

  const plan: ChangePlan = {
    entries: [],
    changed: [],
    changes: new Map(),
    contents: new Map(),
  };
  for (const [path, change] of byPath) {
    const current = base.entry(path);
    if ('delete' in change) {
      if (current) {
        plan.entries.push({ path, mode: '100644', type: 'blob', sha: null });
        plan.changes.set(path, undefined);
      }
      continue;
    }
    guardStructure(base, byPath, path);
    const sha = gitBlobSha(change.content);
    if (current?.sha === sha && current.mode === '100644') continue;
    plan.entries.push({
      path,
      mode: '100644',
      type: 'blob',
      content: change.content,
    });
    plan.changes.set(path, sha);
    plan.contents.set(sha, change.content);
  }
  // Deletions first: GitHub applies entries in order, and deleting a file
  // after writing under a folder of the same name would undo the write.
  plan.entries.sort((a, b) => Number('content' in a) - Number('content' in b));
  plan.changed = [...plan.changes.keys()].sort();
  return plan;
}

function guardStructure(
  base: GithubSnapshot,
  byPath: Map<string, ConfigFileChange>,
  path: string,
): void {
  if (base.list(path).some(p => p !== path)) {
    throw new InputError(`Invalid path: '${path}' is a folder`);
  }
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join('/');
    const written = byPath.get(parent);
    const isFile = written ? !('delete' in written) : !!base.entry(parent);
    if (isFile) {
      throw new InputError(
        `Invalid path: '${path}' lies under '${parent}', which is a file`,
      );
    }
  }
}
