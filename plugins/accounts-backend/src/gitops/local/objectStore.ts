import { InputError, NotFoundError } from '@backstage/errors';
import { createHash } from 'crypto';
import git from 'isomorphic-git';
import { promisify } from 'util';
import { readFile } from 'fs/promises';
import { join } from 'path';
import { deflate, deflateSync, inflate, inflateSync } from 'zlib';
import { ConcurrencyLimit, LruCache } from '../caches';
import { ConfigCommit } from '../ConfigRepository';
import { gitFileSystem } from './gitFiles';
import { TreeEntry, TreeStore } from './treeEdit';

/** Bounds of the caches; every entry is immutable (keyed by object id). */
const TREES = 20_000;
const COMMITS = 5_000;
const BLOB_BYTES = 32 * 1024 * 1024;
/** Object reads and writes at once: many, but far below the fd limit. */
const IO_CONCURRENCY = 32;
/** Larger objects are compressed off the event loop. */
const DEFLATE_SYNC_BYTES = 64 * 1024;
/** Larger objects are inflated off the event loop (a compressed size). */
const INFLATE_SYNC_BYTES = 16 * 1024;
const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);
const SHA = /^[0-9a-f]{40}$/;

/** A commit as read from the object store. */
export interface CommitInfo {
  commit: ConfigCommit;
  tree: string;
  parents: string[];
}

/** Throws unless `person` can go into a commit's author line. */
export function assertPerson(person: { name: string; email: string }): void {
  for (const [field, value] of Object.entries(person ?? {})) {
    // `<`, `>` and control characters would break the commit's header lines.
    if (
      typeof value !== 'string' ||
      /[<>]/.test(value) ||
      [...value].some(c => c.charCodeAt(0) < 0x20)
    ) {
      throw new InputError(`Invalid author ${field}: '${value}'`);
    }
  }
}

/**
 * A tree object's body as git writes it: entries sorted by name as bytes,
 * a folder's name compared as if it ended in `/`; each entry is the octal
 * mode without leading zero, a space, the name, NUL and the binary oid.
 */
export function encodeTree(entries: TreeEntry[]): Buffer {
  const keyed = entries.map(entry => {
    const name = Buffer.from(entry.path, 'utf8');
    const folder = entry.type === 'tree';
    return {
      entry,
      name,
      key: folder ? Buffer.concat([name, Buffer.from('/')]) : name,
    };
  });
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(
    keyed.flatMap(({ entry, name }) => [
      Buffer.from(`${entry.mode.replace(/^0+/, '')} `),
      name,
      Buffer.from([0]),
      Buffer.from(entry.oid, 'hex'),
    ]),
  );
}

/**
 * The objects of one repository through isomorphic-git, with bounded caches
 * (objects never change, so nothing is ever invalidated) and a bound on
 * concurrent file operations.
 */
export class GitObjectStore implements TreeStore {
  private readonly fs: ReturnType<typeof gitFileSystem>;
  /** isomorphic-git's own cache (pack indexes after a `git gc`). */
  private readonly gitCache = {};
  private readonly io = new ConcurrencyLimit(IO_CONCURRENCY);
  private readonly trees = new LruCache<string, TreeEntry[]>(TREES);
  private readonly commits = new LruCache<string, CommitInfo>(COMMITS);
  private readonly blobs = new LruCache<string, string>(
    BLOB_BYTES,
    text => text.length,
  );
  private readonly indexes = new WeakMap<TreeEntry[], Map<string, TreeEntry>>();

  constructor(readonly gitdir: string) {
    this.fs = gitFileSystem(gitdir);
  }

  /** `core.bare` of the repository's config. */
  async isBare(): Promise<boolean> {
    const bare = await git.getConfig({
      fs: this.fs,
      gitdir: this.gitdir,
      path: 'core.bare',
    });
    return bare === true || bare === 'true';
  }

  async commitInfo(sha: string): Promise<CommitInfo> {
    const cached = this.commits.get(sha);
    if (cached) return cached;
    let read;
    try {
      read = await this.io.run(() =>
        git.readCommit({
          fs: this.fs,
          gitdir: this.gitdir,
          oid: sha,
          cache: this.gitCache,
        }),
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'NotFoundError' || code === 'ObjectTypeError') {
        throw new NotFoundError(
          `No commit ${sha} in the git repository ${this.gitdir}`,
        );
      }
      throw error;
    }
    const { commit } = read;
    const info: CommitInfo = {
      commit: {
        sha,
        message: commit.message.replace(/\n+$/, ''),
        author: { name: commit.author.name, email: commit.author.email },
        committedAt: new Date(commit.committer.timestamp * 1000).toISOString(),
      },
      tree: commit.tree,
      parents: commit.parent,
    };
    this.commits.set(sha, info);
    return info;
  }

  async readTree(oid: string): Promise<TreeEntry[]> {
    const cached = this.trees.get(oid);
    if (cached) return cached;
    const { tree } = await this.io.run(() =>
      git.readTree({
        fs: this.fs,
        gitdir: this.gitdir,
        oid,
        cache: this.gitCache,
      }),
    );
    this.trees.set(oid, tree);
    return tree;
  }

  async readBlob(oid: string): Promise<string> {
    const cached = this.blobs.get(oid);
    if (cached !== undefined) return cached;
    const blob = await this.io.run(
      async () =>
        (await this.readLooseBlob(oid)) ??
        (
          await git.readBlob({
            fs: this.fs,
            gitdir: this.gitdir,
            oid,
            cache: this.gitCache,
          })
        ).blob,
    );
    const text = Buffer.from(blob).toString('utf8');
    this.blobs.set(oid, text);
    return text;
  }

  /**
   * A loose blob read with Node's zlib, its type and sha checked as
   * isomorphic-git checks them, or `undefined` when it is not loose (then
   * isomorphic-git reads it from a pack). About 2.6 times as fast as
   * isomorphic-git's own read (measured on 6,000 blobs), which matters for the first read of a
   * fleet's desired state: tens of thousands of HelmRelease files.
   */
  private async readLooseBlob(oid: string): Promise<Buffer | undefined> {
    if (!SHA.test(oid)) return undefined;
    let deflated: Buffer;
    try {
      deflated = await readFile(
        join(this.gitdir, 'objects', oid.slice(0, 2), oid.slice(2)),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const object =
      deflated.length < INFLATE_SYNC_BYTES
        ? inflateSync(deflated)
        : await inflateAsync(deflated);
    const nul = object.indexOf(0);
    if (
      object.subarray(0, nul).toString('latin1') !==
      `blob ${object.length - nul - 1}`
    ) {
      throw new Error(`The git object ${oid} in ${this.gitdir} is not a blob`);
    }
    const hashed = createHash('sha1').update(object).digest('hex');
    if (hashed !== oid) {
      throw new Error(
        `The git object ${oid} in ${this.gitdir} is corrupt: its content hashes to ${hashed}`,
      );
    }
    return object.subarray(nul + 1);
  }

  /**
   * The paths (files and folders, at every depth) whose entry differs
   * between two trees; `undefined` is the empty tree. Only subtrees whose
   * oids differ are read.
   */
  async changedPaths(
    tree: string | undefined,
    parent: string | undefined,
  ): Promise<Set<string>> {
    const out = new Set<string>();
    const none = new Map<string, TreeEntry>();
    const diff = async (
      a: string | undefined,
      b: string | undefined,
      prefix: string,
    ): Promise<void> => {
      if (a === b) return;
      const ours = a ? await this.treeIndex(a) : none;
      const theirs = b ? await this.treeIndex(b) : none;
      const names = new Set([...ours.keys(), ...theirs.keys()]);
      await Promise.all(
        [...names].map(async name => {
          const x = ours.get(name);
          const y = theirs.get(name);
          if (x && y && x.oid === y.oid && x.mode === y.mode) return;
          const path = `${prefix}${name}`;
          out.add(path);
          const xTree = x?.type === 'tree' ? x.oid : undefined;
          const yTree = y?.type === 'tree' ? y.oid : undefined;
          if (xTree || yTree) await diff(xTree, yTree, `${path}/`);
        }),
      );
    };
    await diff(tree, parent, '');
    return out;
  }

  /** A tree's entries by name. */
  private async treeIndex(oid: string): Promise<Map<string, TreeEntry>> {
    const entries = await this.readTree(oid);
    let index = this.indexes.get(entries);
    if (!index) {
      index = new Map(entries.map(entry => [entry.path, entry]));
      this.indexes.set(entries, index);
    }
    return index;
  }

  /**
   * Trees and blobs are hashed and compressed here with Node's crypto and
   * zlib, and handed to isomorphic-git's `writeObject` already deflated: its
   * own encoding goes through web streams and made a 1,000-file commit about
   * twice as slow. `git fsck --strict` in the tests checks the encoding.
   */
  writeTree(tree: TreeEntry[]): Promise<string> {
    return this.writeEncoded('tree', encodeTree(tree));
  }

  writeBlob(content: string): Promise<string> {
    return this.writeEncoded('blob', Buffer.from(content, 'utf8'));
  }

  private async writeEncoded(
    type: 'tree' | 'blob',
    body: Buffer,
  ): Promise<string> {
    const wrapped = Buffer.concat([
      Buffer.from(`${type} ${body.length}\0`),
      body,
    ]);
    const oid = createHash('sha1').update(wrapped).digest('hex');
    const object =
      wrapped.length < DEFLATE_SYNC_BYTES
        ? deflateSync(wrapped)
        : await deflateAsync(wrapped);
    await this.io.run(() =>
      git.writeObject({
        fs: this.fs,
        gitdir: this.gitdir,
        type,
        object,
        format: 'deflated',
        oid,
      }),
    );
    return oid;
  }

  /** Writes a commit object, authored and committed by `author` now. */
  async writeCommit(
    tree: string,
    parents: string[],
    message: string,
    author: { name: string; email: string },
  ): Promise<string> {
    assertPerson(author);
    const now = Date.now();
    const person = {
      name: author.name,
      email: author.email,
      timestamp: Math.floor(now / 1000),
      timezoneOffset: new Date(now).getTimezoneOffset(),
    };
    return this.io.run(() =>
      git.writeCommit({
        fs: this.fs,
        gitdir: this.gitdir,
        commit: {
          tree,
          parent: parents,
          author: person,
          committer: person,
          message,
        },
      }),
    );
  }
}
