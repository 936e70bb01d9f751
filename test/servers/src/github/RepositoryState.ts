import { GitObjectStore } from './GitObjectStore';
import { GitCommitData, GitSignature, parseGitDate } from './gitObjects';
import {
  GithubTestDeployment,
  GithubTestPullRequest,
  GithubTestRelease,
} from './records';

/** Who a server-side commit is by, and when (ISO 8601; now when absent). */
export interface GithubTestAuthor {
  name: string;
  email: string;
  date?: string;
}

const DEFAULT_AUTHOR: GithubTestAuthor = {
  name: 'Test Server',
  email: 'test-server@example.com',
};

let nextRepositoryId = 1000;

/**
 * One repository as the server holds it: its objects and its refs, and its
 * releases, pull requests and deployments (oldest first). Refs map full
 * names (`refs/heads/main`) to commit shas.
 */
export class RepositoryState {
  readonly id = nextRepositoryId++;
  readonly objects = new GitObjectStore();
  readonly refs = new Map<string, string>();
  readonly createdAt = new Date();
  pushedAt = new Date();
  readonly releases: GithubTestRelease[] = [];
  readonly pulls: GithubTestPullRequest[] = [];
  readonly deployments: GithubTestDeployment[] = [];
  /** The release `repos.getLatestRelease` answers, set by `make_latest`. */
  latestReleaseId: number | undefined;

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** The commit a branch points at, or `undefined`. */
  branchHead(branch: string): string | undefined {
    return this.refs.get(`refs/heads/${branch}`);
  }

  /**
   * Points a new ref at what {@link resolveCommitish} resolves `target` to,
   * for test set-up; throws when the ref exists or the target does not.
   */
  createRef(ref: string, target: string): string {
    if (this.refs.has(ref)) {
      throw new Error(`${ref} exists in ${this.fullName}`);
    }
    const sha = this.resolveCommitish(target);
    if (!sha) throw new Error(`No commit ${target} in ${this.fullName}`);
    this.refs.set(ref, sha);
    this.pushedAt = new Date();
    return sha;
  }

  /** The tags, name → commit sha (lightweight tags only). */
  tags(): Map<string, string> {
    const tags = new Map<string, string>();
    for (const [ref, sha] of this.refs) {
      if (ref.startsWith('refs/tags/')) tags.set(ref.slice(10), sha);
    }
    return tags;
  }

  /**
   * Resolves what the API accepts where a commit is expected: a full or
   * abbreviated (7+) commit sha, a branch or tag name, or `heads/x`,
   * `refs/heads/x`.
   */
  resolveCommitish(ref: string): string | undefined {
    const candidates = ref.startsWith('refs/')
      ? [ref]
      : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/${ref}`];
    for (const candidate of candidates) {
      const sha = this.refs.get(candidate);
      if (sha) return sha;
    }
    if (/^[0-9a-f]{40}$/i.test(ref)) {
      return this.objects.commit(ref) ? ref.toLowerCase() : undefined;
    }
    if (/^[0-9a-f]{7,39}$/i.test(ref)) {
      return this.abbreviated(ref.toLowerCase());
    }
    return undefined;
  }

  /**
   * First-parent history from `start`, newest first. With `path`, only the
   * commits whose entry at `path` (a file or a folder) differs from their
   * first parent's: the commits that touched it.
   */
  history(start: string, path?: string): string[] {
    const out: string[] = [];
    let sha: string | undefined = start;
    while (sha) {
      const commit: GitCommitData | undefined = this.objects.commit(sha);
      if (!commit) break;
      const parent = commit.parents[0];
      if (path === undefined || this.touches(commit, parent, path)) {
        out.push(sha);
      }
      sha = parent;
    }
    return out;
  }

  /**
   * Makes a commit on `branch` (created when missing) with `files` applied
   * to its head's tree (`null` deletes), and moves the branch: how tests
   * play another writer without going through the API.
   */
  commitFiles(
    branch: string,
    files: Record<string, string | null>,
    message: string,
    author: GithubTestAuthor = DEFAULT_AUTHOR,
  ): string {
    const parent = this.branchHead(branch);
    const baseTree = parent ? this.objects.commit(parent)!.tree : undefined;
    const tree = this.objects.writeFiles(baseTree, files);
    const signature = toSignature(author);
    const sha = this.objects.put({
      type: 'commit',
      tree,
      parents: parent ? [parent] : [],
      author: signature,
      committer: signature,
      message,
    });
    this.refs.set(`refs/heads/${branch}`, sha);
    this.pushedAt = new Date();
    return sha;
  }

  private touches(
    commit: GitCommitData,
    parent: string | undefined,
    path: string,
  ): boolean {
    const mine = this.objects.lookup(commit.tree, path)?.sha;
    const parentTree = parent ? this.objects.commit(parent)?.tree : undefined;
    const theirs = parentTree
      ? this.objects.lookup(parentTree, path)?.sha
      : undefined;
    return mine !== theirs;
  }

  private abbreviated(prefix: string): string | undefined {
    // Only reachable commits are searched, which is enough for tests.
    const seen = new Set<string>();
    for (const head of this.refs.values()) {
      for (const sha of this.history(head)) {
        if (seen.has(sha)) break;
        seen.add(sha);
        if (sha.startsWith(prefix)) return sha;
      }
    }
    return undefined;
  }
}

/** A signature from an API author object, defaulting the date to now. */
export function toSignature(author: GithubTestAuthor): GitSignature {
  const date = author.date
    ? parseGitDate(author.date)
    : { seconds: Math.floor(Date.now() / 1000), offsetMinutes: 0 };
  if (!date) throw new Error(`Invalid date ${author.date}`);
  return { name: author.name, email: author.email, ...date };
}
