import { ConfigReader } from '@backstage/config';
import { inspect } from 'util';
import { ConfigFileChange } from '../ConfigRepository';
import { describeConfigRepositoryContract } from '../../__testUtils__/configRepositoryContract';
import {
  BRANCH,
  GithubFixture,
  OWNER,
  REPO,
  TOKEN,
  startGithubFixture,
} from './__testUtils__/githubFixture';
import { GithubConfigRepository } from './GithubConfigRepository';

describeConfigRepositoryContract('GithubConfigRepository', seed =>
  startGithubFixture(seed),
);

const author = { name: 'Fleet Portal', email: 'fleet-portal@example.com' };
const SEED: Record<string, string> = {
  'README.md': '# config\n',
  'k8s/flux/staging/acme/kustomization.yaml': 'resources: []\n',
  'k8s/flux/staging/acme/backend.yaml': 'kind: HelmRelease\n',
  'k8s/flux/production/globex/kustomization.yaml': 'resources: []\n',
  'k8s/flux/production/globex/engine.yaml': 'kind: HelmRelease\n',
};

const put = (files: Record<string, string>): ConfigFileChange[] =>
  Object.entries(files).map(([path, content]) => ({ path, content }));

let fixture: GithubFixture;
beforeEach(async () => {
  fixture = await startGithubFixture(SEED);
});
afterEach(async () => {
  await fixture.close();
});

const tree = () => fixture.server.readTree(OWNER, REPO, BRANCH);
const history = () => fixture.server.branchHistory(OWNER, REPO, BRANCH);
const writes = () =>
  fixture.server.requestsMatching({ write: true }).map(r => r.route);
const count = (
  route: Parameters<GithubFixture['server']['requestsMatching']>[0]['route'],
) => fixture.server.requestsMatching({ route }).length;

function folderFiles(n: number, version = 1): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    files[
      `k8s/flux/staging/bulk/file-${String(i).padStart(3, '0')}.yaml`
    ] = `index: ${i}\nversion: ${version}\n`;
  }
  return files;
}

describe('GithubConfigRepository', () => {
  describe('writes', () => {
    it.each([1, 300])(
      'commits %i files as one commit in 3 write calls, sending only what differs',
      async n => {
        const repo = fixture.client();
        const before = history();
        fixture.server.clearRequests();
        const files = folderFiles(n);
        const result = await repo.commit({
          message: `Render ${n}`,
          author,
          // An unchanged file in the change is not sent.
          build: async () => put({ ...files, 'README.md': SEED['README.md'] }),
        });
        expect(result.status).toBe('committed');
        expect(history()).toEqual([expect.any(String), ...before]);
        expect(writes()).toEqual([
          'git.createTree',
          'git.createCommit',
          'git.updateRef',
        ]);
        const [treeRequest] = fixture.server.requestsMatching({
          route: 'git.createTree',
        });
        const body = treeRequest.body as { tree: Array<{ path: string }> };
        expect(body.tree).toHaveLength(n);
        expect(body.tree.map(e => e.path)).not.toContain('README.md');
        expect(tree()).toEqual({ ...SEED, ...files });
      },
    );

    it('touches no file outside the change', async () => {
      const before = tree();
      const result = await fixture.client().commit({
        message: 'Acme only',
        author,
        build: async () => [
          { path: 'k8s/flux/staging/acme/backend.yaml', content: 'kind: X\n' },
          { path: 'k8s/flux/staging/acme/new.yaml', content: 'new: 1\n' },
          { path: 'k8s/flux/staging/acme/kustomization.yaml', delete: true },
          { path: 'k8s/flux/staging/acme/never-existed.yaml', delete: true },
        ],
      });
      expect(result.status === 'committed' && result.changed).toEqual([
        'k8s/flux/staging/acme/backend.yaml',
        'k8s/flux/staging/acme/kustomization.yaml',
        'k8s/flux/staging/acme/new.yaml',
      ]);
      const after = tree();
      const expected = { ...before };
      expected['k8s/flux/staging/acme/backend.yaml'] = 'kind: X\n';
      expected['k8s/flux/staging/acme/new.yaml'] = 'new: 1\n';
      delete expected['k8s/flux/staging/acme/kustomization.yaml'];
      expect(after).toEqual(expected);
      // Only a deletion of a file that exists is sent (GitHub refuses others).
      const [request] = fixture.server.requestsMatching({
        route: 'git.createTree',
      });
      expect(JSON.stringify(request.body)).not.toContain('never-existed');
    });

    it('refuses to replace a folder with a file or write under a file', async () => {
      const repo = fixture.client();
      fixture.server.clearRequests();
      await expect(
        repo.commit({
          message: 'Bad',
          author,
          build: async () => put({ 'k8s/flux/staging/acme': 'x\n' }),
        }),
      ).rejects.toThrow(/is a folder/);
      await expect(
        repo.commit({
          message: 'Bad',
          author,
          build: async () => put({ 'README.md/x.yaml': 'x\n' }),
        }),
      ).rejects.toThrow(/which is a file/);
      expect(writes()).toEqual([]);
      expect(tree()).toEqual(SEED);
    });

    it('makes no write call when the same change is committed again', async () => {
      const repo = fixture.client();
      const change = {
        message: 'Once',
        author,
        build: async () => put(folderFiles(5)),
      };
      expect((await repo.commit(change)).status).toBe('committed');
      const head = history()[0];
      fixture.server.clearRequests();
      const again = await fixture.client().commit(change);
      expect(again).toEqual({
        status: 'unchanged',
        commit: expect.objectContaining({ sha: head }),
      });
      expect(writes()).toEqual([]);
      expect(history()[0]).toBe(head);
    });

    it('lands after a concurrent commit between its read and its write, never forcing', async () => {
      const repo = fixture.client();
      let moved = false;
      fixture.server.onBeforeRefUpdate(() => {
        if (moved) return;
        moved = true;
        fixture.server.commitFiles(OWNER, REPO, BRANCH, {
          'k8s/flux/production/globex/theirs.yaml': 'theirs: 1\n',
        });
      });
      const base = history();
      const result = await repo.commit({
        message: 'Ours',
        author,
        build: async () =>
          put({ 'k8s/flux/staging/acme/ours.yaml': 'ours: 1\n' }),
      });
      expect(result.status === 'committed' && result.retries).toBe(1);
      expect(history()).toHaveLength(base.length + 2);
      expect(tree()).toMatchObject({
        'k8s/flux/production/globex/theirs.yaml': 'theirs: 1\n',
        'k8s/flux/staging/acme/ours.yaml': 'ours: 1\n',
      });
      const updates = fixture.server.requestsMatching({
        route: 'git.updateRef',
      });
      expect(updates.map(r => r.status)).toEqual([422, 200]);
      for (const request of fixture.server.requestsMatching({ write: true })) {
        expect(request.body).not.toMatchObject({ force: true });
      }
      expect(updates.map(r => (r.body as { force: unknown }).force)).toEqual([
        false,
        false,
      ]);
    });

    it('spaces write calls by writeSpacingMs', async () => {
      const repo = fixture.client({ writeSpacingMs: 300 });
      await repo.commit({
        message: 'Spaced',
        author,
        build: async () => put({ 'a.txt': 'a\n' }),
      });
      const times = fixture.server
        .requestsMatching({ write: true })
        .map(r => r.receivedAt);
      expect(times).toHaveLength(3);
      expect(times[1] - times[0]).toBeGreaterThanOrEqual(280);
      expect(times[2] - times[1]).toBeGreaterThanOrEqual(280);
    });
  });

  describe('reads', () => {
    it('reads one tree per new head commit and each blob once', async () => {
      const repo = fixture.client();
      const first = await repo.snapshot();
      await repo.snapshot();
      await Promise.all([repo.snapshot(), repo.snapshot()]);
      expect(count('git.getTree')).toBe(1);

      const path = 'k8s/flux/staging/acme/backend.yaml';
      const reads = await Promise.all([
        first.read(path),
        first.read(path),
        first.read(path),
      ]);
      expect(reads).toEqual([SEED[path], SEED[path], SEED[path]]);
      expect(count('git.getBlob')).toBe(1);

      // Our own commit is known without reading its tree back.
      await repo.commit({
        message: 'Ours',
        author,
        build: async () => put({ 'x.txt': 'x\n' }),
      });
      const ours = await repo.snapshot();
      expect(await ours.read('x.txt')).toBe('x\n');
      expect(ours.list('')).toEqual([...Object.keys(SEED), 'x.txt'].sort());
      expect(count('git.getTree')).toBe(1);

      // Someone else's commit costs one tree read.
      fixture.server.commitFiles(OWNER, REPO, BRANCH, { 'y.txt': 'y\n' });
      expect(await (await repo.snapshot()).read('y.txt')).toBe('y\n');
      expect(count('git.getTree')).toBe(2);
    });

    it('reads many files from one archive instead of one request per file', async () => {
      const files = folderFiles(200);
      fixture.server.commitFiles(OWNER, REPO, BRANCH, files);
      const snapshot = await fixture.client().snapshot();
      const paths = snapshot.list('');
      const contents = await Promise.all(paths.map(p => snapshot.read(p)));
      expect(Object.fromEntries(paths.map((p, i) => [p, contents[i]]))).toEqual(
        { ...SEED, ...files },
      );
      expect(count('codeload.tarball')).toBe(1);
      expect(count('git.getBlob')).toBeLessThanOrEqual(32);
    });

    it('falls back to reading file by file when the archive fails', async () => {
      const files = folderFiles(60);
      fixture.server.commitFiles(OWNER, REPO, BRANCH, files);
      fixture.server.injectFault({
        route: 'codeload.tarball',
        status: 500,
        times: 4,
      });
      const snapshot = await fixture.client().snapshot();
      const paths = snapshot.list('');
      const contents = await Promise.all(paths.map(p => snapshot.read(p)));
      expect(Object.fromEntries(paths.map((p, i) => [p, contents[i]]))).toEqual(
        { ...SEED, ...files },
      );
      // One read per distinct blob (equal contents share one).
      expect(count('git.getBlob')).toBe(new Set(contents).size);
    });

    it('completes a truncated recursive tree folder by folder', async () => {
      await fixture.close();
      fixture = await startGithubFixture(SEED, { maxTreeEntries: 4 });
      const snapshot = await fixture.client().snapshot();
      expect(snapshot.list('')).toEqual(Object.keys(SEED).sort());
      expect(
        await snapshot.read('k8s/flux/production/globex/engine.yaml'),
      ).toBe('kind: HelmRelease\n');
    });

    it('finds the last commit of a path once per head', async () => {
      const repo = fixture.client();
      const result = await repo.commit({
        message: 'Touch globex',
        author,
        build: async () => put({ 'k8s/flux/production/globex/x.yaml': '1\n' }),
      });
      const last = await repo.lastCommit('k8s/flux/production/globex/');
      expect(last).toEqual(
        result.status === 'committed' ? result.commit : undefined,
      );
      expect(last?.url).toBe(
        `https://github.com/${OWNER}/${REPO}/commit/${last?.sha}`,
      );
      await repo.lastCommit('k8s/flux/production/globex');
      expect(count('repos.listCommits')).toBe(1);
      expect(
        fixture.server.requestsMatching({ route: 'repos.listCommits' })[0]
          .query,
      ).toMatchObject({
        path: 'k8s/flux/production/globex',
        per_page: '1',
      });
    });

    it('says where the repository is', () => {
      expect(fixture.client().location).toEqual({
        kind: 'github',
        name: 'acme/config',
        branch: 'main',
        url: 'https://github.com/acme/config/tree/main',
      });
    });
  });

  describe('faults', () => {
    const change = {
      message: 'Add bulk',
      author,
      build: async () => put(folderFiles(3)),
    };

    it('retries 5xx answers and lands once', async () => {
      fixture.server.injectFault({ route: 'git.getRef', status: 503 });
      fixture.server.injectFault({
        route: 'git.createTree',
        status: 502,
        times: 2,
      });
      const before = history();
      const result = await fixture.client().commit(change);
      expect(result.status).toBe('committed');
      expect(count('git.createTree')).toBe(3);
      expect(history()).toEqual([expect.any(String), ...before]);
      expect(tree()).toEqual({ ...SEED, ...folderFiles(3) });
    });

    it.each([
      ['429 with retry-after', 429, () => ({ 'retry-after': '1' })],
      ['403 (secondary) with retry-after', 403, () => ({ 'retry-after': '1' })],
      [
        '403 (primary) with x-ratelimit-reset',
        403,
        () => ({
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
        }),
      ],
    ])('waits as a %s asks, then lands', async (_, status, headers) => {
      fixture.server.injectFault({
        route: 'git.createCommit',
        status,
        headers: headers(),
      });
      const result = await fixture.client().commit(change);
      expect(result.status).toBe('committed');
      const [limited, retried] = fixture.server.requestsMatching({
        route: 'git.createCommit',
      });
      expect([limited.status, retried.status]).toEqual([status, 201]);
      // A behaviour check (the wait was honoured), not a speed assertion.
      expect(retried.receivedAt - limited.receivedAt).toBeGreaterThanOrEqual(
        950,
      );
    });

    it('gives up after 4 tries with a clear error, the branch unchanged', async () => {
      fixture.server.injectFault({
        route: 'git.updateRef',
        status: 503,
        times: 100,
      });
      const before = history();
      await expect(fixture.client().commit(change)).rejects.toThrow(
        'GitHub refused to update acme/config@main after 4 tries: 503 Server Error',
      );
      expect(count('git.updateRef')).toBe(4);
      expect(history()).toEqual(before);
      expect(tree()).toEqual(SEED);
    });

    it('gives up on a rate limit that lasts, or asks for too long a wait', async () => {
      fixture.server.injectFault({
        route: 'git.createTree',
        status: 429,
        headers: { 'retry-after': '0' },
        times: 100,
      });
      await expect(fixture.client().commit(change)).rejects.toThrow(
        /^GitHub refused to create a tree in acme\/config@main after 4 tries: 429 You have exceeded a secondary rate limit/,
      );
      fixture.server.clearFaults();
      fixture.server.injectFault({
        route: 'git.createTree',
        status: 403,
        headers: { 'retry-after': '3600' },
      });
      await expect(fixture.client().commit(change)).rejects.toThrow(
        /after 1 try: 403 You have exceeded a secondary rate limit/,
      );
      expect(tree()).toEqual(SEED);
    });

    it('makes no duplicate commit when it crashed between creating the commit and moving the branch', async () => {
      // Every try of the ref update is cut before GitHub acts on it.
      fixture.server.injectFault({
        route: 'git.updateRef',
        action: 'destroy',
        times: 4,
      });
      const before = history();
      await expect(fixture.client().commit(change)).rejects.toThrow(
        /^GitHub refused to update acme\/config@main after 4 tries: no answer/,
      );
      expect(history()).toEqual(before);
      expect(fixture.server.commitObjectCount(OWNER, REPO)).toBe(2);

      // Re-running the step lands the change once; re-running it again
      // finds the tree as wanted and reports it unchanged.
      const retried = await fixture.client().commit(change);
      expect(retried.status).toBe('committed');
      expect(await fixture.client().commit(change)).toMatchObject({
        status: 'unchanged',
      });
      expect(history()).toEqual([retried.commit.sha, ...before]);
      expect(tree()).toEqual({ ...SEED, ...folderFiles(3) });
    });

    it('reports a ref update whose answer was lost as committed, once', async () => {
      // GitHub moves the branch, but the client never hears back.
      fixture.server.injectFault({
        route: 'git.updateRef',
        action: 'applyThenDestroy',
        times: 4,
      });
      const before = history();
      const result = await fixture.client().commit(change);
      expect(result.status).toBe('committed');
      expect(history()).toEqual([result.commit.sha, ...before]);
      expect(fixture.server.commitObjectCount(OWNER, REPO)).toBe(2);
    });

    it('never puts the token into an error or a log line', async () => {
      fixture.server.injectFault({
        route: 'git.getRef',
        status: 500,
        times: 4,
      });
      const unavailable = await fixture
        .client()
        .head()
        .catch(e => e);
      expect(unavailable.message).toBe(
        'GitHub refused to read the head of acme/config@main after 4 tries: 500 Server Error',
      );
      // A token that embeds the sentinel, refused by the server.
      const refused = await fixture
        .client({ token: `${TOKEN}-wrong` })
        .head()
        .catch(e => e);
      expect(refused.message).toBe(
        'GitHub refused to read the head of acme/config@main after 1 try: 401 Bad credentials',
      );
      for (const error of [unavailable, refused]) {
        for (const text of [
          error.message,
          String(error.stack),
          inspect(error, { depth: 10 }),
          JSON.stringify(error),
        ]) {
          expect(text).not.toContain(TOKEN);
        }
      }
      const logged = JSON.stringify([
        (fixture.logger.warn as jest.Mock).mock.calls,
        (fixture.logger.error as jest.Mock).mock.calls,
        (fixture.logger.info as jest.Mock).mock.calls,
      ]);
      expect(logged).not.toContain(TOKEN);
    });
  });

  describe('fromConfig', () => {
    const config = (
      integration: Record<string, unknown>,
      host = 'ghe.example.com',
    ) =>
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'ghe.example.com',
              apiBaseUrl: fixture.server.url,
              ...integration,
            },
          ],
        },
        accounts: {
          gitops: {
            repository: { github: { owner: OWNER, repo: REPO, host } },
          },
        },
      });

    it('authenticates through integrations.github at its apiBaseUrl', async () => {
      const repo = GithubConfigRepository.fromConfig(config({ token: TOKEN }), {
        logger: fixture.logger,
        writeSpacingMs: 0,
      });
      expect(repo.location).toEqual({
        kind: 'github',
        name: 'acme/config',
        branch: 'main',
        url: 'https://ghe.example.com/acme/config/tree/main',
      });
      const result = await repo.commit({
        message: 'Via config',
        author,
        build: async () => put({ 'c.txt': 'c\n' }),
      });
      expect(result.status).toBe('committed');
      expect(tree()['c.txt']).toBe('c\n');
    });

    it('names the host when there is no integration or no credentials for it', () => {
      const options = { logger: fixture.logger };
      expect(() =>
        GithubConfigRepository.fromConfig(
          config({ token: TOKEN }, 'github.example.org'),
          options,
        ),
      ).toThrow('integrations.github has no entry for host github.example.org');
      expect(() =>
        GithubConfigRepository.fromConfig(config({}), options),
      ).toThrow(
        'integrations.github for host ghe.example.com has neither a token nor a GitHub App',
      );
    });
  });
});
