import { Octokit } from '@octokit/rest';
import { GithubTestServer } from './GithubTestServer';

// Comparing refs and reading branches, as release notes and release
// branches need them, through the real Octokit.

const OWNER = 'acme';
const REPO = 'payments';
const repo = { owner: OWNER, repo: REPO };
const ALICE = {
  name: 'Alice',
  email: 'alice@example.com',
  date: '2024-03-01T10:00:00Z',
};

let server: GithubTestServer;
let octokit: Octokit;
let initial: string;

beforeEach(async () => {
  server = await GithubTestServer.start();
  octokit = new Octokit({ baseUrl: server.url });
  initial = server.createRepository(OWNER, REPO, {
    files: { 'src/app.ts': 'v1\n' },
  });
});
afterEach(async () => {
  await server.stop();
});

function commit(
  branch: string,
  message: string,
  files: Record<string, string | null> = { [`${message}.txt`]: message },
) {
  return server.commitFiles(OWNER, REPO, branch, files, {
    message,
    author: ALICE,
  });
}

async function compare(basehead: string, extra = {}) {
  return octokit.repos.compareCommitsWithBasehead({
    ...repo,
    basehead,
    ...extra,
  });
}

describe('repos.compareCommitsWithBasehead', () => {
  it('lists the commits of head missing from base, oldest first, with their messages and authors', async () => {
    server.createTag(OWNER, REPO, 'v1.0.0', initial);
    const a = commit('main', 'feat: a', { 'src/app.ts': 'v2\n' });
    const b = commit('main', 'fix: b', { 'docs/b.md': 'b\n' });

    const { status, data } = await compare('v1.0.0...main');
    expect(status).toBe(200);
    expect(data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      html_url: 'https://github.com/acme/payments/compare/v1.0.0...main',
      url: `${server.url}/repos/acme/payments/compare/v1.0.0...main`,
    });
    expect(data.commits.map(c => c.sha)).toEqual([a, b]);
    expect(data.commits[0]).toMatchObject({
      sha: a,
      commit: {
        message: 'feat: a',
        author: { name: 'Alice', email: 'alice@example.com' },
      },
      parents: [{ sha: initial }],
    });
    expect(data.base_commit.sha).toBe(initial);
    expect(data.merge_base_commit.sha).toBe(initial);
    expect(data.files).toEqual([
      expect.objectContaining({ filename: 'docs/b.md', status: 'added' }),
      expect.objectContaining({ filename: 'src/app.ts', status: 'modified' }),
    ]);
    // The same commits as getCommit shows them.
    const single = await octokit.repos.getCommit({ ...repo, ref: a });
    const { files: _files, ...withoutFiles } = single.data;
    expect(data.commits[0]).toEqual(withoutFiles);

    // Shas and owner:branch work too.
    const bySha = await compare(`${initial.slice(0, 7)}...${OWNER}:main`);
    expect(bySha.data.commits.map(c => c.sha)).toEqual([a, b]);
  });

  it('says identical, behind and diverged, with the merge base', async () => {
    const a = commit('main', 'a');
    server.createBranch(OWNER, REPO, 'release-1.x', a);
    expect((await compare('main...release-1.x')).data).toMatchObject({
      status: 'identical',
      ahead_by: 0,
      behind_by: 0,
      total_commits: 0,
      commits: [],
      files: [],
    });
    const b = commit('main', 'b');
    const behind = await compare('main...release-1.x');
    expect(behind.data).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 1,
      commits: [],
    });
    expect(behind.data.base_commit.sha).toBe(b);
    expect(behind.data.merge_base_commit.sha).toBe(a);
    const fix = commit('release-1.x', 'fix: on release');
    const diverged = await compare('main...release-1.x');
    expect(diverged.data).toMatchObject({
      status: 'diverged',
      ahead_by: 1,
      behind_by: 1,
      total_commits: 1,
    });
    expect(diverged.data.commits.map(c => c.sha)).toEqual([fix]);
    expect(diverged.data.merge_base_commit.sha).toBe(a);
    // Files are those changed since the merge base, not since base.
    expect(diverged.data.files?.map(f => f.filename)).toEqual([
      'fix: on release.txt',
    ]);
  });

  it('orders merged history so that parents come before children', async () => {
    const a = commit('main', 'a');
    server.createBranch(OWNER, REPO, 'feature', a);
    const b = commit('main', 'b');
    const f1 = commit('feature', 'f1');
    const f2 = commit('feature', 'f2');
    const tree = (await octokit.git.getCommit({ ...repo, commit_sha: f2 })).data
      .tree.sha;
    const { data: merge } = await octokit.git.createCommit({
      ...repo,
      message: 'Merge feature',
      tree,
      parents: [b, f2],
    });
    await octokit.git.updateRef({ ...repo, ref: 'heads/main', sha: merge.sha });

    const { data } = await compare(`${a}...main`);
    expect(data.commits.map(c => c.sha)).toEqual([b, f1, f2, merge.sha]);
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 4 });
    const back = await compare('main...feature');
    expect(back.data).toMatchObject({
      status: 'behind',
      ahead_by: 0,
      behind_by: 2,
    });
    expect(back.data.merge_base_commit.sha).toBe(f2);
  });

  it('lists the last 250 commits without paging parameters, and pages of per_page with them', async () => {
    const shas: string[] = [];
    for (let i = 0; i < 260; i++) shas.push(commit('main', `c${i}`));

    const whole = await compare(`${initial}...main`);
    expect(whole.data.total_commits).toBe(260);
    expect(whole.data.commits).toHaveLength(250);
    expect(whole.data.commits[0].sha).toBe(shas[10]);
    expect(whole.data.commits.at(-1)!.sha).toBe(shas[259]);
    expect(whole.data.files).toHaveLength(260);

    const first = await compare(`${initial}...main`, { per_page: 100 });
    expect(first.data.commits.map(c => c.sha)).toEqual(shas.slice(0, 100));
    expect(first.headers.link).toContain('page=2');
    expect(first.headers.link).toContain('rel="next"');
    expect(first.data.files).toHaveLength(260);
    const third = await compare(`${initial}...main`, {
      per_page: 100,
      page: 3,
    });
    expect(third.data.commits.map(c => c.sha)).toEqual(shas.slice(200));
    expect(third.data.total_commits).toBe(260);
    expect(third.data.files).toEqual([]);
    expect(third.headers.link).toContain('rel="prev"');
    expect(third.headers.link).not.toContain('rel="next"');
  });

  it('answers 404 for an unknown base or head, and for unrelated histories', async () => {
    for (const basehead of [
      'main...nothing',
      'nothing...main',
      `main...${'0'.repeat(40)}`,
      'other-owner:main...main',
      'main..main',
    ]) {
      const error = await compare(basehead).catch(e => e);
      expect({ basehead, status: error.status }).toEqual({
        basehead,
        status: 404,
      });
      expect(error.response.data.message).toBe('Not Found');
    }
    commit('orphan', 'unrelated root');
    await expect(compare('main...orphan')).rejects.toMatchObject({
      status: 404,
      response: {
        data: { message: 'No common ancestor between main and orphan.' },
      },
    });
  });
});

describe('repos.getBranch and git.createRef', () => {
  it('gets a branch with its head commit; 404 for an unknown one', async () => {
    server.createBranch(OWNER, REPO, 'release/1.x', initial);
    const head = commit('release/1.x', 'fix: on the release branch');
    const { status, data } = await octokit.repos.getBranch({
      ...repo,
      branch: 'release/1.x',
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({
      name: 'release/1.x',
      commit: {
        sha: head,
        commit: { message: 'fix: on the release branch' },
        parents: [{ sha: initial }],
      },
      protected: false,
    });
    await expect(
      octokit.repos.getBranch({ ...repo, branch: 'nothing' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Branch not found' } },
    });
  });

  it('creates a release branch through git.createRef and refuses an existing one', async () => {
    const created = await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/release-v1.2.3',
      sha: initial,
    });
    expect(created.status).toBe(201);
    expect(server.branchHead(OWNER, REPO, 'release-v1.2.3')).toBe(initial);
    const error = await octokit.git
      .createRef({ ...repo, ref: 'refs/heads/release-v1.2.3', sha: initial })
      .catch(e => e);
    expect(error.status).toBe(422);
    expect(error.response.data.message).toBe('Reference already exists');
    await expect(
      octokit.git.createRef({
        ...repo,
        ref: 'refs/heads/other',
        sha: 'f'.repeat(40),
      }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
