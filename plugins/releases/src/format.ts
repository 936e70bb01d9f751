/** A commit's sha as people quote it: its first seven characters. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** An ISO 8601 time as a date and time in the user's locale. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * Where a commit can be seen on the web: on GitHub, the repository's
 * commit page; nowhere for a local repository.
 */
export function commitUrl(
  repository: { kind: string; url?: string },
  sha: string,
): string | undefined {
  if (repository.kind !== 'github' || !repository.url) return undefined;
  return `${repository.url.replace(/\/+$/, '')}/commit/${sha}`;
}
