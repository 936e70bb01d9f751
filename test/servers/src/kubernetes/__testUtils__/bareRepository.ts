import fs from 'fs';
import git from 'isomorphic-git';
import os from 'os';
import path from 'path';

const AUTHOR = {
  name: 'Fleet Portal',
  email: 'fleet-portal@example.com',
  timestamp: 1763800000,
  timezoneOffset: 0,
};

/** A bare git repository in a temporary folder, written with isomorphic-git. */
export interface BareRepository {
  gitdir: string;
  /** Commits `files` (path → content) as the whole tree of `branch`; returns the commit sha. */
  commit(
    files: Record<string, string>,
    message: string,
    branch?: string,
  ): Promise<string>;
  remove(): void;
}

export async function createBareRepository(): Promise<BareRepository> {
  const gitdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-simulator-'));
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });

  async function writeTree(entries: Record<string, string>): Promise<string> {
    const folders = new Map<string, Record<string, string>>();
    const tree: Array<{
      mode: string;
      path: string;
      oid: string;
      type: 'blob' | 'tree';
    }> = [];
    for (const [file, content] of Object.entries(entries)) {
      const [head, ...rest] = file.split('/');
      if (rest.length === 0) {
        const oid = await git.writeBlob({
          fs,
          gitdir,
          blob: Buffer.from(content),
        });
        tree.push({ mode: '100644', path: head, oid, type: 'blob' });
      } else {
        folders.set(head, { ...folders.get(head), [rest.join('/')]: content });
      }
    }
    for (const [folder, content] of folders) {
      tree.push({
        mode: '040000',
        path: folder,
        oid: await writeTree(content),
        type: 'tree',
      });
    }
    // git's order: a folder sorts as if its name ended in `/`.
    const key = (e: { path: string; type: string }) =>
      e.type === 'tree' ? `${e.path}/` : e.path;
    tree.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    return git.writeTree({ fs, gitdir, tree });
  }

  return {
    gitdir,
    async commit(files, message, branch = 'main') {
      const ref = `refs/heads/${branch}`;
      const parent = await git
        .resolveRef({ fs, gitdir, ref })
        .catch(() => undefined);
      const oid = await git.writeCommit({
        fs,
        gitdir,
        commit: {
          message,
          tree: await writeTree(files),
          parent: parent ? [parent] : [],
          author: AUTHOR,
          committer: AUTHOR,
        },
      });
      await git.writeRef({ fs, gitdir, ref, value: oid, force: true });
      return oid;
    },
    remove() {
      fs.rmSync(gitdir, { recursive: true, force: true });
    },
  };
}
