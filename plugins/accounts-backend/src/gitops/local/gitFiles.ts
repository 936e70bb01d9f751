import { LoggerService } from '@backstage/backend-plugin-api';
import * as fs from 'fs';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'fs/promises';
import { randomBytes } from 'crypto';
import { basename, dirname, join } from 'path';

/**
 * The file-level protocols of a git directory that isomorphic-git leaves to
 * its caller: writing objects so that no reader ever sees half of one, and
 * moving a ref with git's own lock file, so that the git CLI and other
 * processes are serialized with us.
 */

const SHA = /^[0-9a-f]{40}$/;

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function unique(): string {
  return `${process.pid}_${randomBytes(6).toString('hex')}`;
}

/** Writes a file through a temporary sibling renamed into place. */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { fsync: boolean; mode?: number; temporaryPrefix?: string },
): Promise<void> {
  const temporary = join(
    dirname(path),
    `${options.temporaryPrefix ?? `.${basename(path)}.`}${unique()}`,
  );
  const handle = await open(temporary, 'wx', options.mode ?? 0o644);
  let renamed = false;
  try {
    await handle.writeFile(data);
    if (options.fsync) await handle.sync();
    await handle.close();
    await rename(temporary, path);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
    }
  }
}

/**
 * The `fs` handed to isomorphic-git. It writes loose objects straight to
 * their final name (and skips them when that name exists), so a crash or a
 * concurrent reader could otherwise meet a truncated object that is then
 * never rewritten. Here every object is written to a `tmp_obj_` file (the
 * prefix `git gc` cleans up), fsynced and only then renamed into place, all
 * before the ref that points at it moves (itself fsynced). Folders are not
 * fsynced: on ext4's ordered journal the renames land in order.
 */
export function gitFileSystem(gitdir: string) {
  const objects = `${join(gitdir, 'objects')}/`;
  return {
    promises: {
      ...fs.promises,
      writeFile: (
        path: string,
        data: Uint8Array | string,
        options?: fs.WriteFileOptions,
      ) => {
        if (path.startsWith(objects)) {
          return writeFileAtomic(path, data, {
            fsync: true,
            mode: 0o444, // as git writes objects
            temporaryPrefix: 'tmp_obj_',
          });
        }
        return fs.promises.writeFile(path, data, options);
      },
    },
  };
}

/**
 * The sha a ref points at, read the way git does: the loose file first, then
 * `packed-refs`; `undefined` when the ref does not exist.
 */
export async function readRef(
  gitdir: string,
  ref: string,
): Promise<string | undefined> {
  let loose: string | undefined;
  try {
    loose = (await readFile(join(gitdir, ref), 'utf8')).trim();
  } catch (error) {
    // EISDIR/ENOTDIR: a folder or file is in the way, so no loose ref.
    if (!['ENOENT', 'ENOTDIR', 'EISDIR'].includes(errorCode(error) ?? '')) {
      throw error;
    }
  }
  if (loose !== undefined) {
    if (!SHA.test(loose)) {
      throw new Error(
        `${join(
          gitdir,
          ref,
        )} does not hold a commit sha (a symbolic or broken ref is not supported)`,
      );
    }
    return loose;
  }
  let packed: string;
  try {
    packed = await readFile(join(gitdir, 'packed-refs'), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  for (const line of packed.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1).trim() === ref) {
      const sha = line.slice(0, space);
      if (SHA.test(sha)) return sha;
    }
  }
  return undefined;
}

/** What {@link compareAndSwapRef} did. */
export type RefUpdate =
  | { status: 'updated' }
  /** The ref did not point at the expected sha: nothing was written. */
  | { status: 'moved'; current: string | undefined }
  /** Another writer held the ref's lock for the whole timeout. */
  | { status: 'locked'; lockPath: string; ageMs: number };

/** How {@link compareAndSwapRef} waits for and treats lock files. */
export interface RefLockOptions {
  /** How long to wait for a lock held by someone else. */
  lockTimeoutMs: number;
  /** A lock older than this is from a crashed writer and is removed. */
  staleLockAfterMs: number;
  logger: LoggerService;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Moves `ref` from `expected` (`undefined`: the ref must not exist) to
 * `next`, with git's lock file protocol: `<ref>.lock` is created exclusively,
 * the ref is re-read under the lock and compared, the new sha is written
 * into the lock file, fsynced and renamed over the loose ref. `git
 * update-ref` and every other git writer take the same lock, so nobody's
 * update is ever lost. The lock is removed on any failure.
 */
export async function compareAndSwapRef(
  gitdir: string,
  ref: string,
  expected: string | undefined,
  next: string,
  options: RefLockOptions,
): Promise<RefUpdate> {
  const refPath = join(gitdir, ref);
  const lockPath = `${refPath}.lock`;
  const deadline = Date.now() + options.lockTimeoutMs;
  let delay = 2;
  let handle: fs.promises.FileHandle | undefined;
  let madeFolder = false;
  while (!handle) {
    try {
      handle = await open(lockPath, 'wx', 0o644);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' && !madeFolder) {
        // A branch name with a `/` needs its folder under refs/heads.
        await mkdir(dirname(lockPath), { recursive: true });
        madeFolder = true;
        continue;
      }
      if (code !== 'EEXIST') throw error;
      const held = await stat(lockPath).catch(() => undefined);
      if (!held) continue; // released in between: try again at once
      const ageMs = Date.now() - held.mtimeMs;
      if (ageMs > options.staleLockAfterMs) {
        await removeStaleLock(lockPath, held, options.logger);
        continue;
      }
      if (Date.now() >= deadline) return { status: 'locked', lockPath, ageMs };
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
  }
  let closed = false;
  let renamed = false;
  try {
    const current = await readRef(gitdir, ref);
    if (current !== expected) return { status: 'moved', current };
    await handle.writeFile(`${next}\n`);
    await handle.sync();
    await handle.close();
    closed = true;
    await rename(lockPath, refPath);
    renamed = true;
    return { status: 'updated' };
  } finally {
    if (!closed) await handle.close().catch(() => undefined);
    if (!renamed) await unlink(lockPath).catch(() => undefined);
  }
}

/**
 * Removes a lock judged stale without ever removing a fresh one: the lock is
 * first renamed to a private name (only one remover can win that), then
 * compared with the file that was judged; if someone replaced it in between,
 * it is linked back (`link` fails rather than overwrite a newer lock).
 */
async function removeStaleLock(
  lockPath: string,
  judged: fs.Stats,
  logger: LoggerService,
): Promise<void> {
  // Ends in `.lock`, so git never mistakes it for a ref.
  const claimed = `${lockPath.slice(
    0,
    -'.lock'.length,
  )}.stale-${unique()}.lock`;
  try {
    await rename(lockPath, claimed);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return; // someone else removed it
    throw error;
  }
  const taken = await stat(claimed);
  if (taken.ino !== judged.ino || taken.mtimeMs !== judged.mtimeMs) {
    await link(claimed, lockPath).catch(() => undefined);
    await unlink(claimed);
    return;
  }
  await unlink(claimed);
  logger.warn(
    `Removed the stale lock file ${lockPath}, left ${Math.round(
      (Date.now() - judged.mtimeMs) / 1000,
    )} s ago by a writer that did not finish`,
  );
}
