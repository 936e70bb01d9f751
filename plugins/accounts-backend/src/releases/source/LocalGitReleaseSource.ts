import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import git from 'isomorphic-git';
import { existsSync } from 'fs';
import { join, resolve } from 'path';
import {
  RefLockOptions,
  compareAndSwapRef,
  gitFileSystem,
  readRef,
} from '../../gitops/local/gitFiles';
import { GitObjectStore } from '../../gitops/local/objectStore';
import { assertBranchName } from '../../gitops/local/prepareRepository';
import { readReleaseTag } from '../versions/releaseTags';
import {
  MAX_COMMITS,
  NewRelease,
  ReleaseSource,
  ReleaseSourceLocation,
  SourceCommit,
} from './ReleaseSource';

/** Ancestors of a base walked at most, so a huge history cannot stall a request. */
const MAX_WALK = 100_000;
const SHA = /^[0-9a-f]{40}$/;

/** Options of {@link LocalGitReleaseSource}. */
export interface LocalGitReleaseSourceOptions {
  /** The repository's git directory (a bare repository or a `.git` folder). */
  gitdir: string;
  logger: LoggerService;
  /** Who tags releases. */
  tagger?: { name: string; email: string };
}

/**
 * A service's releases in a local git repository (the embedded default, and
 * the demo services): releases are annotated tags whose message holds the
 * notes, read and written with isomorphic-git; refs move under git's own
 * lock, never over an existing one. It has no pull requests.
 */
export class LocalGitReleaseSource implements ReleaseSource {
  readonly location: ReleaseSourceLocation;
  private readonly gitdir: string;
  private readonly fs: ReturnType<typeof gitFileSystem>;
  private readonly store: GitObjectStore;
  private readonly lock: RefLockOptions;
  private readonly tagger: { name: string; email: string };

  constructor(options: LocalGitReleaseSourceOptions) {
    this.gitdir = resolve(options.gitdir);
    this.location = { kind: 'local', name: this.gitdir };
    this.fs = gitFileSystem(this.gitdir);
    this.store = new GitObjectStore(this.gitdir);
    this.lock = {
      lockTimeoutMs: 1_000,
      staleLockAfterMs: 5 * 60_000,
      logger: options.logger,
    };
    this.tagger = options.tagger ?? {
      name: 'Fleet Portal',
      email: 'fleet-portal@localhost',
    };
  }

  async listReleases(): Promise<ServiceRelease[]> {
    this.assertExists();
    const tags = await git.listTags({ fs: this.fs, gitdir: this.gitdir });
    const releases: ServiceRelease[] = [];
    for (const tag of tags) {
      const read = readReleaseTag(tag);
      if (!read) continue;
      const oid = await readRef(this.gitdir, `refs/tags/${tag}`);
      if (!oid) continue;
      const peeled = await this.peel(oid);
      releases.push({
        tag,
        version: read.version,
        candidate: read.candidate,
        sha: peeled.sha,
        ...(peeled.createdAt && { createdAt: peeled.createdAt }),
        ...(peeled.notes !== undefined && { notes: peeled.notes }),
      });
    }
    return releases;
  }

  async commitsBetween(
    base: string | undefined,
    head: string,
  ): Promise<SourceCommit[]> {
    this.assertExists();
    const headSha = await this.resolveCommit(head);
    const excluded = new Set<string>();
    if (base !== undefined) {
      await this.walk(await this.resolveCommit(base), MAX_WALK, sha => {
        excluded.add(sha);
        return true;
      });
    }
    const commits: SourceCommit[] = [];
    await this.walk(
      headSha,
      MAX_WALK,
      sha => !excluded.has(sha),
      async sha => {
        const { commit } = await this.store.commitInfo(sha);
        commits.push({
          sha,
          message: commit.message,
          author: commit.author.name,
          committedAt: commit.committedAt,
        });
      },
    );
    // Newest first; the walk's order breaks ties.
    return commits
      .map((commit, i) => ({ commit, i }))
      .sort(
        (a, b) =>
          b.commit.committedAt.localeCompare(a.commit.committedAt) || a.i - b.i,
      )
      .slice(0, MAX_COMMITS)
      .map(({ commit }) => commit);
  }

  async branchHead(branch: string): Promise<string> {
    this.assertExists();
    assertBranchName(branch);
    const sha = await readRef(this.gitdir, `refs/heads/${branch}`);
    if (!sha) {
      throw new NotFoundError(`No branch ${branch} in ${this.gitdir}`);
    }
    return sha;
  }

  async defaultBranch(): Promise<string> {
    this.assertExists();
    const branch = await git.currentBranch({
      fs: this.fs,
      gitdir: this.gitdir,
    });
    return branch || 'main';
  }

  async createRelease(release: NewRelease): Promise<ServiceRelease> {
    const read = readReleaseTag(release.tag);
    if (!read) throw new InputError(`Invalid release tag '${release.tag}'`);
    await this.store.commitInfo(release.sha); // a NotFoundError when absent
    const now = Date.now();
    const oid = await git.writeTag({
      fs: this.fs,
      gitdir: this.gitdir,
      tag: {
        object: release.sha,
        type: 'commit',
        tag: release.tag,
        tagger: {
          ...this.tagger,
          timestamp: Math.floor(now / 1000),
          timezoneOffset: 0,
        },
        message: `${`${release.name}\n\n${release.notes}`.trimEnd()}\n`,
      },
    });
    await this.createRef(
      `refs/tags/${release.tag}`,
      oid,
      `The tag ${release.tag}`,
    );
    return {
      tag: release.tag,
      version: read.version,
      candidate: read.candidate,
      sha: release.sha,
      createdAt: new Date(Math.floor(now / 1000) * 1000).toISOString(),
      notes: release.notes,
    };
  }

  async createBranch(name: string, sha: string): Promise<void> {
    assertBranchName(name);
    await this.store.commitInfo(sha);
    await this.createRef(`refs/heads/${name}`, sha, `The branch ${name}`);
  }

  /** A local repository has no pull requests: the caller shows a reminder. */
  async openPullRequest(
    _request: Parameters<ReleaseSource['openPullRequest']>[0],
  ): Promise<undefined> {
    return undefined;
  }

  /** A `NotFoundError` when there is no repository at `gitdir`. */
  private assertExists() {
    if (!existsSync(join(this.gitdir, 'HEAD'))) {
      throw new NotFoundError(`No git repository at ${this.gitdir}`);
    }
  }

  private async createRef(ref: string, sha: string, what: string) {
    const update = await compareAndSwapRef(
      this.gitdir,
      ref,
      undefined,
      sha,
      this.lock,
    );
    if (update.status === 'moved') {
      throw new ConflictError(`${what} exists already`);
    }
    if (update.status === 'locked') {
      throw new ConflictError(
        `${what} is being written by someone else (${update.lockPath})`,
      );
    }
  }

  /** A tag, branch or sha as the commit it names. */
  private async resolveCommit(ref: string): Promise<string> {
    if (SHA.test(ref)) {
      await this.store.commitInfo(ref);
      return ref;
    }
    for (const full of [`refs/tags/${ref}`, `refs/heads/${ref}`]) {
      const oid = await readRef(this.gitdir, full).catch(() => undefined);
      if (oid) return (await this.peel(oid)).sha;
    }
    throw new NotFoundError(
      `No tag, branch or commit '${ref}' in ${this.gitdir}`,
    );
  }

  /** The commit an object id names, through an annotated tag if it is one. */
  private async peel(
    oid: string,
  ): Promise<{ sha: string; notes?: string; createdAt?: string }> {
    const object = await git.readObject({
      fs: this.fs,
      gitdir: this.gitdir,
      oid,
      format: 'parsed',
    });
    if (object.type !== 'tag') {
      const { commit } = await this.store.commitInfo(oid);
      return { sha: oid, createdAt: commit.committedAt };
    }
    const { tag } = await git.readTag({
      fs: this.fs,
      gitdir: this.gitdir,
      oid,
    });
    const body = tag.message.replace(/\n+$/, '');
    const blank = body.indexOf('\n\n');
    return {
      sha: (await this.peel(tag.object)).sha,
      notes: blank < 0 ? '' : body.slice(blank + 2),
      createdAt: new Date(tag.tagger.timestamp * 1000).toISOString(),
    };
  }

  /**
   * Visits the commits reachable from `from` (all parents), each once,
   * while `enter` allows and at most `limit` of them.
   */
  private async walk(
    from: string,
    limit: number,
    enter: (sha: string) => boolean,
    visit?: (sha: string) => Promise<void>,
  ) {
    const seen = new Set<string>();
    const queue = [from];
    for (let next = 0; next < queue.length && seen.size < limit; next++) {
      const sha = queue[next];
      if (seen.has(sha) || !enter(sha)) continue;
      seen.add(sha);
      await visit?.(sha);
      const { parents } = await this.store.commitInfo(sha);
      queue.push(...parents);
    }
  }
}
