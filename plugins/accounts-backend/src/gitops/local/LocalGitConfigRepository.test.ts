import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  utimes,
  writeFile,
} from 'fs/promises';
import git from 'isomorphic-git';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateSync } from 'zlib';
import {
  ConfigFileChange,
  ConfigRepository,
  ConfigRepositoryConflictError,
} from '../ConfigRepository';
import { describeConfigRepositoryContract } from '../../__testUtils__/configRepositoryContract';
import { compareAndSwapRef, readRef } from './gitFiles';
import { LocalGitConfigRepository } from './LocalGitConfigRepository';
import { GitObjectStore } from './objectStore';

const author = { name: 'Fleet Portal', email: 'fleet-portal@example.com' };

/** The git CLI, isolated from the machine's git configuration. */
function gitCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'CLI',
        GIT_AUTHOR_EMAIL: 'cli@example.com',
        GIT_COMMITTER_NAME: 'CLI',
        GIT_COMMITTER_EMAIL: 'cli@example.com',
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', chunk => (stdout += chunk));
    child.stderr!.on('data', chunk => (stderr += chunk));
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolvePromise(stdout.trim())
        : reject(
            new Error(`git ${args.join(' ')} failed (${code}): ${stderr}`),
          ),
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/**
 * A bare repository whose `main` has one commit holding `files`, written with
 * isomorphic-git's object functions directly (not the code under test).
 */
async function seedRepository(gitdir: string, files: Record<string, string>) {
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
  const writeFolder = async (
    entries: Array<[string[], string]>,
  ): Promise<string> => {
    const groups = new Map<string, Array<[string[], string]>>();
    const tree = [];
    for (const [segments, content] of entries) {
      if (segments.length === 1) {
        const oid = await git.writeBlob({
          fs,
          gitdir,
          blob: Buffer.from(content),
        });
        tree.push({
          mode: '100644',
          path: segments[0],
          oid,
          type: 'blob' as const,
        });
      } else {
        const group = groups.get(segments[0]) ?? [];
        group.push([segments.slice(1), content]);
        groups.set(segments[0], group);
      }
    }
    for (const [name, group] of groups) {
      const oid = await writeFolder(group);
      tree.push({ mode: '040000', path: name, oid, type: 'tree' as const });
    }
    return git.writeTree({ fs, gitdir, tree });
  };
  const tree = await writeFolder(
    Object.entries(files).map(([path, content]) => [path.split('/'), content]),
  );
  const person = { ...author, timestamp: 1_700_000_000, timezoneOffset: 0 };
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      tree,
      parent: [],
      author: person,
      committer: person,
      message: 'Seed\n',
    },
  });
  await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: commit });
}

/** The branch's history, newest first, first parents only. */
async function history(gitdir: string, branch = 'main'): Promise<string[]> {
  const out = await gitCli([
    '--git-dir',
    gitdir,
    'rev-list',
    '--first-parent',
    branch,
  ]);
  return out ? out.split('\n') : [];
}

function put(files: Record<string, string>): ConfigFileChange[] {
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}

/** A client whose `open` finishes before its first call: `client()` is synchronous. */
function lazyClient(
  gitdir: string,
  options: Partial<Parameters<typeof LocalGitConfigRepository.open>[0]> = {},
): ConfigRepository {
  const opening = LocalGitConfigRepository.open({
    path: gitdir,
    logger: mockServices.logger.mock(),
    ...options,
  });
  opening.catch(() => undefined);
  return {
    location: { kind: 'local', name: gitdir, branch: options.branch ?? 'main' },
    head: async () => (await opening).head(),
    snapshot: async sha => (await opening).snapshot(sha),
    commit: async request => (await opening).commit(request),
    lastCommit: async path => (await opening).lastCommit(path),
  };
}

describeConfigRepositoryContract('LocalGitConfigRepository', async seed => {
  const folder = await mkdtemp(join(tmpdir(), 'fleet-config-repo-'));
  const gitdir = join(folder, 'config.git');
  await seedRepository(gitdir, seed);
  return {
    client: () => lazyClient(gitdir),
    history: () => history(gitdir),
    close: () => rm(folder, { recursive: true, force: true }),
  };
});

describe('LocalGitConfigRepository', () => {
  let folder: string;
  let gitdir: string;
  const seed = {
    'README.md': '# config\n',
    'k8s/flux/staging/acme/kustomization.yaml': 'resources: []\n',
    'k8s/flux/staging/acme/backend.yaml': 'kind: HelmRelease\n',
    'k8s/flux/production/globex/kustomization.yaml': 'resources: []\n',
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'fleet-config-repo-'));
    gitdir = join(folder, 'config.git');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(folder, { recursive: true, force: true });
  });

  function open(
    options: Partial<Parameters<typeof LocalGitConfigRepository.open>[0]> = {},
  ) {
    return LocalGitConfigRepository.open({
      path: gitdir,
      logger: mockServices.logger.mock(),
      ...options,
    });
  }

  async function objectFiles(): Promise<string[]> {
    const out: string[] = [];
    for (const dir of await readdir(join(gitdir, 'objects'))) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const name of await readdir(join(gitdir, 'objects', dir))) {
        out.push(`${dir}${name}`);
      }
    }
    return out.sort();
  }

  describe('opening', () => {
    it('creates a bare repository with one initial commit holding a README, once', async () => {
      const first = await open();
      const again = await open();
      expect(first.location).toEqual({
        kind: 'local',
        name: gitdir,
        branch: 'main',
      });
      expect(await history(gitdir)).toHaveLength(1);
      expect((await again.head()).sha).toBe((await first.head()).sha);
      const readme = await gitCli([
        '--git-dir',
        gitdir,
        'cat-file',
        '-p',
        'main:README.md',
      ]);
      expect(readme).toContain('k8s/flux/<environment>/<account>/');
      expect(readme).toContain('git clone');
      expect(
        await gitCli([
          '--git-dir',
          gitdir,
          'rev-parse',
          '--is-bare-repository',
        ]),
      ).toBe('true');
      expect(await gitCli(['--git-dir', gitdir, 'symbolic-ref', 'HEAD'])).toBe(
        'refs/heads/main',
      );
    });

    it('creates one initial commit when several open a new path at once', async () => {
      const repos = await Promise.all([open(), open(), open(), open()]);
      expect(await history(gitdir)).toHaveLength(1);
      const heads = await Promise.all(repos.map(repo => repo.head()));
      expect(new Set(heads.map(head => head.sha)).size).toBe(1);
    });

    it('changes nothing in an existing repository', async () => {
      await seedRepository(gitdir, seed);
      const before = {
        history: await history(gitdir),
        objects: await objectFiles(),
      };
      const repo = await open();
      expect((await repo.head()).message).toBe('Seed');
      expect({
        history: await history(gitdir),
        objects: await objectFiles(),
      }).toEqual(before);
    });

    it('refuses a repository with a work tree, a regular file and a foreign folder', async () => {
      const work = join(folder, 'work');
      await mkdir(work);
      await gitCli(['init', '-q', work]);
      await expect(open({ path: work })).rejects.toThrow(/is a git work tree/);
      await expect(open({ path: join(work, '.git') })).rejects.toThrow(
        /is not a bare repository/,
      );
      const file = join(folder, 'file');
      await writeFile(file, 'x');
      await expect(open({ path: file })).rejects.toThrow(/is not a folder/);
      const foreign = join(folder, 'foreign');
      await mkdir(foreign);
      await writeFile(join(foreign, 'notes.txt'), 'x');
      await expect(open({ path: foreign })).rejects.toThrow(
        /not empty and not a git repository/,
      );
      // Nothing was written into any of them.
      expect(await readdir(foreign)).toEqual(['notes.txt']);
      expect(await readFile(file, 'utf8')).toBe('x');
    });

    it('refuses a branch name that would leave refs/heads', async () => {
      await expect(open({ branch: '../../config' })).rejects.toThrow(
        /Invalid branch name/,
      );
      await expect(open({ branch: 'main.lock' })).rejects.toThrow(
        /Invalid branch name/,
      );
    });

    it('reads the path relative to the working directory and the branch from config', async () => {
      const config = new ConfigReader({
        accounts: {
          gitops: {
            repository: {
              branch: 'fleet/config',
              local: { path: 'data/repo.git' },
            },
            author: { name: 'Acme Portal', email: 'portal@acme.test' },
          },
        },
      });
      const repo = await LocalGitConfigRepository.fromConfig(config, {
        logger: mockServices.logger.mock(),
        workingDirectory: folder,
      });
      expect(repo.location).toEqual({
        kind: 'local',
        name: join(folder, 'data/repo.git'),
        branch: 'fleet/config',
      });
      expect(
        await history(join(folder, 'data/repo.git'), 'fleet/config'),
      ).toHaveLength(1);
      expect((await repo.head()).author).toEqual({
        name: 'Acme Portal',
        email: 'portal@acme.test',
      });

      const defaults = await LocalGitConfigRepository.fromConfig(
        new ConfigReader({}),
        {
          logger: mockServices.logger.mock(),
          workingDirectory: folder,
        },
      );
      expect(defaults.location.name).toBe(
        join(folder, '.data/config-repo.git'),
      );
      expect(defaults.location.branch).toBe('main');
    });
  });

  describe('as a git repository', () => {
    it('is read by the git CLI: log, fsck --strict, cat-file and clone', async () => {
      const repo = await open();
      await repo.commit({
        message: 'Render acme\n\nby alice',
        author,
        build: async () => put(seed),
      });
      await repo.commit({
        message: 'Remove globex',
        author,
        build: async () => [
          {
            path: 'k8s/flux/production/globex/kustomization.yaml',
            delete: true,
          },
        ],
      });
      const log = await gitCli([
        '--git-dir',
        gitdir,
        'log',
        '--oneline',
        'main',
      ]);
      expect(log.split('\n').map(line => line.slice(8))).toEqual([
        'Remove globex',
        'Render acme',
        'Initial commit',
      ]);
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
      expect(
        await gitCli([
          '--git-dir',
          gitdir,
          'cat-file',
          '-p',
          'main:k8s/flux/staging/acme/backend.yaml',
        ]),
      ).toBe('kind: HelmRelease');
      // The emptied folders are gone from the tree.
      expect(
        await gitCli([
          '--git-dir',
          gitdir,
          'ls-tree',
          '--name-only',
          'main:k8s/flux',
        ]),
      ).toBe('staging');
      const clone = join(folder, 'clone');
      await gitCli(['clone', '-q', gitdir, clone]);
      expect(
        await readFile(
          join(clone, 'k8s/flux/staging/acme/kustomization.yaml'),
          'utf8',
        ),
      ).toBe('resources: []\n');
      expect(fs.existsSync(join(clone, 'k8s/flux/production'))).toBe(false);
      // Author, committer and message as given.
      expect(
        await gitCli([
          '--git-dir',
          gitdir,
          'log',
          '-1',
          '--format=%an <%ae>|%cn|%B',
          'main~1',
        ]),
      ).toBe(
        'Fleet Portal <fleet-portal@example.com>|Fleet Portal|Render acme\n\nby alice',
      );
    });

    it("writes trees in git's order, where a folder sorts as if it ended in /", async () => {
      const repo = await open();
      const files = {
        'k8s/acme/a.yaml': 'a\n',
        'k8s/acme.yaml': 'b\n',
        'k8s/acme-x/c.yaml': 'c\n',
        'k8s/acme0': 'd\n',
        'k8s/Zed.yaml': 'e\n',
      };
      await repo.commit({
        message: 'Order',
        author,
        build: async () => put(files),
      });
      expect(
        await gitCli([
          '--git-dir',
          gitdir,
          'ls-tree',
          '--name-only',
          'main:k8s',
        ]),
      ).toBe('Zed.yaml\nacme-x\nacme.yaml\nacme\nacme0');
      // fsck --strict rejects a tree whose entries are out of order.
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
      const tree = await gitCli(['--git-dir', gitdir, 'rev-parse', 'main:k8s']);
      const listing = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        'main:k8s',
      ]);
      expect(
        await gitCli(['--git-dir', gitdir, 'mktree'], {
          input: `${listing}\n`,
        }),
      ).toBe(tree);
    });

    it('rewrites only the trees on the changed path and keeps every other entry', async () => {
      await seedRepository(gitdir, {
        ...seed,
        'k8s/flux/staging/initech/values.yaml': 'a: 1\n',
        'docs/notes.md': 'notes\n',
      });
      const before = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        '-r',
        '-t',
        'main',
      ]);
      const repo = await open();
      const result = await repo.commit({
        message: 'Change acme backend',
        author,
        build: async () =>
          put({ 'k8s/flux/staging/acme/backend.yaml': 'kind: Changed\n' }),
      });
      expect(result.status).toBe('committed');
      const after = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        '-r',
        '-t',
        'main',
      ]);
      const onPath = [
        'k8s',
        'k8s/flux',
        'k8s/flux/staging',
        'k8s/flux/staging/acme',
      ];
      const changedLines = (text: string) =>
        new Set(
          text
            .split('\n')
            .filter(line => !onPath.includes(line.split('\t')[1])),
        );
      const beforeLines = changedLines(before);
      const afterLines = changedLines(after);
      const differences = [...afterLines].filter(
        line => !beforeLines.has(line),
      );
      expect(differences).toHaveLength(1);
      expect(differences[0]).toMatch(
        /^100644 blob \w+\tk8s\/flux\/staging\/acme\/backend\.yaml$/,
      );
      expect(
        [...beforeLines].filter(line => !afterLines.has(line)),
      ).toHaveLength(1);
    });

    it('keeps going after git pack-refs and reads a packed branch', async () => {
      const repo = await open();
      await gitCli(['--git-dir', gitdir, 'pack-refs', '--all', '--prune']);
      expect(fs.existsSync(join(gitdir, 'refs/heads/main'))).toBe(false);
      const head = await repo.head();
      const result = await repo.commit({
        message: 'After packing',
        author,
        build: async () => put({ 'a.txt': 'a\n' }),
      });
      expect(result.status).toBe('committed');
      expect(await history(gitdir)).toEqual([
        result.status === 'committed' ? result.commit.sha : '',
        head.sha,
      ]);
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    });

    it('reads files from loose objects and, after git gc, from packs, and refuses an object that is not a blob', async () => {
      await seedRepository(gitdir, seed);
      // Compressed, still over 100 kB: inflated off the event loop.
      const big = randomBytes(100_000).toString('hex');
      const result = await (
        await open()
      ).commit({
        message: 'Loose objects',
        author,
        build: async () => put({ 'big.txt': big, 'a.txt': 'a\n' }),
      });
      expect(result.status).toBe('committed');
      const expected = { ...seed, 'big.txt': big, 'a.txt': 'a\n' };
      const readAll = async () => {
        const snapshot = await (await open()).snapshot();
        const out: Record<string, string | undefined> = {};
        for (const path of snapshot.list('')) {
          out[path] = await snapshot.read(path);
        }
        return out;
      };
      expect(await readAll()).toEqual(expected);

      await gitCli(['--git-dir', gitdir, 'gc', '--quiet', '--prune=now']);
      expect(
        (await objectFiles()).filter(file => /^[0-9a-f]{2}\//.test(file)),
      ).toEqual([]);
      expect(await readAll()).toEqual(expected);

      // A loose object under a blob's name that holds a tree.
      const snapshot = await (await open()).snapshot();
      const blob = snapshot.blobId('a.txt')!;
      const loose = join(gitdir, 'objects', blob.slice(0, 2));
      fs.mkdirSync(loose, { recursive: true });
      fs.writeFileSync(
        join(loose, blob.slice(2)),
        deflateSync(Buffer.from('tree 0\0')),
      );
      await expect(snapshot.read('a.txt')).rejects.toThrow(
        `The git object ${blob} in ${gitdir} is not a blob`,
      );
    });

    it('refuses a file where the repository has a folder and the reverse, writing nothing', async () => {
      await seedRepository(gitdir, seed);
      const repo = await open();
      const before = await objectFiles();
      for (const changes of [
        put({ 'new.txt': 'x\n', 'README.md/inside.txt': 'x\n' }),
        put({ 'new.txt': 'x\n', 'k8s/flux': 'x\n' }),
        [{ path: 'k8s/flux/staging', delete: true as const }],
        put({ 'x/a': '1', 'x/a/b': '2' }),
        [...put({ 'dup.txt': '1' }), ...put({ 'dup.txt': '2' })],
      ]) {
        await expect(
          repo.commit({ message: 'Bad', author, build: async () => changes }),
        ).rejects.toThrow(/Invalid path/);
      }
      expect(await objectFiles()).toEqual(before);
      expect(await history(gitdir)).toHaveLength(1);
    });
  });

  describe('concurrent writers', () => {
    it('is not clobbered by the git CLI moving the branch in the middle of build', async () => {
      await seedRepository(gitdir, seed);
      const repo = await open();
      let calls = 0;
      const result = await repo.commit({
        message: 'Ours',
        author,
        build: async head => {
          calls += 1;
          if (calls === 1) {
            const old = head.commit.sha;
            const blob = await gitCli(
              ['--git-dir', gitdir, 'hash-object', '-w', '--stdin'],
              {
                input: 'from: cli\n',
              },
            );
            const env = { GIT_INDEX_FILE: join(folder, 'cli.index') };
            await gitCli(['--git-dir', gitdir, 'read-tree', old], { env });
            await gitCli(
              [
                '--git-dir',
                gitdir,
                'update-index',
                '--add',
                '--cacheinfo',
                `100644,${blob},k8s/flux/staging/cli.yaml`,
              ],
              { env },
            );
            const tree = await gitCli(['--git-dir', gitdir, 'write-tree'], {
              env,
            });
            const commit = await gitCli([
              '--git-dir',
              gitdir,
              'commit-tree',
              tree,
              '-p',
              old,
              '-m',
              'From the CLI',
            ]);
            await gitCli([
              '--git-dir',
              gitdir,
              'update-ref',
              'refs/heads/main',
              commit,
              old,
            ]);
          }
          return put({ 'k8s/flux/staging/ours.yaml': 'from: us\n' });
        },
      });
      expect(result.status).toBe('committed');
      expect(result.status === 'committed' && result.retries).toBe(1);
      expect(calls).toBe(2);
      const files = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
        'k8s/flux/staging',
      ]);
      expect(files.split('\n')).toEqual(
        expect.arrayContaining([
          'k8s/flux/staging/cli.yaml',
          'k8s/flux/staging/ours.yaml',
        ]),
      );
      expect(
        await gitCli(['--git-dir', gitdir, 'log', '--format=%s', 'main']),
      ).toBe('Ours\nFrom the CLI\nSeed');
    });

    it('lands every one of many parallel commits from several instances, linearly', async () => {
      await seedRepository(gitdir, seed);
      const repos = await Promise.all([open(), open(), open(), open(), open()]);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          repos[i % repos.length].commit({
            message: `Add file ${i}`,
            author,
            build: async () =>
              put({ [`k8s/flux/staging/parallel/${i}.yaml`]: `n: ${i}\n` }),
          }),
        ),
      );
      expect(results.map(result => result.status)).toEqual(
        Array(10).fill('committed'),
      );
      // Instances in one process queue for the branch instead of racing.
      expect(
        results.map(result => result.status === 'committed' && result.retries),
      ).toEqual(Array(10).fill(0));
      const shas = await history(gitdir);
      expect(shas).toHaveLength(11);
      // Linear: no merges, every commit but the root has exactly one parent.
      const parents = await gitCli([
        '--git-dir',
        gitdir,
        'rev-list',
        '--parents',
        'main',
      ]);
      expect(parents.split('\n').map(line => line.split(' ').length)).toEqual([
        ...Array(10).fill(2),
        1,
      ]);
      const files = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
        'k8s/flux/staging/parallel/',
      ]);
      expect(files.split('\n').sort()).toEqual(
        Array.from(
          { length: 10 },
          (_, i) => `k8s/flux/staging/parallel/${i}.yaml`,
        ).sort(),
      );
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    });

    it('moves the ref for exactly one of many compare-and-swaps from the same head', async () => {
      await seedRepository(gitdir, seed);
      const old = (await history(gitdir))[0];
      const candidates = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          git.writeBlob({ fs, gitdir, blob: Buffer.from(`candidate ${i}`) }),
        ),
      );
      const lock = {
        lockTimeoutMs: 2000,
        staleLockAfterMs: 60_000,
        logger: mockServices.logger.mock(),
      };
      const updates = await Promise.all(
        candidates.map(next =>
          compareAndSwapRef(gitdir, 'refs/heads/main', old, next, lock),
        ),
      );
      const winners = candidates.filter(
        (_, i) => updates[i].status === 'updated',
      );
      expect(winners).toHaveLength(1);
      expect(updates.filter(u => u.status === 'moved')).toHaveLength(19);
      expect(await readRef(gitdir, 'refs/heads/main')).toBe(winners[0]);
      expect(await readdir(join(gitdir, 'refs/heads'))).toEqual(['main']);
    });

    it('never clobbers nor is clobbered by a git CLI process committing in a loop', async () => {
      await seedRepository(gitdir, seed);
      const script = `
        set -eu
        for i in 1 2 3 4 5 6 7 8; do
          while true; do
            old=$(git rev-parse refs/heads/main)
            blob=$(echo "cli $i" | git hash-object -w --stdin)
            git read-tree "$old"
            git update-index --add --cacheinfo "100644,$blob,cli/$i.txt"
            new=$(git commit-tree "$(git write-tree)" -p "$old" -m "CLI $i")
            if git update-ref refs/heads/main "$new" "$old" 2>/dev/null; then
              echo "$new"; break
            fi
          done
        done`;
      const cli = Promise.resolve().then(
        () =>
          new Promise<string>((resolvePromise, reject) => {
            const child = spawn('bash', ['-c', script], {
              stdio: ['ignore', 'pipe', 'pipe'],
              env: {
                ...process.env,
                GIT_DIR: gitdir,
                GIT_INDEX_FILE: join(folder, 'loop.index'),
                GIT_CONFIG_NOSYSTEM: '1',
                GIT_CONFIG_GLOBAL: '/dev/null',
                GIT_AUTHOR_NAME: 'CLI',
                GIT_AUTHOR_EMAIL: 'cli@example.com',
                GIT_COMMITTER_NAME: 'CLI',
                GIT_COMMITTER_EMAIL: 'cli@example.com',
              },
            });
            let out = '';
            let err = '';
            child.stdout.on('data', chunk => (out += chunk));
            child.stderr.on('data', chunk => (err += chunk));
            child.on('close', code =>
              code === 0 ? resolvePromise(out.trim()) : reject(new Error(err)),
            );
          }),
      );
      // Retries are generous here: this test is about never losing a write.
      const repo = await open({ maxAttempts: 30 });
      const ours = Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          repo.commit({
            message: `Portal ${i}`,
            author,
            build: async () => {
              // A build that takes a while, as rendering does: the CLI gets in.
              await new Promise(done => setTimeout(done, 20));
              return put({ [`portal/${i}.txt`]: `portal ${i}\n` });
            },
          }),
        ),
      );
      const [cliShas, results] = await Promise.all([cli, ours]);
      expect(results.map(r => r.status)).toEqual(Array(8).fill('committed'));
      const shas = await history(gitdir);
      expect(shas).toHaveLength(17);
      for (const sha of cliShas.split('\n')) expect(shas).toContain(sha);
      for (const r of results) {
        expect(shas).toContain(r.status === 'committed' && r.commit.sha);
      }
      const files = await gitCli([
        '--git-dir',
        gitdir,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
      ]);
      for (let i = 1; i <= 8; i++) expect(files).toContain(`cli/${i}.txt`);
      for (let i = 0; i < 8; i++) expect(files).toContain(`portal/${i}.txt`);
      const parents = await gitCli([
        '--git-dir',
        gitdir,
        'rev-list',
        '--parents',
        'main',
      ]);
      expect(
        parents.split('\n').filter(line => line.split(' ').length !== 2),
      ).toHaveLength(1);
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    });

    it('leaves only an unreachable object when it crashes before moving the branch', async () => {
      await seedRepository(gitdir, seed);
      const crashing = await open();
      let orphan = '';
      jest
        .spyOn(crashing as any, 'moveBranch')
        .mockImplementationOnce(async (_expected, next) => {
          orphan = next as string;
          throw new Error('killed before the ref moved');
        });
      const request = {
        message: 'Render initech',
        author,
        build: async () => put({ 'k8s/flux/staging/initech/a.yaml': 'a: 1\n' }),
      };
      await expect(crashing.commit(request)).rejects.toThrow(/killed/);
      expect(await history(gitdir)).toHaveLength(1);
      // The re-run (a restarted backend, a few seconds later) makes one commit.
      const later = Date.now() + 5000;
      jest.spyOn(Date, 'now').mockReturnValue(later);
      const result = await (await open()).commit(request);
      expect(result.status).toBe('committed');
      expect(
        await gitCli(['--git-dir', gitdir, 'log', '--format=%s', 'main']),
      ).toBe('Render initech\nSeed');
      // What the crash left: its commit object, which nothing points at.
      expect(result.status === 'committed' && result.commit.sha).not.toBe(
        orphan,
      );
      const unreachable = await gitCli([
        '--git-dir',
        gitdir,
        'fsck',
        '--unreachable',
        '--no-reflogs',
      ]);
      expect(unreachable).toContain(`unreachable commit ${orphan}`);
      // Running it once more is a no-op.
      expect((await (await open()).commit(request)).status).toBe('unchanged');
      await gitCli(['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    });
  });

  describe('a lock file left by a crashed writer', () => {
    const request = {
      message: 'Add x',
      author,
      build: async () => put({ 'x.txt': 'x\n' }),
    };

    it('is respected while young: a conflict error naming the lock file, nothing written', async () => {
      await seedRepository(gitdir, seed);
      const logger = mockServices.logger.mock();
      const repo = await open({ logger, lockTimeoutMs: 30, maxAttempts: 3 });
      const lock = join(gitdir, 'refs/heads/main.lock');
      await writeFile(lock, '');
      const error = await repo.commit(request).catch(e => e);
      expect(error).toBeInstanceOf(ConfigRepositoryConflictError);
      expect(error.message).toContain(lock);
      expect(error.message).toMatch(
        /in 3 attempts.*held by another writer.*may be removed/,
      );
      expect(fs.existsSync(lock)).toBe(true);
      expect(await history(gitdir)).toHaveLength(1);
      expect(logger.warn).not.toHaveBeenCalled();
      // Once the lock is gone, the same call lands.
      await rm(lock);
      expect((await repo.commit(request)).status).toBe('committed');
    });

    it('is removed with a warning once older than staleLockAfterMs', async () => {
      await seedRepository(gitdir, seed);
      const logger = mockServices.logger.mock();
      const repo = await open({ logger, lockTimeoutMs: 30 });
      const lock = join(gitdir, 'refs/heads/main.lock');
      await writeFile(lock, '');
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      await utimes(lock, tenMinutesAgo, tenMinutesAgo);
      const result = await repo.commit(request);
      expect(result.status).toBe('committed');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /Removed the stale lock file .*refs\/heads\/main\.lock, left 600 s ago/,
        ),
      );
      expect(await readdir(join(gitdir, 'refs/heads'))).toEqual(['main']);
    });

    it('blocks the git CLI the same way ours blocks it', async () => {
      await seedRepository(gitdir, seed);
      const head = (await history(gitdir))[0];
      await writeFile(join(gitdir, 'refs/heads/main.lock'), '');
      await expect(
        gitCli([
          '--git-dir',
          gitdir,
          'update-ref',
          'refs/heads/main',
          head,
          head,
        ]),
      ).rejects.toThrow(/main\.lock/);
    });
  });

  describe('reading', () => {
    it('caches a snapshot per commit and reads each tree once', async () => {
      await seedRepository(gitdir, seed);
      const repo = await open();
      const readTree = jest.spyOn(git, 'readTree');
      const first = await repo.snapshot();
      const reads = readTree.mock.calls.length;
      expect(reads).toBeGreaterThan(0);
      expect(await repo.snapshot()).toBe(first);
      expect(await repo.snapshot(first.commit.sha)).toBe(first);
      expect(readTree.mock.calls.length).toBe(reads);
      await expect(repo.snapshot('not-a-sha')).rejects.toThrow(
        /Invalid commit sha/,
      );
      await expect(repo.snapshot('0'.repeat(40))).rejects.toThrow(/No commit/);
    });

    it('lists regular files only and skips symlinks', async () => {
      await seedRepository(gitdir, seed);
      const env = { GIT_INDEX_FILE: join(folder, 'cli.index') };
      const blob = await gitCli(
        ['--git-dir', gitdir, 'hash-object', '-w', '--stdin'],
        {
          input: 'README.md',
        },
      );
      await gitCli(['--git-dir', gitdir, 'read-tree', 'main'], { env });
      await gitCli(
        [
          '--git-dir',
          gitdir,
          'update-index',
          '--add',
          '--cacheinfo',
          `120000,${blob},link`,
        ],
        { env },
      );
      const tree = await gitCli(['--git-dir', gitdir, 'write-tree'], { env });
      const commit = await gitCli([
        '--git-dir',
        gitdir,
        'commit-tree',
        tree,
        '-p',
        'main',
        '-m',
        'link',
      ]);
      await gitCli([
        '--git-dir',
        gitdir,
        'update-ref',
        'refs/heads/main',
        commit,
      ]);
      const snapshot = await (await open()).snapshot();
      expect(snapshot.list('')).toEqual(Object.keys(seed).sort());
      expect(await snapshot.read('link')).toBeUndefined();
    });

    it('finds the commit that created a path in the root commit', async () => {
      await seedRepository(gitdir, seed);
      const repo = await open();
      const seedCommit = await repo.head();
      await repo.commit({
        message: 'Other',
        author,
        build: async () => put({ 'b.txt': 'b' }),
      });
      expect((await repo.lastCommit('k8s/flux/production'))?.sha).toBe(
        seedCommit.sha,
      );
      expect((await repo.lastCommit('b.txt'))?.message).toBe('Other');
      expect(await repo.lastCommit('../k8s')).toBeUndefined();
      // A deletion is a change; the answer follows the branch as it moves.
      await repo.commit({
        message: 'Remove globex',
        author,
        build: async () => [
          {
            path: 'k8s/flux/production/globex/kustomization.yaml',
            delete: true,
          },
        ],
      });
      expect((await repo.lastCommit('k8s/flux/production'))?.message).toBe(
        'Remove globex',
      );
      expect(
        (await repo.lastCommit('k8s/flux/production/globex/'))?.message,
      ).toBe('Remove globex');
      expect((await repo.lastCommit('b.txt'))?.message).toBe('Other');
      expect((await repo.lastCommit('README.md'))?.sha).toBe(seedCommit.sha);
    });

    it('diffs each commit once for lastCommit, whatever the number of paths asked', async () => {
      await seedRepository(gitdir, seed);
      const repo = await open();
      const diffs = jest.spyOn(GitObjectStore.prototype, 'changedPaths');
      const fill = (i: number) =>
        repo.commit({
          message: `Filler ${i}`,
          author,
          build: async () => put({ 'filler.txt': `${i}` }),
        });
      for (let i = 0; i < 3; i++) await fill(i);
      expect((await repo.lastCommit('k8s/flux/staging/acme'))?.message).toBe(
        'Seed',
      );
      expect(diffs).toHaveBeenCalledTimes(4);
      await repo.lastCommit('k8s/flux/production/globex');
      await repo.lastCommit('README.md');
      await repo.lastCommit('nothing/here');
      expect(diffs).toHaveBeenCalledTimes(4);
      // A new head: only the new commit is diffed.
      await fill(3);
      expect((await repo.lastCommit('filler.txt'))?.message).toBe('Filler 3');
      expect((await repo.lastCommit('k8s/flux/staging/acme'))?.message).toBe(
        'Seed',
      );
      expect(diffs).toHaveBeenCalledTimes(5);
    });
  });
});
