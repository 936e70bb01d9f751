import { Octokit } from '@octokit/rest';
import { GithubTestServer } from './GithubTestServer';

// Pull requests between branches of one repository (a release branch into
// main), through the real Octokit.

const OWNER = 'acme';
const REPO = 'payments';
const repo = { owner: OWNER, repo: REPO };
const DOCS = 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request';

let server: GithubTestServer;
let octokit: Octokit;
let initial: string;

beforeEach(async () => {
  server = await GithubTestServer.start();
  octokit = new Octokit({ baseUrl: server.url });
  initial = server.createRepository(OWNER, REPO, {
    files: { VERSION: '1.2.2\n' },
  });
});
afterEach(async () => {
  await server.stop();
});

/** A branch off main with one commit; returns its head. */
function releaseBranch(name: string, version = '1.2.3') {
  server.createBranch(OWNER, REPO, name, 'main');
  return server.commitFiles(
    OWNER,
    REPO,
    name,
    { VERSION: `${version}\n` },
    { message: `chore: release ${version}` },
  );
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    e => e,
  );
  return { status: error.status, data: error.response.data };
}

describe('pulls.create', () => {
  it('opens a pull request numbered from 1 per repository', async () => {
    const head = releaseBranch('release-v1.2.3');
    const { status, data } = await octokit.pulls.create({
      ...repo,
      title: 'Release v1.2.3',
      head: 'release-v1.2.3',
      base: 'main',
      body: 'Changes since v1.2.2',
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      number: 1,
      id: expect.any(Number),
      html_url: 'https://github.com/acme/payments/pull/1',
      url: `${server.url}/repos/acme/payments/pulls/1`,
      state: 'open',
      title: 'Release v1.2.3',
      body: 'Changes since v1.2.2',
      draft: false,
      merged: false,
      commits: 1,
      user: { login: 'test-user' },
      head: { ref: 'release-v1.2.3', sha: head, label: 'acme:release-v1.2.3' },
      base: { ref: 'main', sha: initial, label: 'acme:main' },
    });
    expect(data.head.repo?.full_name).toBe('acme/payments');

    releaseBranch('release-v1.2.4', '1.2.4');
    const second = await octokit.pulls.create({
      ...repo,
      title: 'Release v1.2.4',
      head: `${OWNER}:release-v1.2.4`,
      base: 'main',
      draft: true,
    });
    expect(second.data).toMatchObject({ number: 2, draft: true, body: null });

    server.createRepository(OWNER, 'other');
    server.createBranch(OWNER, 'other', 'feature', 'main');
    server.commitFiles(OWNER, 'other', 'feature', { x: 'x' });
    const elsewhere = await octokit.pulls.create({
      owner: OWNER,
      repo: 'other',
      title: 'x',
      head: 'feature',
      base: 'main',
    });
    expect(elsewhere.data.number).toBe(1);
    expect(server.pullRequests(OWNER, REPO).map(p => p.number)).toEqual([1, 2]);
  });

  it('answers 422 for an unknown head or base', async () => {
    releaseBranch('release-v1.2.3');
    const create = (head: string, base: string) =>
      failure(octokit.pulls.create({ ...repo, title: 't', head, base }));
    expect(await create('nothing', 'main')).toEqual({
      status: 422,
      data: {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
        documentation_url: DOCS,
        status: '422',
      },
    });
    expect((await create('release-v1.2.3', 'nothing')).data.errors).toEqual([
      { resource: 'PullRequest', field: 'base', code: 'invalid' },
    ]);
    // A branch of another owner (a fork) is not known here.
    expect(
      (await create('someone:release-v1.2.3', 'main')).data.errors,
    ).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    const untitled = await fetch(`${server.url}/repos/${OWNER}/${REPO}/pulls`, {
      method: 'POST',
      body: JSON.stringify({ head: 'release-v1.2.3', base: 'main' }),
    });
    expect(untitled.status).toBe(422);
    expect((await untitled.json()).errors).toEqual([
      { resource: 'PullRequest', code: 'missing_field', field: 'title' },
    ]);
    expect(server.pullRequests(OWNER, REPO)).toEqual([]);
  });

  it('answers 422 when head has no commits that base lacks', async () => {
    server.createBranch(OWNER, REPO, 'release-v1.2.3', 'main');
    expect(
      await failure(
        octokit.pulls.create({
          ...repo,
          title: 'Release',
          head: 'release-v1.2.3',
          base: 'main',
        }),
      ),
    ).toEqual({
      status: 422,
      data: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'No commits between main and release-v1.2.3',
          },
        ],
        documentation_url: DOCS,
        status: '422',
      },
    });
    // Also when head is behind base.
    server.commitFiles(OWNER, REPO, 'main', { later: 'x' });
    await expect(
      octokit.pulls.create({
        ...repo,
        title: 'Release',
        head: 'release-v1.2.3',
        base: 'main',
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('No commits between main and release'),
    });
  });

  it('answers 422 while an open pull request joins the same branches, not once it is closed', async () => {
    releaseBranch('release-v1.2.3');
    const args = { ...repo, title: 'R', head: 'release-v1.2.3', base: 'main' };
    const { data: first } = await octokit.pulls.create(args);
    expect(await failure(octokit.pulls.create(args))).toEqual({
      status: 422,
      data: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'A pull request already exists for acme:release-v1.2.3.',
          },
        ],
        documentation_url: DOCS,
        status: '422',
      },
    });
    const closed = await octokit.pulls.update({
      ...repo,
      pull_number: first.number,
      state: 'closed',
    });
    expect(closed.data).toMatchObject({
      state: 'closed',
      closed_at: expect.stringMatching(/Z$/),
    });
    const { data: again } = await octokit.pulls.create(args);
    expect(again.number).toBe(2);
    // Reopening the first would make two open ones.
    await expect(
      octokit.pulls.update({ ...repo, pull_number: 1, state: 'open' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('pulls.get and pulls.list', () => {
  it('gets a pull request whose head follows its branch; 404 for an unknown number', async () => {
    releaseBranch('release-v1.2.3');
    await octokit.pulls.create({
      ...repo,
      title: 'R',
      head: 'release-v1.2.3',
      base: 'main',
    });
    const pushed = server.commitFiles(OWNER, REPO, 'release-v1.2.3', {
      fix: 'x',
    });
    const { data } = await octokit.pulls.get({ ...repo, pull_number: 1 });
    expect(data).toMatchObject({
      number: 1,
      head: { sha: pushed },
      commits: 2,
      merged: false,
    });
    await expect(
      octokit.pulls.get({ ...repo, pull_number: 7 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('filters by state, owner:head and base, newest first, paginated', async () => {
    for (const v of ['1.2.3', '1.2.4', '1.2.5']) {
      releaseBranch(`release-v${v}`, v);
      await octokit.pulls.create({
        ...repo,
        title: `Release v${v}`,
        head: `release-v${v}`,
        base: 'main',
      });
    }
    server.createBranch(OWNER, REPO, 'develop', 'main');
    releaseBranch('hotfix', '1.2.6');
    await octokit.pulls.create({
      ...repo,
      title: 'Hotfix',
      head: 'hotfix',
      base: 'develop',
    });
    await octokit.pulls.update({ ...repo, pull_number: 2, state: 'closed' });

    const numbers = async (params: Record<string, unknown>) =>
      (await octokit.pulls.list({ ...repo, ...params })).data.map(
        p => p.number,
      );
    expect(await numbers({})).toEqual([4, 3, 1]);
    expect(await numbers({ state: 'closed' })).toEqual([2]);
    expect(await numbers({ state: 'all' })).toEqual([4, 3, 2, 1]);
    expect(await numbers({ state: 'all', direction: 'asc' })).toEqual([
      1, 2, 3, 4,
    ]);
    expect(await numbers({ head: 'acme:release-v1.2.3' })).toEqual([1]);
    expect(await numbers({ head: 'someone:release-v1.2.3' })).toEqual([]);
    // Like GitHub, a head without its owner filters nothing.
    expect(await numbers({ head: 'release-v1.2.3' })).toEqual([4, 3, 1]);
    expect(await numbers({ base: 'develop' })).toEqual([4]);
    expect(await numbers({ base: 'main', state: 'all' })).toEqual([3, 2, 1]);

    const page = await octokit.pulls.list({ ...repo, per_page: 2 });
    expect(page.data.map(p => p.number)).toEqual([4, 3]);
    expect(page.headers.link).toContain('rel="next"');
    expect(page.data[0]).toMatchObject({
      title: 'Hotfix',
      state: 'open',
      head: { ref: 'hotfix' },
      base: { ref: 'develop' },
    });
    // The listing has no merge state; get has.
    expect(page.data[0]).not.toHaveProperty('merged');
  });
});

describe('pull requests and the server machinery', () => {
  it('logs pull request writes and answers injected faults', async () => {
    releaseBranch('release-v1.2.3');
    server.injectFault({ route: 'pulls.create', status: 500 });
    const args = { ...repo, title: 'R', head: 'release-v1.2.3', base: 'main' };
    await expect(octokit.pulls.create(args)).rejects.toMatchObject({
      status: 500,
    });
    expect(server.pullRequests(OWNER, REPO)).toEqual([]);
    await octokit.pulls.create(args);
    expect(
      server
        .requestsMatching({ route: 'pulls.create' })
        .map(r => [r.status, r.injected, r.body]),
    ).toEqual([
      // A fault answers before the body is read, so none is logged.
      [500, true, undefined],
      [201, false, { title: 'R', head: 'release-v1.2.3', base: 'main' }],
    ]);
  });
});
