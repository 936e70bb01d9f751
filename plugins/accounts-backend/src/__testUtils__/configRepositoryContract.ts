/* eslint-disable jest/no-export -- a shared suite: each implementation's
   test file calls it, so it must export what the test files call. */
import {
  ConfigFileChange,
  ConfigRepository,
  ConfigRepositoryConflictError,
  ConfigSnapshot,
} from '../gitops/ConfigRepository';
import { gitBlobSha } from '../gitops/github/GithubSnapshot';

/**
 * A config repository under test: independent clients of one repository, so
 * a second client can play the concurrent writer.
 */
export interface ConfigRepositoryFixture {
  /** A new client of the same repository and branch (no shared cache). */
  client(): ConfigRepository;
  /** The shas of the branch's history, newest first (first parents). */
  history(): Promise<string[]>;
  /** Releases whatever the fixture started. */
  close(): Promise<void>;
}

const author = { name: 'Fleet Portal', email: 'fleet-portal@example.com' };

function put(files: Record<string, string>): ConfigFileChange[] {
  return Object.entries(files).map(([path, content]) => ({ path, content }));
}

async function readAll(
  snapshot: ConfigSnapshot,
  folder = '',
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of snapshot.list(folder)) {
    out[path] = (await snapshot.read(path))!;
  }
  return out;
}

/**
 * The behaviour every {@link ConfigRepository} must show, as one Jest suite
 * run against each implementation. `create` returns a fixture holding a
 * repository whose branch has one commit with `seed` in its tree.
 */
export function describeConfigRepositoryContract(
  name: string,
  create: (seed: Record<string, string>) => Promise<ConfigRepositoryFixture>,
) {
  describe(`${name} (ConfigRepository contract)`, () => {
    const seed = {
      'README.md': '# config\n',
      'k8s/flux/staging/acme/kustomization.yaml': 'resources: []\n',
      'k8s/flux/staging/acme/backend.yaml': 'kind: HelmRelease\n',
      'k8s/flux/production/globex/kustomization.yaml': 'resources: []\n',
    };
    let fixture: ConfigRepositoryFixture;

    beforeEach(async () => {
      fixture = await create(seed);
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('reads the seeded tree and lists folders recursively', async () => {
      const repo = fixture.client();
      const snapshot = await repo.snapshot();
      expect(snapshot.commit.sha).toBe((await repo.head()).sha);
      expect(snapshot.list('k8s/flux/staging')).toEqual([
        'k8s/flux/staging/acme/backend.yaml',
        'k8s/flux/staging/acme/kustomization.yaml',
      ]);
      expect(await readAll(snapshot)).toEqual(seed);
      expect(await snapshot.read('k8s/flux/staging/nope.yaml')).toBeUndefined();
    });

    it("names each file's content by its git blob sha", async () => {
      const repo = fixture.client();
      const before = await repo.snapshot();
      const changed = 'k8s/flux/staging/acme/backend.yaml';
      const kept = 'k8s/flux/production/globex/kustomization.yaml';
      for (const [path, content] of Object.entries(seed)) {
        expect(before.blobId(path)).toBe(gitBlobSha(content));
      }
      expect(before.blobId('k8s/flux/staging/nope.yaml')).toBeUndefined();
      expect(before.blobId('k8s/flux/staging')).toBeUndefined();

      await repo.commit({
        message: 'Change one file',
        author,
        build: async () => put({ [changed]: 'kind: HelmRelease # v2\n' }),
      });
      const after = await fixture.client().snapshot();
      expect(after.blobId(changed)).toBe(
        gitBlobSha('kind: HelmRelease # v2\n'),
      );
      expect(after.blobId(changed)).not.toBe(before.blobId(changed));
      expect(after.blobId(kept)).toBe(before.blobId(kept));
    });

    it('writes a change of many files as exactly one commit', async () => {
      const repo = fixture.client();
      const before = await fixture.history();
      const files = {
        'k8s/flux/staging/initech/kustomization.yaml': 'resources:\n  - a\n',
        'k8s/flux/staging/initech/a.yaml': 'value: "x\\n---\\ny: 1"\n',
        'k8s/flux/staging/initech/b.yaml': 'unicode: "Zürich – ✓"\n',
        'k8s/flux/staging/acme/backend.yaml': 'kind: HelmRelease # changed\n',
      };
      const result = await repo.commit({
        message: 'Render initech',
        author,
        build: async () => put(files),
      });
      expect(result.status).toBe('committed');
      if (result.status !== 'committed') throw new Error('expected a commit');
      expect(result.changed).toEqual(Object.keys(files).sort());
      expect(result.retries).toBe(0);
      expect(result.commit.message).toContain('Render initech');
      const after = await fixture.history();
      expect(after).toEqual([result.commit.sha, ...before]);
      const tree = await readAll(await fixture.client().snapshot());
      expect(tree).toEqual({ ...seed, ...files });
      expect((await fixture.client().head()).sha).toBe(result.commit.sha);
    });

    it('makes no commit when the change leaves the tree as it is', async () => {
      const repo = fixture.client();
      const before = await fixture.history();
      const result = await repo.commit({
        message: 'Nothing',
        author,
        build: async () => [
          ...put({ 'README.md': seed['README.md'] }),
          { path: 'k8s/flux/staging/gone.yaml', delete: true },
        ],
      });
      expect(result.status).toBe('unchanged');
      expect(result.commit.sha).toBe(before[0]);
      expect(await fixture.history()).toEqual(before);
    });

    it('deletes files and touches nothing outside the change', async () => {
      const repo = fixture.client();
      const result = await repo.commit({
        message: 'Remove backend from acme',
        author,
        build: async () => [
          { path: 'k8s/flux/staging/acme/backend.yaml', delete: true },
        ],
      });
      expect(result.status).toBe('committed');
      const tree = await readAll(await fixture.client().snapshot());
      const expected: Record<string, string> = { ...seed };
      delete expected['k8s/flux/staging/acme/backend.yaml'];
      expect(tree).toEqual(expected);
    });

    it('re-applies its change on top of a concurrent commit, never forcing', async () => {
      const repo = fixture.client();
      const other = fixture.client();
      const base = await fixture.history();
      let calls = 0;
      const result = await repo.commit({
        message: 'Ours',
        author,
        build: async head => {
          calls += 1;
          if (calls === 1) {
            // Another writer lands between our read and our write.
            const theirs = await other.commit({
              message: 'Theirs',
              author,
              build: async () =>
                put({ 'k8s/flux/production/globex/theirs.yaml': 'a: 1\n' }),
            });
            if (theirs.status !== 'committed') {
              throw new Error('the concurrent writer should have committed');
            }
          }
          const current = await head.read('README.md');
          return put({
            'k8s/flux/staging/acme/ours.yaml': 'b: 2\n',
            'README.md': `${current}seen ${head.commit.sha.slice(0, 7)}\n`,
          });
        },
      });
      expect(result.status).toBe('committed');
      if (result.status !== 'committed') throw new Error('expected a commit');
      expect(result.retries).toBe(1);
      expect(calls).toBe(2);
      const history = await fixture.history();
      expect(history).toHaveLength(base.length + 2);
      expect(history[0]).toBe(result.commit.sha);
      expect(history.slice(2)).toEqual(base);
      const tree = await readAll(await fixture.client().snapshot());
      expect(tree['k8s/flux/production/globex/theirs.yaml']).toBe('a: 1\n');
      expect(tree['k8s/flux/staging/acme/ours.yaml']).toBe('b: 2\n');
      // The second build saw the other writer's head, not the first one.
      expect(tree['README.md']).toBe(
        `${seed['README.md']}seen ${history[1].slice(0, 7)}\n`,
      );
    });

    it('gives up with a conflict error when the branch keeps moving', async () => {
      const repo = fixture.client();
      const other = fixture.client();
      let n = 0;
      const attempt = repo.commit({
        message: 'Never lands',
        author,
        build: async () => {
          n += 1;
          await other.commit({
            message: `Interloper ${n}`,
            author,
            build: async () => put({ 'interloper.txt': `${n}\n` }),
          });
          return put({ 'ours.txt': 'x\n' });
        },
      });
      await expect(attempt).rejects.toBeInstanceOf(
        ConfigRepositoryConflictError,
      );
      const tree = await readAll(await fixture.client().snapshot());
      expect(tree['ours.txt']).toBeUndefined();
      expect(n).toBeGreaterThan(1);
      expect(n).toBeLessThan(20);
    });

    it.each([
      '../escape.yaml',
      'k8s/../../escape.yaml',
      '/etc/passwd',
      'k8s\\flux\\x.yaml',
      'k8s/%2e%2e/x.yaml',
      'k8s/flux/a\u0000.yaml',
      'k8s//x.yaml',
      'k8s/./x.yaml',
      '.git/config',
      '',
    ])('refuses the path %j and commits nothing', async path => {
      const repo = fixture.client();
      const before = await fixture.history();
      await expect(
        repo.commit({
          message: 'Bad',
          author,
          build: async () => [
            { path: 'k8s/flux/staging/acme/ok.yaml', content: 'ok\n' },
            { path, content: 'x\n' },
          ],
        }),
      ).rejects.toThrow(/Invalid path/);
      expect(await fixture.history()).toEqual(before);
    });

    it('finds the last commit that touched a folder', async () => {
      const repo = fixture.client();
      const first = await repo.commit({
        message: 'Touch acme',
        author,
        build: async () => put({ 'k8s/flux/staging/acme/x.yaml': '1\n' }),
      });
      await repo.commit({
        message: 'Touch globex',
        author,
        build: async () => put({ 'k8s/flux/production/globex/x.yaml': '1\n' }),
      });
      if (first.status !== 'committed') throw new Error('expected a commit');
      const last = await fixture.client().lastCommit('k8s/flux/staging/acme');
      expect(last?.sha).toBe(first.commit.sha);
      expect(last?.message).toContain('Touch acme');
      expect(last?.author).toEqual(author);
      expect(await repo.lastCommit('k8s/flux/staging/nobody')).toBeUndefined();
    });

    it('still reads an older commit after the branch moved', async () => {
      const repo = fixture.client();
      const old = await repo.head();
      await repo.commit({
        message: 'Change README',
        author,
        build: async () => put({ 'README.md': 'new\n' }),
      });
      const snapshot = await repo.snapshot(old.sha);
      expect(await snapshot.read('README.md')).toBe(seed['README.md']);
      expect(await (await repo.snapshot()).read('README.md')).toBe('new\n');
    });
  });
}
