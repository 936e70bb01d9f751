import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigRepository } from '../../gitops/ConfigRepository';
import { DesiredTagsParser } from './DesiredTagsParser';

/** What the config repository asks the fleet to run, at one commit. */
export interface DesiredState {
  /** The commit read; `''` when the branch has no commit yet. */
  commit: string;
  /** account name → service name → image tag (as committed), for every account folder in the repository. */
  tags: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Options of the {@link DesiredStateReader} constructor. */
export interface DesiredStateReaderOptions {
  repository: ConfigRepository;
  /** The environments' folders of account folders (their `pathPrefix`). */
  folders: readonly string[];
  logger: LoggerService;
  /**
   * How long a head read is trusted. Default 5 s for GitHub (a head read is
   * an API request) and 0 for a local repository (one file read), so the
   * portal's own commits show at once there.
   */
  headTtlMs?: number;
}

const DEFAULT_HEAD_TTL_MS = { github: 5_000, local: 0 };

const EMPTY: DesiredState = { commit: '', tags: new Map() };

/**
 * The desired side of the fleet matrix: the image tag of every service of
 * every account folder at the config repository's head. A read with an
 * unchanged head costs one head read per `headTtlMs` and nothing else; only
 * a new head commit costs a snapshot (one tree read) and a read and parse
 * of the HelmRelease files that changed.
 */
export class DesiredStateReader {
  private readonly repository: ConfigRepository;
  private readonly logger: LoggerService;
  private readonly headTtlMs: number;
  private readonly parser: DesiredTagsParser;
  private current?: DesiredState;
  /** `performance.now()` when the head behind `current` was asked for. */
  private checkedAt = 0;
  private inFlight?: Promise<DesiredState>;

  constructor(options: DesiredStateReaderOptions) {
    this.repository = options.repository;
    this.logger = options.logger;
    this.headTtlMs =
      options.headTtlMs ??
      DEFAULT_HEAD_TTL_MS[options.repository.location.kind];
    this.parser = new DesiredTagsParser(options.folders);
  }

  /** The desired state at the branch's head: re-reads the head at most once per headTtlMs, and parses the tree only when the head moved. */
  read(): Promise<DesiredState> {
    if (this.inFlight) return this.inFlight;
    if (this.current && performance.now() - this.checkedAt < this.headTtlMs) {
      return Promise.resolve(this.current);
    }
    // Concurrent callers share this one read; a failure is not remembered.
    const pending = this.refresh().finally(() => {
      if (this.inFlight === pending) this.inFlight = undefined;
    });
    this.inFlight = pending;
    return pending;
  }

  private async refresh(): Promise<DesiredState> {
    // Measured from the start, so head reads begin at least a TTL apart.
    const startedAt = performance.now();
    const head = await this.headSha();
    if (this.current?.commit !== head) {
      this.current = head === '' ? EMPTY : await this.parse(head);
    }
    this.checkedAt = startedAt;
    return this.current;
  }

  /** The head's sha, or `''` when the branch has no commit. */
  private async headSha(): Promise<string> {
    try {
      return (await this.repository.head()).sha;
    } catch (error) {
      if (!isMissingBranch(error)) throw error;
      // Logged when the state turns empty, not on every read.
      if (this.current?.commit !== '') {
        const { name, branch } = this.repository.location;
        this.logger.warn(
          `The config repository ${name} has no commit on ${branch}; the desired state is empty`,
          { error: (error as Error).message },
        );
      }
      return '';
    }
  }

  private async parse(commit: string): Promise<DesiredState> {
    const snapshot = await this.repository.snapshot(commit);
    const { tags, problems } = await this.parser.parse(snapshot);
    // Once per commit: the state of a commit is parsed only once.
    for (const problem of problems) {
      this.logger.warn(
        `Skipped ${problem.path} of the desired state at ${commit}: ${problem.message}`,
        { commit, path: problem.path },
      );
    }
    return { commit, tags };
  }
}

/**
 * The branch does not exist or holds no commit: the local repository's
 * `NotFoundError`, GitHub's 404 for the ref or 409 for an empty repository.
 */
function isMissingBranch(error: unknown): boolean {
  const e = error as { name?: unknown; status?: unknown } | undefined;
  return e?.name === 'NotFoundError' || e?.status === 404 || e?.status === 409;
}
