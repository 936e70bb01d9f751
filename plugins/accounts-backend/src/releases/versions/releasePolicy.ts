import { ConflictError, InputError } from '@backstage/errors';
import {
  NextRelease,
  ServiceRelease,
} from '@fleet-portal/plugin-accounts-common';
import semver from 'semver';
import { readReleaseTag, releaseTagOf } from './releaseTags';

/** What `POST /services/{service}/releases` asks for. */
export interface ReleaseRequest {
  kind: 'rc' | 'final';
  /** An explicit version (without `v`); the computed next one when absent. */
  version?: string;
}

/**
 * The tag a new release gets, or why it may not be made. The rules of seed
 * 002: a release candidate is `vX.Y.Z-rc.N`, numbered on from the highest
 * candidate of its version; a final release is higher than the latest
 * release and than every candidate made for a lower or equal version; no
 * tag is ever reused (images are cached by tag on the nodes). A request
 * that cannot be valid is an `InputError` naming `version` (400); one that
 * collides with what exists is a `ConflictError` (409).
 */
export function planRelease(
  request: ReleaseRequest,
  state: { releases: readonly ServiceRelease[]; next: NextRelease },
): string {
  const { releases, next } = state;
  const tag = request.version
    ? explicitTag(request)
    : computedTag(request.kind, next);
  if (releases.some(r => r.tag === tag)) {
    throw new ConflictError(
      `The tag ${tag} exists already; tags are never reused`,
    );
  }
  const version = readReleaseTag(tag)!;
  const latest = next.latest;
  if (latest && !semver.gt(version.base, latest.version)) {
    throw new InputError(
      `version: ${version.version} is not higher than the latest release ${latest.tag}`,
    );
  }
  if (version.candidate) {
    const higher = releases.find(
      r =>
        r.candidate &&
        readReleaseTag(r.tag)?.base === version.base &&
        semver.gt(r.version, version.version),
    );
    if (higher) {
      throw new InputError(
        `version: ${version.version} is lower than the release candidate ${higher.tag}`,
      );
    }
  } else {
    const higher = releases.find(
      r => r.candidate && semver.gt(readReleaseTag(r.tag)!.base, version.base),
    );
    if (higher) {
      throw new InputError(
        `version: the release ${version.version} would be lower than the release candidate ${higher.tag}`,
      );
    }
  }
  return tag;
}

function explicitTag(request: ReleaseRequest): string {
  const version = request.version!.replace(/^v/, '');
  const tag = releaseTagOf(version);
  const read = readReleaseTag(tag);
  if (!read) {
    throw new InputError(
      `version: '${request.version}' is not a release version (X.Y.Z, or X.Y.Z-rc.N for a release candidate)`,
    );
  }
  if (read.candidate !== (request.kind === 'rc')) {
    throw new InputError(
      request.kind === 'rc'
        ? `version: a release candidate is X.Y.Z-rc.N, not '${request.version}'`
        : `version: a final release has no pre-release suffix, not '${request.version}'`,
    );
  }
  return tag;
}

function computedTag(kind: ReleaseRequest['kind'], next: NextRelease): string {
  if (!next.version || !next.candidateTag) {
    throw new ConflictError(
      `Nothing to release: no commits since ${
        next.latest?.tag ?? 'the first commit'
      }`,
    );
  }
  return kind === 'rc' ? next.candidateTag : releaseTagOf(next.version);
}
