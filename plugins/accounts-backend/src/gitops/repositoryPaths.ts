import { InputError } from '@backstage/errors';

const SEGMENT = /^[A-Za-z0-9_][-A-Za-z0-9_.]*$/;

/**
 * Throws unless `path` is a safe path of a regular file or folder inside the
 * repository: relative, `/`-separated, no empty, `.` or `..` segments, no
 * backslash, NUL, percent-escapes or other unusual characters, and nothing
 * under `.git`. Both repository implementations check every path they write.
 */
export function assertRepositoryPath(path: string, what = 'path'): void {
  const problem = repositoryPathProblem(path);
  if (problem) {
    throw new InputError(`Invalid ${what}: '${printable(path)}' ${problem}`);
  }
}

/** Why `path` is not a safe repository path, or `undefined` when it is. */
export function repositoryPathProblem(path: string): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'is empty';
  if (path.length > 1024) return 'is longer than 1024 characters';
  if (path.startsWith('/')) return 'is absolute';
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return 'has an empty segment';
    if (segment === '.' || segment === '..') return "has a '.' or '..' segment";
    if (!SEGMENT.test(segment)) {
      return 'may only hold letters, digits, -, _ and . in each segment';
    }
  }
  if (segments[0] === '.git') return 'is inside .git';
  return undefined;
}

/** True when `path` is `folder` itself or lies inside it. */
export function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

function printable(path: string): string {
  return String(path).replace(
    /[^\x20-\x7e]/g,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
