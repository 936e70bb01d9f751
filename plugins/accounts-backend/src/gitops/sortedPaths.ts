/**
 * The paths in `sorted` (sorted, `/`-separated file paths of one commit)
 * that are `folder` itself or lie below it, in order. Both snapshots
 * (GitHub and local) list folders with it.
 */
export function pathsUnder(
  sorted: readonly string[],
  folder: string,
  isFile: (path: string) => boolean,
): string[] {
  const base = folder.replace(/\/+$/, '');
  if (base === '') return [...sorted];
  const prefix = `${base}/`;
  // The paths under a folder are contiguous in the sorted list: find the
  // first by bisection, then walk while they share the prefix.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < prefix) low = middle + 1;
    else high = middle;
  }
  const out = isFile(base) ? [base] : [];
  for (let i = low; i < sorted.length && sorted[i].startsWith(prefix); i++) {
    out.push(sorted[i]);
  }
  return out;
}
