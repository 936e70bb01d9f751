import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';

/**
 * A git-style unified diff of one file (`diff --git` header, `new file` /
 * `deleted file` lines, three lines of context). `before` is absent for a
 * new file, `after` for a deleted one. Empty when nothing changes.
 */
export function unifiedDiff(
  path: string,
  before: string | undefined,
  after: string | undefined,
): string {
  if (before === after) return '';
  const header = [`diff --git a/${path} b/${path}`];
  if (before === undefined) header.push('new file mode 100644');
  if (after === undefined) header.push('deleted file mode 100644');
  const patch = structuredPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    after === undefined ? '/dev/null' : `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  );
  return `${header.join('\n')}\n${formatPatch(patch, FILE_HEADERS_ONLY)}`;
}
