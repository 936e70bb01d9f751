import { createHash } from 'crypto';

/** A git file mode as the GitHub API spells it. */
export type GitMode = '100644' | '100755' | '040000' | '160000' | '120000';

/** The kind of object a tree entry points at. */
export type GitEntryType = 'blob' | 'tree' | 'commit';

/** One entry of a tree object. */
export interface GitTreeEntry {
  name: string;
  mode: GitMode;
  type: GitEntryType;
  sha: string;
}

/** A person line of a commit: who, and when (seconds, timezone offset). */
export interface GitSignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  seconds: number;
  /** Minutes east of UTC, as git records it (`+0130` is 90). */
  offsetMinutes: number;
}

export interface GitCommitData {
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
}

export type GitObject =
  | { type: 'blob'; data: Buffer }
  | { type: 'tree'; entries: GitTreeEntry[] }
  | ({ type: 'commit' } & GitCommitData);

/** The sha of the empty tree, the same in every git repository. */
export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/**
 * Hashes an object exactly as git does: SHA-1 over `<type> <size>\0<body>`.
 */
export function hashObject(type: string, body: Buffer): string {
  return createHash('sha1')
    .update(`${type} ${body.length}\0`)
    .update(body)
    .digest('hex');
}

/** Mode as written inside a tree object: git drops the leading zero. */
function rawMode(mode: GitMode): string {
  return mode === '040000' ? '40000' : mode;
}

/**
 * Orders entries as git does: by the bytes of the name, a subtree compared as
 * if its name ended with `/`. So the file `a-b` sorts before the folder `a`
 * and the file `a0` after it; a plain name sort would give other shas.
 */
export function sortTreeEntries(entries: GitTreeEntry[]): GitTreeEntry[] {
  const key = (e: GitTreeEntry) =>
    Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name, 'utf8');
  return entries
    .map(e => ({ e, k: key(e) }))
    .sort((a, b) => Buffer.compare(a.k, b.k))
    .map(({ e }) => e);
}

/** The body of a tree object: `<mode> <name>\0<20 raw bytes>` per entry. */
export function encodeTree(entries: GitTreeEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of sortTreeEntries(entries)) {
    parts.push(Buffer.from(`${rawMode(entry.mode)} ${entry.name}\0`, 'utf8'));
    parts.push(Buffer.from(entry.sha, 'hex'));
  }
  return Buffer.concat(parts);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${mm}`;
}

function signatureLine(role: string, s: GitSignature): string {
  return `${role} ${s.name} <${s.email}> ${s.seconds} ${formatOffset(
    s.offsetMinutes,
  )}\n`;
}

/** The body of a commit object, headers then a blank line then the message. */
export function encodeCommit(commit: GitCommitData): Buffer {
  let text = `tree ${commit.tree}\n`;
  for (const parent of commit.parents) text += `parent ${parent}\n`;
  text += signatureLine('author', commit.author);
  text += signatureLine('committer', commit.committer);
  text += `\n${commit.message}`;
  return Buffer.from(text, 'utf8');
}

/** The sha git gives `object`. */
export function objectSha(object: GitObject): string {
  switch (object.type) {
    case 'blob':
      return hashObject('blob', object.data);
    case 'tree':
      return hashObject('tree', encodeTree(object.entries));
    default:
      return hashObject('commit', encodeCommit(object));
  }
}

/**
 * Parses an ISO 8601 date as the API accepts it (`2024-01-02T03:04:05Z` or
 * with an offset such as `+02:00`) into git's seconds and offset.
 */
export function parseGitDate(
  iso: string,
): Pick<GitSignature, 'seconds' | 'offsetMinutes'> | undefined {
  const match =
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(
      iso,
    );
  const ms = Date.parse(iso);
  if (!match || Number.isNaN(ms)) return undefined;
  const offsetMinutes =
    match[1] === 'Z'
      ? 0
      : (match[2] === '-' ? -1 : 1) *
        (Number(match[3]) * 60 + Number(match[4]));
  return { seconds: Math.floor(ms / 1000), offsetMinutes };
}

/**
 * A signature's date as GitHub prints it: UTC, whole seconds
 * (`2024-01-02T03:04:05Z`).
 */
export function formatGitDate(signature: GitSignature): string {
  return new Date(signature.seconds * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The entry type a mode implies. */
export function typeOfMode(mode: GitMode): GitEntryType {
  if (mode === '040000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

export const GIT_MODES: readonly GitMode[] = [
  '100644',
  '100755',
  '040000',
  '160000',
  '120000',
];
