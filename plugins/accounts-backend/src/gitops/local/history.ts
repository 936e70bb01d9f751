import { LruCache } from '../caches';
import { CommitInfo, GitObjectStore } from './objectStore';

/** Changed paths kept, over all commits (a path is a short string). */
const CHANGED_PATHS = 500_000;

/**
 * The first-parent history of a branch, up to `limit` commits from the head,
 * with the paths each commit changed against its first parent, to answer
 * `lastCommit` for many paths (a "last changed" column of the whole fleet)
 * with one tree diff per commit instead of one tree walk per path and
 * commit. A new head reuses the history of the previous one.
 */
export class PathHistory {
  private chain: { head: string; commits: CommitInfo[] } = {
    head: '',
    commits: [],
  };
  private readonly changes = new LruCache<string, Set<string>>(
    CHANGED_PATHS,
    set => set.size + 1,
  );

  constructor(
    private readonly store: GitObjectStore,
    private readonly limit: number,
  ) {}

  /**
   * The newest commit from `head` whose entry at `path` differs from its
   * first parent's, or `undefined` when none of the first `limit` commits
   * changed it.
   */
  async lastChange(
    head: string,
    path: string,
  ): Promise<CommitInfo | undefined> {
    const commits = await this.commitsFrom(head);
    for (let i = 0; i < commits.length; i++) {
      const info = commits[i];
      let changed = this.changes.get(info.commit.sha);
      if (!changed) {
        const parent = info.parents[0];
        const parentTree = parent
          ? commits[i + 1]?.tree ?? (await this.store.commitInfo(parent)).tree
          : undefined;
        changed = await this.store.changedPaths(info.tree, parentTree);
        this.changes.set(info.commit.sha, changed);
      }
      if (changed.has(path)) return info;
    }
    return undefined;
  }

  private async commitsFrom(head: string): Promise<CommitInfo[]> {
    if (this.chain.head === head) return this.chain.commits;
    const previous = this.chain.commits;
    const known = new Map(previous.map((info, i) => [info.commit.sha, i]));
    const commits: CommitInfo[] = [];
    let sha: string | undefined = head;
    while (sha && commits.length < this.limit) {
      const at = known.get(sha);
      if (at !== undefined) {
        // The rest is the history already read for an older head.
        commits.push(...previous.slice(at, at + this.limit - commits.length));
        break;
      }
      const info: CommitInfo = await this.store.commitInfo(sha);
      commits.push(info);
      sha = info.parents[0];
    }
    this.chain = { head, commits };
    return commits;
  }
}
