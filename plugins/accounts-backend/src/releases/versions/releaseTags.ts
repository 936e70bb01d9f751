import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import semver from 'semver';

/** What a release tag says. */
export interface ReleaseTag {
  /** The version without the `v`. */
  version: string;
  /** `X.Y.Z` of the version (the version itself for a final release). */
  base: string;
  candidate: boolean;
  /** N of a release candidate `-rc.N` (from 1). */
  rc?: number;
}

/** `v` + `X.Y.Z`, optionally `-rc.N`; semver's own rules for the numbers. */
const RELEASE_TAG = /^v(\d+\.\d+\.\d+)(?:-rc\.([1-9]\d*))?$/;

/**
 * Reads a release tag (`v1.42.1`) or release candidate tag
 * (`v2.0.0-rc.1`); `undefined` for any other tag (other pre-releases, build
 * metadata, image tags, branch names).
 */
export function readReleaseTag(tag: string): ReleaseTag | undefined {
  const match = RELEASE_TAG.exec(tag);
  if (!match || !semver.valid(tag.slice(1))) return undefined;
  const [, base, rc] = match;
  return rc === undefined
    ? { version: base, base, candidate: false }
    : { version: `${base}-rc.${rc}`, base, candidate: true, rc: Number(rc) };
}

/** The tag of a version: `v` + the version. */
export const releaseTagOf = (version: string) => `v${version}`;

/** Releases newest (highest version) first. */
export function byVersionDescending(
  releases: readonly ServiceRelease[],
): ServiceRelease[] {
  return [...releases].sort((a, b) => semver.rcompare(a.version, b.version));
}
