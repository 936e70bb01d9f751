import {
  CreateReleaseRequest,
  ServiceRelease,
  ServiceReleases,
  ServiceSummary,
} from '@fleet-portal/plugin-accounts-common';
import { releaseNotes } from './releaseNotes';
import { ReleaseSources } from './source/ReleaseSources';
import { readConventionalCommit } from './versions/conventionalCommit';
import { nextRelease } from './versions/nextRelease';
import { planRelease } from './versions/releasePolicy';
import { byVersionDescending } from './versions/releaseTags';

/**
 * A service's releases: what was released, what the next release would be
 * and why (the Conventional Commits since the latest release), and making
 * a release or release candidate under seed 002's rules.
 */
export class ReleaseService {
  constructor(private readonly sources: ReleaseSources) {}

  /** Every configured service, with its repository when it has one. */
  services(): ServiceSummary[] {
    return this.sources.services.map(name =>
      this.sources.has(name)
        ? { name, repository: this.sources.get(name).location }
        : { name },
    );
  }

  /** The service's releases, highest first, and its next release. */
  async releases(service: string): Promise<ServiceReleases> {
    const source = this.sources.get(service);
    const [releases, branch] = await Promise.all([
      source.listReleases(),
      source.defaultBranch(),
    ]);
    const sorted = byVersionDescending(releases);
    const latest = sorted.find(r => !r.candidate);
    // The commit the next release tags; its commits are the notes.
    const head = await source.branchHead(branch);
    const commits = await source.commitsBetween(latest?.tag, head);
    return {
      service,
      repository: source.location,
      branch,
      head,
      releases: sorted,
      next: nextRelease({
        releases: sorted,
        commits: commits.map(readConventionalCommit),
      }),
    };
  }

  /**
   * Tags the head of the service's main branch as its next release or
   * release candidate (or the version asked for), with notes listing the
   * commits since the latest release. Refusals: see `planRelease`.
   */
  async createRelease(
    service: string,
    request: CreateReleaseRequest,
  ): Promise<ServiceRelease> {
    const current = await this.releases(service);
    const tag = planRelease(request, current);
    return this.sources.get(service).createRelease({
      tag,
      sha: current.head,
      name: tag,
      notes: releaseNotes({
        tag,
        previous: current.next.latest?.tag,
        commits: current.next.commits,
      }),
      prerelease: request.kind === 'rc',
    });
  }
}
