import {
  BRANCH,
  GithubFixture,
  OWNER,
  REPO,
  startGithubFixture,
} from '../../gitops/github/__testUtils__/githubFixture';
import { DesiredStateReader } from './DesiredStateReader';
import {
  FOLDERS,
  TTL,
  commitFiles,
  helmRelease,
  plain,
  useReaderTestbed,
} from './__testUtils__/desiredState';

// Requests are counted on the GitHub test server's log: a head read is
// `git.getRef` (plus `git.getCommit` for a commit not seen yet), a snapshot
// `git.getTree`, file contents `git.getBlob` or the archive.
const testbed = useReaderTestbed();

describe('DesiredStateReader with GitHub', () => {
  const ACCOUNTS = ['acme', 'globex', 'initech'];
  const seed: Record<string, string> = { 'README.md': '# config\n' };
  for (const account of ACCOUNTS) {
    const folder = `k8s/flux/staging/${account}`;
    seed[`${folder}/kustomization.yaml`] = 'resources: []\n';
    seed[`${folder}/helmrelease-backend.yaml`] = helmRelease(
      'backend',
      `1.0.0-${account}`,
    );
    seed[`${folder}/helmrelease-engine.yaml`] = helmRelease('engine', '2.0.0');
  }

  let fixture: GithubFixture;
  beforeEach(async () => {
    fixture = await startGithubFixture(seed);
    fixture.server.clearRequests();
  });
  afterEach(async () => {
    await fixture.close();
  });

  /** Requests per route since the last call. */
  const requests = () => {
    const counts: Record<string, number> = {};
    for (const { route } of fixture.server.requests) {
      counts[route] = (counts[route] ?? 0) + 1;
    }
    fixture.server.clearRequests();
    return counts;
  };

  it('reads the tree once per new head commit and only the ref while it stays', async () => {
    const desired = new DesiredStateReader({
      repository: fixture.client(),
      folders: FOLDERS,
      logger: testbed.logger(),
      headTtlMs: TTL,
    });
    const first = await desired.read();
    expect(plain(first)).toEqual({
      acme: { backend: '1.0.0-acme', engine: '2.0.0' },
      globex: { backend: '1.0.0-globex', engine: '2.0.0' },
      initech: { backend: '1.0.0-initech', engine: '2.0.0' },
    });
    // One ref, one commit, one tree; the 6 HelmReleases (4 distinct blobs).
    expect(requests()).toEqual({
      'git.getRef': 1,
      'git.getCommit': 1,
      'git.getTree': 1,
      'git.getBlob': 4,
    });

    for (let i = 0; i < 10; i++) expect(await desired.read()).toBe(first);
    expect(requests()).toEqual({});
    for (let i = 0; i < 3; i++) {
      testbed.advance(TTL);
      for (let j = 0; j < 5; j++) expect(await desired.read()).toBe(first);
    }
    expect(requests()).toEqual({ 'git.getRef': 3 });

    const moved = fixture.server.commitFiles(OWNER, REPO, BRANCH, {
      'k8s/flux/staging/globex/helmrelease-backend.yaml': helmRelease(
        'backend',
        '1.1.0',
      ),
    });
    testbed.advance(TTL);
    const second = await desired.read();
    expect(second.commit).toBe(moved);
    expect(second.tags.get('globex')?.get('backend')).toBe('1.1.0');
    expect(plain(second)).toEqual({
      ...plain(first),
      globex: { backend: '1.1.0', engine: '2.0.0' },
    });
    // One tree for the new commit; only the changed file is fetched.
    expect(requests()).toEqual({
      'git.getRef': 1,
      'git.getCommit': 1,
      'git.getTree': 1,
      'git.getBlob': 1,
    });
  });

  it('reads a large fleet from one tree and one archive, and an own commit from neither', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) {
      const folder = `k8s/flux/production/account-${i}`;
      files[`${folder}/helmrelease-backend.yaml`] = helmRelease(
        'backend',
        `3.0.${i}`,
      );
    }
    fixture.server.commitFiles(OWNER, REPO, BRANCH, files);
    fixture.server.clearRequests();
    const repository = fixture.client();
    const desired = new DesiredStateReader({
      repository,
      folders: FOLDERS,
      logger: testbed.logger(),
    });

    const first = await desired.read();
    expect(first.tags.size).toBe(63);
    expect(first.tags.get('account-42')?.get('backend')).toBe('3.0.42');
    const counts = requests();
    // GithubReader fetches blob by blob until 32 missed, then the archive
    // (a redirect to its download).
    expect(counts['git.getBlob']).toBeLessThanOrEqual(32);
    expect(counts).toEqual({
      'git.getRef': 1,
      'git.getCommit': 1,
      'git.getTree': 1,
      'git.getBlob': counts['git.getBlob'],
      'repos.downloadTarballArchive': 1,
      'codeload.tarball': 1,
    });

    // The portal's own commit is known without reading it back.
    const ours = await commitFiles(repository, {
      'k8s/flux/production/account-7/helmrelease-backend.yaml': helmRelease(
        'backend',
        '3.1.0',
      ),
    });
    requests();
    testbed.advance(TTL);
    const second = await desired.read();
    expect(second.commit).toBe(ours);
    expect(second.tags.get('account-7')?.get('backend')).toBe('3.1.0');
    expect(requests()).toEqual({ 'git.getRef': 1 });
  });

  it('shares one read among concurrent callers', async () => {
    const desired = new DesiredStateReader({
      repository: fixture.client(),
      folders: FOLDERS,
      logger: testbed.logger(),
    });
    const states = await Promise.all(
      Array.from({ length: 8 }, () => desired.read()),
    );
    for (const state of states) expect(state).toBe(states[0]);
    expect(requests()).toMatchObject({ 'git.getRef': 1, 'git.getTree': 1 });

    // After the TTL, concurrent callers share one head read again.
    testbed.advance(TTL);
    const again = await Promise.all([desired.read(), desired.read()]);
    expect(again).toEqual([states[0], states[0]]);
    expect(requests()).toEqual({ 'git.getRef': 1 });
  });

  it('retries a failed read on the next call, remembering nothing of it', async () => {
    fixture.server.injectFault({ route: 'git.getTree', status: 500, times: 4 });
    const desired = new DesiredStateReader({
      repository: fixture.client(),
      folders: FOLDERS,
      logger: testbed.logger(),
    });
    await expect(desired.read()).rejects.toThrow(/read the tree of/);
    expect(plain(await desired.read())).toHaveProperty('acme', {
      backend: '1.0.0-acme',
      engine: '2.0.0',
    });
  });

  it('answers an empty map when the branch does not exist', async () => {
    const desired = new DesiredStateReader({
      repository: fixture.client({ branch: 'nothing-yet' }),
      folders: FOLDERS,
      logger: testbed.logger(),
    });
    expect(await desired.read()).toEqual({ commit: '', tags: new Map() });
    expect(testbed.warnings()).toEqual([
      expect.stringContaining('acme/config has no commit on nothing-yet'),
    ]);
  });
});
