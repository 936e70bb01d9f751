import { ImageVersion } from '@fleet-portal/plugin-accounts-common';

/**
 * `<branch>-<sha>-<unix-ts>`, as CI tags builds (`main-3f9c2a1-1722470400`).
 * The branch may itself contain dashes, so the sha and the time are matched
 * from the end. Ten digits of seconds cover 2001 to 2286, which keeps a
 * numeric suffix such as a build number from passing for a time.
 */
const BUILD_TAG =
  /^(?<branch>[A-Za-z0-9][A-Za-z0-9._-]*?)-(?<commit>[0-9a-fA-F]{7,40})-(?<ts>\d{10})$/;

/**
 * Reads an image tag as people do: a `<branch>-<sha>-<unix-ts>` build tag
 * gets its branch, commit and build time (ISO 8601); any other tag (`1.4.2`,
 * `latest`) is kept as it is, without `build`.
 */
export function parseImageVersion(tag: string): ImageVersion {
  const match = BUILD_TAG.exec(tag);
  if (!match?.groups) return { tag };
  const { branch, commit, ts } = match.groups;
  return {
    tag,
    build: {
      branch,
      commit: commit.toLowerCase(),
      builtAt: new Date(Number(ts) * 1000).toISOString(),
    },
  };
}

/**
 * The tag of an image reference (`fleet/web:1.4.2`, `host:5000/web:1.4.2@sha256:…`):
 * `latest` when the reference names no tag and no digest (what Kubernetes
 * pulls then), `undefined` when it is pinned by digest only.
 */
export function imageTag(image: string): string | undefined {
  const [withoutDigest, digest] = image.split('@');
  // The tag follows the last ':' of the last path segment; a ':' before the
  // last '/' belongs to the registry's port.
  const name = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  if (colon >= 0) return name.slice(colon + 1) || undefined;
  return digest === undefined ? 'latest' : undefined;
}
