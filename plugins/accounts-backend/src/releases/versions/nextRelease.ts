import {
  NextRelease,
  ReleaseCommit,
  ServiceRelease,
  VersionBump,
} from '@fleet-portal/plugin-accounts-common';
import semver from 'semver';
import {
  byVersionDescending,
  readReleaseTag,
  releaseTagOf,
} from './releaseTags';

const BUMPS: VersionBump[] = ['major', 'minor', 'patch'];

/** The largest bump the commits ask for. */
function largestBump(
  commits: readonly ReleaseCommit[],
): VersionBump | undefined {
  return BUMPS.find(bump => commits.some(c => c.bump === bump));
}

/** The next number N of `vX.Y.Z-rc.N` among the candidates of `version`. */
function nextCandidateNumber(candidates: readonly ServiceRelease[]): number {
  const numbers = candidates.map(c => readReleaseTag(c.tag)?.rc ?? 0);
  return Math.max(0, ...numbers) + 1;
}

/**
 * The version the next release gets from the commits since the latest
 * final release (seed 002's rules): the largest bump of the commits on the
 * latest release (0.0.0 without one), but never below the version of a
 * pending release candidate (one above the latest release), so a candidate
 * cut for a breaking change still leads to that major version when only
 * fixes followed. Release candidates of the version count on from the
 * highest one made.
 */
export function nextRelease(args: {
  releases: readonly ServiceRelease[];
  /** The commits since the latest final release, newest first. */
  commits: readonly ReleaseCommit[];
}): NextRelease {
  const sorted = byVersionDescending(args.releases);
  const latest = sorted.find(r => !r.candidate);
  const commits: NextRelease['commits'] = { major: [], minor: [], patch: [] };
  for (const commit of args.commits) commits[commit.bump].push(commit);

  const bump = largestBump(args.commits);
  if (!bump) return { latest, candidates: [], commits };

  const from = latest?.version ?? '0.0.0';
  // 0.x: the first release of a feature or fix starts the series.
  let version = semver.inc(from, bump)!;
  const pending = sorted.filter(r => r.candidate && semver.gt(r.version, from));
  for (const candidate of pending) {
    const base = readReleaseTag(candidate.tag)!.base;
    if (semver.gt(base, version)) version = base;
  }
  const candidates = pending.filter(
    c => readReleaseTag(c.tag)!.base === version,
  );
  return {
    latest,
    version,
    bump,
    candidateTag: releaseTagOf(
      `${version}-rc.${nextCandidateNumber(candidates)}`,
    ),
    candidates,
    commits,
  };
}
