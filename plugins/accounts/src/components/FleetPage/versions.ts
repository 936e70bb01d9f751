import { ImageVersion } from '@fleet-portal/plugin-accounts-common';
import { formatTimestamp } from '../AccountsPage/AccountsPage';

/**
 * A version in a few characters: a `main-<sha>-<ts>` build as its short
 * commit and build time (`a1b2c3d · 11-23 10:00`), any other tag as is.
 */
export function shortVersion(version?: ImageVersion): string {
  if (!version) return '—';
  const { build } = version;
  if (!build) return version.tag;
  return `${build.commit.slice(0, 7)} · ${build.builtAt.slice(
    5,
    10,
  )} ${build.builtAt.slice(11, 16)}`;
}

/** A version in full: the tag, and for builds the commit and build time. */
export function describeVersion(version?: ImageVersion): string {
  if (!version) return 'none';
  const { build } = version;
  if (!build) return version.tag;
  return `${version.tag} (${build.branch} commit ${build.commit.slice(
    0,
    7,
  )}, built ${formatTimestamp(build.builtAt)})`;
}
