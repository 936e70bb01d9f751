import { Octokit } from '@octokit/rest';
import { GithubTestServer } from './GithubTestServer';

// Tags and releases as a release manager's client sees them: the real
// Octokit against the local server.

const OWNER = 'acme';
const REPO = 'payments';
const TOKEN = 'ghp_release_test_token';
const repo = { owner: OWNER, repo: REPO };

let server: GithubTestServer;
let octokit: Octokit;
let initial: string;

beforeEach(async () => {
  server = await GithubTestServer.start({ token: TOKEN, login: 'releaser' });
  octokit = new Octokit({ baseUrl: server.url, auth: TOKEN });
  initial = server.createRepository(OWNER, REPO, {
    files: { VERSION: '1.0.0\n' },
  });
});
afterEach(async () => {
  await server.stop();
});

function commit(message: string, branch = 'main') {
  return server.commitFiles(
    OWNER,
    REPO,
    branch,
    { 'CHANGELOG.md': `${message}\n` },
    { message },
  );
}

describe('repos.listTags', () => {
  it('lists the tags with their commits, paginated with a Link header', async () => {
    const second = commit('feat: second');
    server.createTag(OWNER, REPO, 'v1.0.0', initial);
    server.createTag(OWNER, REPO, 'v1.1.0', second);
    server.createTag(OWNER, REPO, 'v1.1.1', 'main');

    const { data, headers } = await octokit.repos.listTags({
      ...repo,
      per_page: 2,
    });
    expect(data.map(t => [t.name, t.commit.sha])).toEqual([
      ['v1.1.1', second],
      ['v1.1.0', second],
    ]);
    expect(data[0]).toEqual({
      name: 'v1.1.1',
      commit: {
        sha: second,
        url: `${server.url}/repos/acme/payments/commits/${second}`,
      },
      zipball_url: `${server.url}/repos/acme/payments/zipball/refs/tags/v1.1.1`,
      tarball_url: `${server.url}/repos/acme/payments/tarball/refs/tags/v1.1.1`,
      node_id: expect.any(String),
    });
    expect(headers.link).toContain('page=2>; rel="next"');
    const next = await octokit.repos.listTags({
      ...repo,
      per_page: 2,
      page: 2,
    });
    expect(next.data.map(t => [t.name, t.commit.sha])).toEqual([
      ['v1.0.0', initial],
    ]);
    expect(next.headers.link).toContain('rel="prev"');
    expect(next.headers.link).not.toContain('rel="next"');

    const all = await octokit.paginate('GET /repos/{owner}/{repo}/tags', {
      ...repo,
      per_page: 1,
    });
    expect(all.map(t => t.name)).toEqual(['v1.1.1', 'v1.1.0', 'v1.0.0']);
    expect(server.tags(OWNER, REPO)).toEqual({
      'v1.0.0': initial,
      'v1.1.0': second,
      'v1.1.1': second,
    });
  });

  it('lists nothing when there are no tags, and the tarball of a tag is served', async () => {
    expect((await octokit.repos.listTags(repo)).data).toEqual([]);
    server.createTag(OWNER, REPO, 'v1.0.0', initial);
    const [tag] = (await octokit.repos.listTags(repo)).data;
    const res = await fetch(tag.tarball_url, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.url).toContain(`/legacy.tar.gz/${initial}`);
  });
});

describe('repos.createRelease', () => {
  it('creates the release and its tag at the default branch', async () => {
    const head = commit('fix: head');
    const { status, data } = await octokit.repos.createRelease({
      ...repo,
      tag_name: 'v1.0.1',
      name: 'v1.0.1',
      body: '- fix: head',
    });
    expect(status).toBe(201);
    expect(data).toMatchObject({
      id: expect.any(Number),
      node_id: expect.any(String),
      tag_name: 'v1.0.1',
      target_commitish: 'main',
      name: 'v1.0.1',
      body: '- fix: head',
      draft: false,
      prerelease: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      published_at: expect.stringMatching(/Z$/),
      author: { login: 'releaser', type: 'User' },
      html_url: 'https://github.com/acme/payments/releases/tag/v1.0.1',
      url: `${server.url}/repos/acme/payments/releases/${data.id}`,
      assets: [],
      tarball_url: `${server.url}/repos/acme/payments/tarball/v1.0.1`,
      zipball_url: `${server.url}/repos/acme/payments/zipball/v1.0.1`,
    });
    expect(server.tags(OWNER, REPO)).toEqual({ 'v1.0.1': head });
    expect(server.releases(OWNER, REPO)).toEqual([
      expect.objectContaining({
        id: data.id,
        tagName: 'v1.0.1',
        author: 'releaser',
        draft: false,
      }),
    ]);
  });

  it('tags a given branch or full sha, and leaves an existing tag where it is', async () => {
    const onMain = commit('feat: a');
    server.createBranch(OWNER, REPO, 'release-1.x', initial);
    const onRelease = commit('fix: b', 'release-1.x');
    await octokit.repos.createRelease({
      ...repo,
      tag_name: 'v1.0.1',
      target_commitish: 'release-1.x',
    });
    const bySha = await octokit.repos.createRelease({
      ...repo,
      tag_name: 'v1.1.0',
      target_commitish: onMain,
    });
    expect(bySha.data.target_commitish).toBe(onMain);
    server.createTag(OWNER, REPO, 'v0.9.0', initial);
    await octokit.repos.createRelease({
      ...repo,
      tag_name: 'v0.9.0',
      target_commitish: 'main',
    });
    expect(server.tags(OWNER, REPO)).toEqual({
      'v1.0.1': onRelease,
      'v1.1.0': onMain,
      'v0.9.0': initial,
    });
  });

  it('answers 422 already_exists when a release of the tag exists', async () => {
    await octokit.repos.createRelease({ ...repo, tag_name: 'v1.0.0' });
    const error = await octokit.repos
      .createRelease({ ...repo, tag_name: 'v1.0.0', name: 'again' })
      .catch(e => e);
    expect(error.status).toBe(422);
    expect(error.response.data).toEqual({
      message: 'Validation Failed',
      errors: [
        { resource: 'Release', code: 'already_exists', field: 'tag_name' },
      ],
      documentation_url:
        'https://docs.github.com/rest/releases/releases#create-a-release',
      status: '422',
    });
    expect(server.releases(OWNER, REPO)).toHaveLength(1);
  });

  it('answers 422 when target_commitish is not a branch or a full commit sha', async () => {
    server.createTag(OWNER, REPO, 'v1.0.0', initial);
    for (const target of [
      'no-such-branch',
      initial.slice(0, 7),
      'f'.repeat(40),
      'v1.0.0',
    ]) {
      const error = await octokit.repos
        .createRelease({
          ...repo,
          tag_name: 'v2.0.0',
          target_commitish: target,
        })
        .catch(e => e);
      expect({ target, status: error.status }).toEqual({ target, status: 422 });
      expect(error.response.data.errors).toEqual([
        { resource: 'Release', code: 'invalid', field: 'target_commitish' },
      ]);
    }
    expect(server.tags(OWNER, REPO)).toEqual({ 'v1.0.0': initial });
    expect(server.releases(OWNER, REPO)).toEqual([]);
  });

  it('refuses a tag name git would refuse, and a missing tag_name', async () => {
    const bad = await octokit.repos
      .createRelease({ ...repo, tag_name: 'v1 0' })
      .catch(e => e);
    expect(bad.status).toBe(422);
    expect(bad.response.data.errors).toEqual([
      {
        resource: 'Release',
        code: 'custom',
        field: 'tag_name',
        message: 'tag_name is not a valid tag',
      },
    ]);
    const res = await fetch(`${server.url}/repos/${OWNER}/${REPO}/releases`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}` },
      body: JSON.stringify({ name: 'no tag' }),
    });
    expect(res.status).toBe(422);
    expect((await res.json()).message).toContain('"tag_name" wasn\'t supplied');
  });

  it('makes no tag for a draft until it is published', async () => {
    const { data: draft } = await octokit.repos.createRelease({
      ...repo,
      tag_name: 'v1.1.0',
      draft: true,
    });
    expect(draft).toMatchObject({ draft: true, published_at: null });
    expect(server.tags(OWNER, REPO)).toEqual({});
    await expect(
      octokit.repos.getReleaseByTag({ ...repo, tag: 'v1.1.0' }),
    ).rejects.toMatchObject({ status: 404 });
    // Published later, at the branch's head by then.
    const head = commit('feat: later');
    const { data: published } = await octokit.repos.updateRelease({
      ...repo,
      release_id: draft.id,
      draft: false,
      body: 'notes',
    });
    expect(published).toMatchObject({
      id: draft.id,
      draft: false,
      body: 'notes',
      published_at: expect.stringMatching(/Z$/),
    });
    expect(server.tags(OWNER, REPO)).toEqual({ 'v1.1.0': head });
    expect((await octokit.repos.getLatestRelease(repo)).data.tag_name).toBe(
      'v1.1.0',
    );
  });
});

describe('reading releases', () => {
  async function release(tag: string, extra: Record<string, unknown> = {}) {
    return (
      await octokit.repos.createRelease({ ...repo, tag_name: tag, ...extra })
    ).data;
  }

  it('lists releases newest first, paginated, and gets one by id or tag', async () => {
    const first = await release('v1.0.0');
    const second = await release('v1.1.0-rc.1', { prerelease: true });
    const third = await release('v1.1.0', { name: 'Payments 1.1.0' });

    const page1 = await octokit.repos.listReleases({ ...repo, per_page: 2 });
    expect(page1.data.map(r => r.id)).toEqual([third.id, second.id]);
    expect(page1.headers.link).toContain('rel="last"');
    const page2 = await octokit.repos.listReleases({
      ...repo,
      per_page: 2,
      page: 2,
    });
    expect(page2.data.map(r => r.tag_name)).toEqual(['v1.0.0']);

    const byId = await octokit.repos.getRelease({
      ...repo,
      release_id: second.id,
    });
    expect(byId.data).toEqual(second);
    const byTag = await octokit.repos.getReleaseByTag({
      ...repo,
      tag: 'v1.1.0',
    });
    expect(byTag.data).toMatchObject({ id: third.id, name: 'Payments 1.1.0' });
    expect(first.author.login).toBe('releaser');
  });

  it('answers 404 for an unknown id or tag', async () => {
    await release('v1.0.0');
    await expect(
      octokit.repos.getReleaseByTag({ ...repo, tag: 'v9.9.9' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found' } },
    });
    await expect(
      octokit.repos.getRelease({ ...repo, release_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('keeps the latest release as make_latest says; prereleases never are', async () => {
    await expect(octokit.repos.getLatestRelease(repo)).rejects.toMatchObject({
      status: 404,
    });
    const one = await release('v1.0.0');
    await release('v1.1.0-rc.1', { prerelease: true });
    expect((await octokit.repos.getLatestRelease(repo)).data.id).toBe(one.id);
    // A hotfix of an older line is not the latest.
    await release('v0.9.1', { make_latest: 'false' });
    expect((await octokit.repos.getLatestRelease(repo)).data.id).toBe(one.id);
    const two = await release('v1.1.0');
    expect((await octokit.repos.getLatestRelease(repo)).data.id).toBe(two.id);
  });
});

describe('releases and the server machinery', () => {
  it('goes through auth, faults and the request log', async () => {
    const anonymous = new Octokit({ baseUrl: server.url });
    await expect(
      anonymous.repos.createRelease({ ...repo, tag_name: 'v1.0.0' }),
    ).rejects.toMatchObject({ status: 401 });

    server.injectFault({ route: 'repos.createRelease', status: 502 });
    await expect(
      octokit.repos.createRelease({ ...repo, tag_name: 'v1.0.0' }),
    ).rejects.toMatchObject({ status: 502 });
    expect(server.releases(OWNER, REPO)).toEqual([]);
    expect(server.tags(OWNER, REPO)).toEqual({});

    // Applied, then the connection is cut: the release exists all the same.
    server.injectFault({
      route: 'repos.createRelease',
      action: 'applyThenDestroy',
    });
    await expect(
      octokit.repos.createRelease({ ...repo, tag_name: 'v1.0.0' }),
    ).rejects.toThrow();
    expect(server.releases(OWNER, REPO).map(r => r.tagName)).toEqual([
      'v1.0.0',
    ]);

    expect(
      server
        .requestsMatching({ route: 'repos.createRelease' })
        .map(r => [r.status, r.injected, r.write]),
    ).toEqual([
      [401, false, true],
      [502, true, true],
      [201, true, true],
    ]);
    expect(
      server.requestsMatching({ route: 'repos.createRelease' })[2].body,
    ).toEqual({ tag_name: 'v1.0.0' });
  });
});
