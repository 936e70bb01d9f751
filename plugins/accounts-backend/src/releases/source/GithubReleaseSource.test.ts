import { Octokit } from '@octokit/rest';
import { createGithubClient } from '../../gitops/github/githubClient';
import { describeReleaseSourceContract } from './__testUtils__/releaseSourceContract';
import {
  GithubServiceRepository,
  OWNER,
  REPO,
  TOKEN,
  startGithubServiceRepository,
} from './__testUtils__/githubServiceRepository';

describeReleaseSourceContract('GithubReleaseSource', () =>
  startGithubServiceRepository(),
);

/**
 * The client's throttling spaces writes that notify watchers (releases,
 * pull requests) 3 s apart, per server: tests making two wait once.
 */
const TWO_NOTIFYING_WRITES = 15_000;

const day = (n: number) => `2026-10-${String(n).padStart(2, '0')}T10:00:00Z`;
describe('GithubReleaseSource', () => {
  let fixture: GithubServiceRepository;
  /** Another client of the server: a person or a second portal. */
  let other: Octokit;
  let base: string;

  beforeEach(async () => {
    fixture = await startGithubServiceRepository();
    other = new Octokit({ baseUrl: fixture.server.url, auth: TOKEN });
    base = await fixture.commit('main', 'feat: cohorts', day(2));
    await fixture.tag('v1.0.0', base);
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('is located by owner/repo on its host, and lists the GitHub release of a tag', async () => {
    expect(fixture.source({ host: 'ghe.example.com' }).location).toEqual({
      kind: 'github',
      name: 'acme/service',
      url: 'https://ghe.example.com/acme/service',
    });
    const head = await fixture.commit('main', 'fix: names', day(3));
    await fixture.tag('v1.0.1-rc.1', head);
    // Made on GitHub by a person: a release of the existing tag, and a
    // draft whose tag does not exist yet.
    const { data } = await other.rest.repos.createRelease({
      owner: OWNER,
      repo: REPO,
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      body: '## Features\n\n- cohorts',
    });
    await other.rest.repos.createRelease({
      owner: OWNER,
      repo: REPO,
      tag_name: 'v2.0.0',
      draft: true,
      body: 'draft',
    });

    const releases = await fixture.source().listReleases();
    expect(releases.sort((a, b) => a.tag.localeCompare(b.tag))).toEqual([
      {
        tag: 'v1.0.0',
        version: '1.0.0',
        candidate: false,
        sha: base,
        createdAt: new Date(data.published_at!).toISOString(),
        notes: '## Features\n\n- cohorts',
        url: 'https://github.com/acme/service/releases/tag/v1.0.0',
      },
      { tag: 'v1.0.1-rc.1', version: '1.0.1-rc.1', candidate: true, sha: head },
    ]);
  });

  it(
    'creates a release as GitHub asks: at the sha, latest unless a release candidate',
    async () => {
      const head = await fixture.commit('main', 'feat: waves', day(3));
      const source = fixture.source();
      const rc = await source.createRelease({
        tag: 'v1.1.0-rc.1',
        sha: head,
        name: 'v1.1.0-rc.1',
        notes: '- waves',
        prerelease: true,
      });
      expect(rc).toEqual({
        tag: 'v1.1.0-rc.1',
        version: '1.1.0-rc.1',
        candidate: true,
        sha: head,
        createdAt: expect.any(String),
        notes: '- waves',
        url: 'https://github.com/acme/service/releases/tag/v1.1.0-rc.1',
      });
      await source.createRelease({
        tag: 'v1.1.0',
        sha: head,
        name: 'v1.1.0',
        notes: '- waves',
        prerelease: false,
      });
      expect(
        fixture.server
          .requestsMatching({ route: 'repos.createRelease' })
          .map(r => r.body),
      ).toEqual([
        {
          tag_name: 'v1.1.0-rc.1',
          target_commitish: head,
          name: 'v1.1.0-rc.1',
          body: '- waves',
          prerelease: true,
          make_latest: 'false',
        },
        expect.objectContaining({ prerelease: false, make_latest: 'true' }),
      ]);
      expect(fixture.server.tags(OWNER, REPO)).toMatchObject({
        'v1.1.0-rc.1': head,
        'v1.1.0': head,
      });
      const { data: latest } = await other.rest.repos.getLatestRelease({
        owner: OWNER,
        repo: REPO,
      });
      expect(latest.tag_name).toBe('v1.1.0');
    },
    TWO_NOTIFYING_WRITES,
  );

  it(
    "answers GitHub's refusals as the portal's errors",
    async () => {
      const source = fixture.source();
      const missing = 'f'.repeat(40);
      const release = { name: 'v', notes: '', prerelease: false };
      await expect(
        source.createRelease({ ...release, tag: 'v1.2.0', sha: missing }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message: `No commit ${missing} in acme/service`,
        }),
      );
      await expect(
        source.createRelease({ ...release, tag: 'latest', sha: base }),
      ).rejects.toThrow(expect.objectContaining({ name: 'InputError' }));
      await expect(
        source.createBranch('release-v1.0.2', missing),
      ).rejects.toThrow(expect.objectContaining({ name: 'NotFoundError' }));
      await expect(
        source.openPullRequest({
          head: 'main',
          base: 'main',
          title: 'Nothing',
          body: '',
        }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message:
            'GitHub refused to open a pull request from main to main in acme/service: Validation Failed: No commits between main and main',
        }),
      );
      await expect(source.commitsBetween(undefined, 'nowhere')).rejects.toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message: "No tag, branch or commit 'nowhere' in acme/service",
        }),
      );
    },
    TWO_NOTIFYING_WRITES,
  );

  describe('when another writer releases between the check and the create', () => {
    /** A client that lets `writer` act just before it creates a release. */
    const racing = (writer: () => Promise<unknown>) => {
      const octokit = createGithubClient({
        baseUrl: fixture.server.url,
        getToken: async () => TOKEN,
        logger: fixture.logger,
        writeSpacingMs: 0,
      });
      let raced = false;
      octokit.hook.before('request', async options => {
        if (options.method === 'POST' && /\/releases$/.test(options.url)) {
          if (!raced) await writer();
          raced = true;
        }
      });
      return fixture.source({ octokit });
    };
    const release = (sha: string) => ({
      tag: 'v2.0.0',
      sha,
      name: 'v2.0.0',
      notes: 'mine',
      prerelease: false,
    });

    it("is a ConflictError when GitHub answers 422 already_exists, and the other writer's tag stays", async () => {
      const head = await fixture.commit('main', 'feat!: v2', day(3));
      const source = racing(() =>
        other.rest.repos.createRelease({
          owner: OWNER,
          repo: REPO,
          tag_name: 'v2.0.0',
          target_commitish: base,
          body: 'theirs',
        }),
      );
      await expect(source.createRelease(release(head))).rejects.toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: 'A release v2.0.0 exists already in acme/service',
        }),
      );
      expect(fixture.server.tags(OWNER, REPO)['v2.0.0']).toBe(base);
      expect(
        fixture.server.releases(OWNER, REPO).map(r => [r.tagName, r.body]),
      ).toEqual([['v2.0.0', 'theirs']]);
      // The tag was checked first.
      expect(
        fixture.server
          .requestsMatching({ route: 'git.getRef' })
          .map(r => r.path),
      ).toEqual(['/repos/acme/service/git/ref/tags%2Fv2.0.0']);
    });

    it('is a ConflictError naming the release when a bare tag was pushed elsewhere', async () => {
      const head = await fixture.commit('main', 'feat!: v2', day(3));
      const source = racing(() => fixture.tag('v2.0.0', base));
      const error = await source.createRelease(release(head)).catch(e => e);
      expect(error.name).toBe('ConflictError');
      expect(error.message).toContain(
        'GitHub attached the release to it: check https://github.com/acme/service/releases/tag/v2.0.0',
      );
      // GitHub never moves a tag that exists.
      expect(fixture.server.tags(OWNER, REPO)['v2.0.0']).toBe(base);
    });
  });

  it(
    'opens a hot-fix pull request once: a second call answers the same one',
    async () => {
      const source = fixture.source();
      await source.createBranch('release-v1.0.1', base);
      await fixture.commit('release-v1.0.1', 'fix: unicode names', day(4));
      const request = {
        head: 'release-v1.0.1',
        base: 'main',
        title: 'Merge back v1.0.1',
        body: 'Hot-fix v1.0.1',
      };
      const opened = await source.openPullRequest(request);
      expect(opened).toEqual({
        number: 1,
        url: 'https://github.com/acme/service/pull/1',
      });
      expect(await fixture.source().openPullRequest(request)).toEqual(opened);
      expect(
        fixture.server.pullRequests(OWNER, REPO).map(p => [p.head, p.base]),
      ).toEqual([['release-v1.0.1', 'main']]);
    },
    TWO_NOTIFYING_WRITES,
  );
});
