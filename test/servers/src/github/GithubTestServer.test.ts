import { Octokit } from '@octokit/rest';
import { execFileSync } from 'child_process';
import fs from 'fs';
import git from 'isomorphic-git';
import os from 'os';
import path from 'path';
import { GithubTestServer } from './GithubTestServer';

// The local GitHub the GitOps tests rely on: these tests show that it
// answers like GitHub, to the real Octokit client and over raw HTTP, and
// that its objects carry the shas git itself computes.

const OWNER = 'acme';
const REPO = 'config';
const TOKEN = 'ghp_test_server_token_0123456789';
const AUTHOR = {
  name: 'Fleet Portal',
  email: 'fleet-portal@example.com',
  date: '2024-05-06T07:08:09Z',
};
const FILES = {
  'README.md': '# config\n',
  // git orders a folder as if named `a/`: `a-b` < `a/` < `a0`.
  'a-b': 'file before the folder\n',
  'a/x.yaml': 'x: 1\n',
  'a/deeper/y.yaml': 'y: 2\n',
  a0: 'file after the folder\n',
  'unicode.txt': 'Zürich – ✓\n',
  'empty.txt': '',
};

let server: GithubTestServer;
let octokit: Octokit;

beforeEach(async () => {
  server = await GithubTestServer.start({ token: TOKEN });
  octokit = new Octokit({ baseUrl: server.url, auth: TOKEN });
  server.createRepository(OWNER, REPO, {
    files: FILES,
    author: AUTHOR,
    message: 'Initial commit\n',
  });
});
afterEach(async () => {
  await server.stop();
});

const repo = { owner: OWNER, repo: REPO };

async function headOf(branch = 'main') {
  const { data } = await octokit.git.getRef({
    ...repo,
    ref: `heads/${branch}`,
  });
  return data.object.sha;
}

async function treeOf(commitSha: string) {
  const { data } = await octokit.git.getCommit({
    ...repo,
    commit_sha: commitSha,
  });
  return data.tree.sha;
}

/** Commits `tree` on main through the API and moves main to it. */
async function commitTree(tree: string, message = 'Change') {
  const parent = await headOf();
  const { data: commit } = await octokit.git.createCommit({
    ...repo,
    message,
    tree,
    parents: [parent],
    author: AUTHOR,
  });
  await octokit.git.updateRef({ ...repo, ref: 'heads/main', sha: commit.sha });
  return commit.sha;
}

function raw(pathname: string, init: RequestInit = {}) {
  return fetch(`${server.url}${pathname}`, {
    ...init,
    headers: { authorization: `token ${TOKEN}`, ...init.headers },
  });
}

describe('GithubTestServer', () => {
  it('hashes blobs as git does', async () => {
    // `printf 'hello\n' | git hash-object --stdin`
    const { data } = await octokit.git.createBlob({
      ...repo,
      content: 'hello\n',
    });
    expect(data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const { oid } = await git.hashBlob({ object: 'Zürich – ✓\n' });
    const utf8 = await octokit.git.createBlob({
      ...repo,
      content: 'Zürich – ✓\n',
      encoding: 'utf-8',
    });
    const base64 = await octokit.git.createBlob({
      ...repo,
      content: Buffer.from('Zürich – ✓\n').toString('base64'),
      encoding: 'base64',
    });
    expect(utf8.data.sha).toBe(oid);
    expect(base64.data.sha).toBe(oid);
    const blob = await octokit.git.getBlob({ ...repo, file_sha: oid });
    expect(blob.data.encoding).toBe('base64');
    expect(Buffer.from(blob.data.content, 'base64').toString()).toBe(
      'Zürich – ✓\n',
    );
  });

  it('gives trees and commits the shas isomorphic-git computes for the same files', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gh-test-'));
    try {
      await git.init({ fs, dir, defaultBranch: 'main' });
      for (const [file, content] of Object.entries(FILES)) {
        await fs.promises.mkdir(path.dirname(path.join(dir, file)), {
          recursive: true,
        });
        await fs.promises.writeFile(path.join(dir, file), content);
        await git.add({ fs, dir, filepath: file });
      }
      const signature = {
        name: AUTHOR.name,
        email: AUTHOR.email,
        timestamp: Date.parse(AUTHOR.date) / 1000,
        timezoneOffset: 0,
      };
      const expected = await git.commit({
        fs,
        dir,
        message: 'Initial commit\n',
        author: signature,
        committer: signature,
      });
      const { commit } = await git.readCommit({ fs, dir, oid: expected });

      expect(await headOf()).toBe(expected);
      expect(await treeOf(expected)).toBe(commit.tree);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  it('serves the repository, refs, commits and recursive trees to Octokit', async () => {
    const { data: repository } = await octokit.repos.get(repo);
    expect(repository).toMatchObject({
      full_name: 'acme/config',
      default_branch: 'main',
    });

    const head = await headOf();
    const { data: commit } = await octokit.git.getCommit({
      ...repo,
      commit_sha: head,
    });
    expect(commit).toMatchObject({
      sha: head,
      message: 'Initial commit\n',
      author: AUTHOR,
      committer: AUTHOR,
      parents: [],
      html_url: `https://github.com/acme/config/commit/${head}`,
    });

    const { data: tree } = await octokit.git.getTree({
      ...repo,
      tree_sha: commit.tree.sha,
      recursive: '1',
    });
    expect(tree.truncated).toBe(false);
    expect(tree.tree.map(e => `${e.mode} ${e.type} ${e.path}`)).toEqual([
      '100644 blob README.md',
      '100644 blob a-b',
      '040000 tree a',
      '040000 tree a/deeper',
      '100644 blob a/deeper/y.yaml',
      '100644 blob a/x.yaml',
      '100644 blob a0',
      '100644 blob empty.txt',
      '100644 blob unicode.txt',
    ]);
    expect(tree.tree.find(e => e.path === 'unicode.txt')?.size).toBe(
      Buffer.byteLength(FILES['unicode.txt']),
    );

    // A branch name is accepted where a tree is expected, and without
    // `recursive` only the top level is listed.
    const { data: top } = await octokit.git.getTree({
      ...repo,
      tree_sha: 'main',
    });
    expect(top.sha).toBe(commit.tree.sha);
    expect(top.tree.map(e => e.path)).toEqual([
      'README.md',
      'a-b',
      'a',
      'a0',
      'empty.txt',
      'unicode.txt',
    ]);
  });

  it('builds trees on base_tree: nested creates, replacements and deletions; empty folders vanish', async () => {
    const base = await treeOf(await headOf());
    const before = (
      await octokit.git.getTree({ ...repo, tree_sha: base, recursive: '1' })
    ).data.tree;
    const { data: created } = await octokit.git.createTree({
      ...repo,
      base_tree: base,
      tree: [
        {
          path: 'new/deep/file.yaml',
          mode: '100644',
          type: 'blob',
          content: 'n: 1\n',
        },
        {
          path: 'README.md',
          mode: '100644',
          type: 'blob',
          content: '# changed\n',
        },
        { path: 'a/deeper/y.yaml', mode: '100644', type: 'blob', sha: null },
        {
          path: 'run.sh',
          mode: '100755',
          type: 'blob',
          content: '#!/bin/sh\n',
        },
      ],
    });
    expect(created.truncated).toBe(false);
    await commitTree(created.sha);
    const expected: Record<string, string> = {
      ...FILES,
      'README.md': '# changed\n',
      'new/deep/file.yaml': 'n: 1\n',
      'run.sh': '#!/bin/sh\n',
    };
    delete expected['a/deeper/y.yaml'];
    expect(server.readTree(OWNER, REPO, 'main')).toEqual(expected);
    const after = (
      await octokit.git.getTree({
        ...repo,
        tree_sha: created.sha,
        recursive: '1',
      })
    ).data.tree;
    // a/deeper held only y.yaml: it is gone, not left as an empty folder.
    expect(after.find(e => e.path === 'a/deeper')).toBeUndefined();
    expect(after.find(e => e.path === 'run.sh')?.mode).toBe('100755');
    // Untouched entries keep their objects.
    const sha = (entries: typeof before, p: string) =>
      entries.find(e => e.path === p)?.sha;
    expect(sha(after, 'unicode.txt')).toBe(sha(before, 'unicode.txt'));
    expect(sha(after, 'a/x.yaml')).toBe(sha(before, 'a/x.yaml'));

    // Setting a folder by sha replaces it; without base_tree only the
    // entries given remain.
    const folder = sha(before, 'a')!;
    const { data: only } = await octokit.git.createTree({
      ...repo,
      tree: [{ path: 'copy', mode: '040000', type: 'tree', sha: folder }],
    });
    const listed = (
      await octokit.git.getTree({ ...repo, tree_sha: only.sha, recursive: '1' })
    ).data.tree;
    expect(listed.map(e => e.path)).toEqual([
      'copy',
      'copy/deeper',
      'copy/deeper/y.yaml',
      'copy/x.yaml',
    ]);
  });

  it('refuses malformed tree entries with 422', async () => {
    const base = await treeOf(await headOf());
    const attempt = async (entry: Record<string, unknown>) => {
      const res = await raw(`/repos/${OWNER}/${REPO}/git/trees`, {
        method: 'POST',
        body: JSON.stringify({ base_tree: base, tree: [entry] }),
      });
      return { status: res.status, message: (await res.json()).message };
    };
    const blob = { mode: '100644', type: 'blob' };
    expect(await attempt({ ...blob, path: 'a/../x', content: 'x' })).toEqual({
      status: 422,
      message: 'tree.path contains a malformed path component',
    });
    expect(
      await attempt({ ...blob, path: '/etc/passwd', content: 'x' }),
    ).toEqual({
      status: 422,
      message: 'tree.path cannot start with a slash',
    });
    expect(
      (await attempt({ ...blob, path: 'a//x', content: 'x' })).status,
    ).toBe(422);
    expect(
      (await attempt({ ...blob, path: '.git/config', content: 'x' })).status,
    ).toBe(422);
    expect(
      (await attempt({ ...blob, path: 'nothing.txt', sha: null })).status,
    ).toBe(422);
    expect(
      (await attempt({ ...blob, path: 'x', sha: 'f'.repeat(40) })).status,
    ).toBe(422);
    expect(
      (await attempt({ ...blob, path: 'x', content: 'x', sha: 'f'.repeat(40) }))
        .status,
    ).toBe(422);
    expect(
      (await attempt({ mode: '100600', type: 'blob', path: 'x', content: 'x' }))
        .status,
    ).toBe(422);
    // Nothing was written.
    expect(server.commitObjectCount(OWNER, REPO)).toBe(1);
  });

  it('moves refs only forward unless forced; the same sha is a no-op', async () => {
    const start = await headOf();
    const tree = await treeOf(start);
    const ahead = await commitTree(
      (
        await octokit.git.createTree({
          ...repo,
          base_tree: tree,
          tree: [{ path: 'b', mode: '100644', type: 'blob', content: 'b' }],
        })
      ).data.sha,
    );
    // Same sha: 200, nothing moves.
    const same = await octokit.git.updateRef({
      ...repo,
      ref: 'heads/main',
      sha: ahead,
      force: false,
    });
    expect(same.status).toBe(200);
    // A commit on the old head is not a descendant of the new one.
    const { data: sibling } = await octokit.git.createCommit({
      ...repo,
      message: 'sibling',
      tree,
      parents: [start],
    });
    const res = await raw(`/repos/${OWNER}/${REPO}/git/refs/heads/main`, {
      method: 'PATCH',
      body: JSON.stringify({ sha: sibling.sha, force: false }),
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: 'Update is not a fast forward',
      documentation_url:
        'https://docs.github.com/rest/git/refs#update-a-reference',
      status: '422',
    });
    expect(await headOf()).toBe(ahead);
    await octokit.git.updateRef({
      ...repo,
      ref: 'heads/main',
      sha: sibling.sha,
      force: true,
    });
    expect(await headOf()).toBe(sibling.sha);

    // New refs, and the older spelling of getRef.
    await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/feature',
      sha: ahead,
    });
    const legacy = await raw(`/repos/${OWNER}/${REPO}/git/refs/heads/feature`);
    expect((await legacy.json()).object.sha).toBe(ahead);
    const dup = await raw(`/repos/${OWNER}/${REPO}/git/refs`, {
      method: 'POST',
      body: JSON.stringify({ ref: 'refs/heads/feature', sha: ahead }),
    });
    expect(dup.status).toBe(422);
  });

  it('lets a test move the branch between a read and a ref update', async () => {
    const head = await headOf();
    const tree = await treeOf(head);
    const { data: ours } = await octokit.git.createCommit({
      ...repo,
      message: 'ours',
      tree,
      parents: [head],
    });
    const remove = server.onBeforeRefUpdate(({ ref, from, to }) => {
      expect({ ref, from, to }).toEqual({
        ref: 'refs/heads/main',
        from: head,
        to: ours.sha,
      });
      server.commitFiles(OWNER, REPO, 'main', { 'theirs.txt': 'theirs\n' });
    });
    await expect(
      octokit.git.updateRef({ ...repo, ref: 'heads/main', sha: ours.sha }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Update is not a fast forward'),
    });
    remove();
    expect(server.readTree(OWNER, REPO, 'main')['theirs.txt']).toBe('theirs\n');
    expect(server.commitCount(OWNER, REPO, 'main')).toBe(2);
    // The commit we made exists but is on no branch.
    expect(server.commitObjectCount(OWNER, REPO)).toBe(3);
  });

  it('lists the commits that touched a path, newest first, with pagination', async () => {
    const first = server.commitFiles(
      OWNER,
      REPO,
      'main',
      { 'a/x.yaml': 'x: 2\n' },
      { message: 'touch a' },
    );
    const second = server.commitFiles(
      OWNER,
      REPO,
      'main',
      { 'other.txt': 'o' },
      { message: 'other' },
    );
    const third = server.commitFiles(
      OWNER,
      REPO,
      'main',
      { 'a/deeper/y.yaml': null },
      { message: 'delete in a' },
    );
    const initial = server.branchHistory(OWNER, REPO, 'main').at(-1)!;
    expect(server.branchHistory(OWNER, REPO, 'main')).toEqual([
      third,
      second,
      first,
      initial,
    ]);

    const touchedA = await octokit.repos.listCommits({
      ...repo,
      sha: 'main',
      path: 'a',
    });
    expect(touchedA.data.map(c => c.sha)).toEqual([third, first, initial]);
    const file = await octokit.repos.listCommits({
      ...repo,
      sha: third,
      path: 'a/x.yaml',
      per_page: 1,
    });
    expect(file.data.map(c => c.sha)).toEqual([first]);
    expect(file.data[0].commit.message).toBe('touch a');
    expect(file.headers.link).toContain('rel="next"');
    const none = await octokit.repos.listCommits({ ...repo, path: 'missing' });
    expect(none.data).toEqual([]);

    const { data: commit } = await octokit.repos.getCommit({
      ...repo,
      ref: 'main',
    });
    expect(commit.sha).toBe(third);
    expect(commit.files).toEqual([
      expect.objectContaining({
        filename: 'a/deeper/y.yaml',
        status: 'removed',
      }),
    ]);
  });

  it('requires the token when started with one, and never logs it', async () => {
    const anonymous = await fetch(`${server.url}/repos/${OWNER}/${REPO}`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).message).toBe('Requires authentication');
    const wrong = await fetch(`${server.url}/repos/${OWNER}/${REPO}`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).message).toBe('Bad credentials');
    const bearer = await fetch(`${server.url}/repos/${OWNER}/${REPO}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.status).toBe(200);
    expect(JSON.stringify(server.requests)).not.toContain(TOKEN);
  });

  it('answers 404 in GitHub shape for unknown repositories, objects and refs', async () => {
    for (const p of [
      '/repos/acme/nothing',
      `/repos/${OWNER}/${REPO}/git/blobs/${'0'.repeat(40)}`,
      `/repos/${OWNER}/${REPO}/git/commits/${'0'.repeat(40)}`,
      `/repos/${OWNER}/${REPO}/git/ref/heads/nothing`,
      `/repos/${OWNER}/${REPO}/git/trees/nothing`,
      `/repos/${OWNER}/${REPO}/issues`,
    ]) {
      const res = await raw(p);
      expect({ p, status: res.status }).toEqual({ p, status: 404 });
      expect(await res.json()).toMatchObject({
        message: 'Not Found',
        documentation_url: expect.any(String),
      });
    }
  });

  it('injects 5xx and rate-limit faults, logged as injected writes or reads', async () => {
    server.injectFault({ route: 'git.createBlob', status: 503, times: 2 });
    const reset = String(Math.floor(Date.now() / 1000) + 60);
    server.injectFault({
      route: 'git.getRef',
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    server.injectFault({
      route: 'repos.get',
      status: 429,
      headers: { 'retry-after': '1' },
    });
    const post = () =>
      raw(`/repos/${OWNER}/${REPO}/git/blobs`, {
        method: 'POST',
        body: JSON.stringify({ content: 'x' }),
      });
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(503);
    expect((await post()).status).toBe(201);

    const limited = await raw(`/repos/${OWNER}/${REPO}/git/ref/heads/main`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-reset')).toBe(reset);
    expect((await limited.json()).message).toMatch(/^API rate limit exceeded/);
    const secondary = await raw(`/repos/${OWNER}/${REPO}`);
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get('retry-after')).toBe('1');
    expect((await secondary.json()).message).toMatch(/secondary rate limit/);

    expect(
      server
        .requestsMatching({ route: 'git.createBlob' })
        .map(r => [r.status, r.write, r.injected]),
    ).toEqual([
      [503, true, true],
      [503, true, true],
      [201, true, false],
    ]);
    expect(
      server
        .requestsMatching({ injected: true, write: false })
        .map(r => r.status),
    ).toEqual([403, 429]);
  });

  it('cuts the connection before or after applying a request', async () => {
    const head = await headOf();
    const tree = await treeOf(head);
    const { data: commit } = await octokit.git.createCommit({
      ...repo,
      message: 'lost',
      tree,
      parents: [head],
    });
    const patch = () =>
      raw(`/repos/${OWNER}/${REPO}/git/refs/heads/main`, {
        method: 'PATCH',
        body: JSON.stringify({ sha: commit.sha }),
      });
    server.injectFault({ route: 'git.updateRef', action: 'destroy' });
    await expect(patch()).rejects.toThrow();
    expect(await headOf()).toBe(head);
    server.injectFault({ route: 'git.updateRef', action: 'applyThenDestroy' });
    await expect(patch()).rejects.toThrow();
    // The client heard nothing, but the ref moved.
    expect(await headOf()).toBe(commit.sha);
    expect(
      server
        .requestsMatching({ route: 'git.updateRef' })
        .map(r => [r.status, r.injected]),
    ).toEqual([
      [0, true],
      [200, true],
    ]);
  });

  it('says truncated when a recursive listing exceeds its limit', async () => {
    await server.stop();
    server = await GithubTestServer.start({ maxTreeEntries: 3 });
    server.createRepository(OWNER, REPO, { files: FILES });
    const client = new Octokit({ baseUrl: server.url });
    const { data } = await client.git.getTree({
      ...repo,
      tree_sha: 'main',
      recursive: '1',
    });
    expect(data.truncated).toBe(true);
    expect(data.tree).toHaveLength(3);
  });

  it('serves a commit as a tarball that tar reads, through a redirect', async () => {
    const long = `${'deep/'.repeat(25)}file.yaml`;
    server.commitFiles(OWNER, REPO, 'main', { [long]: 'long: true\n' });
    const head = await headOf();
    const { data, url } = await octokit.repos.downloadTarballArchive({
      ...repo,
      ref: 'main',
    });
    expect(url).toContain(`/_codeload/${OWNER}/${REPO}/legacy.tar.gz/${head}`);
    expect(
      server.requestsMatching({ route: 'repos.downloadTarballArchive' })[0]
        .status,
    ).toBe(302);

    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'gh-tar-'));
    try {
      const file = path.join(dir, 'a.tar.gz');
      await fs.promises.writeFile(file, Buffer.from(data as ArrayBuffer));
      execFileSync('tar', ['-xzf', file, '-C', dir]);
      const top = path.join(dir, `${OWNER}-${REPO}-${head.slice(0, 7)}`);
      const files: Record<string, string> = {};
      const walk = async (folder: string, prefix: string): Promise<void> => {
        for (const e of await fs.promises.readdir(folder, {
          withFileTypes: true,
        })) {
          const p = `${prefix}${e.name}`;
          if (e.isDirectory()) await walk(path.join(folder, e.name), `${p}/`);
          else
            files[p] = await fs.promises.readFile(
              path.join(folder, e.name),
              'utf8',
            );
        }
      };
      await walk(top, '');
      expect(files).toEqual({ ...FILES, [long]: 'long: true\n' });
      // The global header names the commit, as git archive writes it.
      expect(
        execFileSync('sh', [
          '-c',
          `gzip -dc '${file}' | head -c 1024`,
        ]).toString(),
      ).toContain(`comment=${head}`);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });
});
