import { RepositoryState } from './RepositoryState';

// Questions about the commit graph (all parents, not only the first):
// reachability, merge bases and the range `base..head`, as git answers them.

function parentsOf(repo: RepositoryState, sha: string): string[] {
  return repo.objects.commit(sha)?.parents ?? [];
}

/** Every commit reachable from `sha` through parents, `sha` included. */
export function ancestors(repo: RepositoryState, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seen.has(current) || !repo.objects.commit(current)) continue;
    seen.add(current);
    stack.push(...parentsOf(repo, current));
  }
  return seen;
}

/** True when `ancestor` is `sha` or reachable from it through parents. */
export function isAncestor(
  repo: RepositoryState,
  ancestor: string,
  sha: string,
): boolean {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current === ancestor) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    stack.push(...parentsOf(repo, current));
  }
  return false;
}

/**
 * The best common ancestor of `a` and `b` (`git merge-base a b`): a common
 * ancestor that no other common ancestor descends from; among several, the
 * most recently committed. `undefined` for unrelated histories.
 */
export function mergeBase(
  repo: RepositoryState,
  a: string,
  b: string,
): string | undefined {
  const fromA = ancestors(repo, a);
  const common = [...ancestors(repo, b)].filter(sha => fromA.has(sha));
  // A common ancestor is beaten by any common ancestor descending from it.
  const beaten = new Set<string>();
  for (const sha of common) {
    const stack = [...parentsOf(repo, sha)];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (beaten.has(current)) continue;
      beaten.add(current);
      stack.push(...parentsOf(repo, current));
    }
  }
  const best = common.filter(sha => !beaten.has(sha));
  const time = (sha: string) => repo.objects.commit(sha)!.committer.seconds;
  best.sort((x, y) => time(y) - time(x) || x.localeCompare(y));
  return best[0];
}

/**
 * The commits reachable from `head` and not from `base` (`git log
 * base..head`), oldest first: every commit comes after its parents.
 */
export function commitsBetween(
  repo: RepositoryState,
  base: string,
  head: string,
): string[] {
  const excluded = ancestors(repo, base);
  const out: string[] = [];
  const done = new Set<string>();
  // Depth-first, emitting a commit once all its parents are emitted.
  const stack: Array<{ sha: string; expanded: boolean }> = [
    { sha: head, expanded: false },
  ];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (done.has(top.sha) || excluded.has(top.sha)) continue;
    if (!repo.objects.commit(top.sha)) continue;
    if (top.expanded) {
      done.add(top.sha);
      out.push(top.sha);
      continue;
    }
    stack.push({ sha: top.sha, expanded: true });
    // Pushed in reverse so that the first parent's line is emitted first.
    for (const parent of [...parentsOf(repo, top.sha)].reverse()) {
      if (!done.has(parent) && !excluded.has(parent)) {
        stack.push({ sha: parent, expanded: false });
      }
    }
  }
  return out;
}

/** How `head` relates to `base`, as the compare API reports it. */
export interface Comparison {
  status: 'ahead' | 'behind' | 'identical' | 'diverged';
  /** Commits in `head` and not in `base`. */
  aheadBy: number;
  /** Commits in `base` and not in `head`. */
  behindBy: number;
  /** `base..head`, oldest first. */
  commits: string[];
  mergeBase: string;
}

/** Compares two commits; `undefined` when they share no history. */
export function compareCommits(
  repo: RepositoryState,
  base: string,
  head: string,
): Comparison | undefined {
  const common = mergeBase(repo, base, head);
  if (!common) return undefined;
  const commits = commitsBetween(repo, base, head);
  const behindBy = commitsBetween(repo, head, base).length;
  const aheadBy = commits.length;
  let status: Comparison['status'] = 'diverged';
  if (aheadBy === 0 && behindBy === 0) status = 'identical';
  else if (behindBy === 0) status = 'ahead';
  else if (aheadBy === 0) status = 'behind';
  return { status, aheadBy, behindBy, commits, mergeBase: common };
}
