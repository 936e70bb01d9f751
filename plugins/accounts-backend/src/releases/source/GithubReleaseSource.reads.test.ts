import { inspect } from 'util';
import {
  GithubServiceRepository,
  OWNER,
  REPO,
  TOKEN,
  startGithubServiceRepository,
} from './__testUtils__/githubServiceRepository';
import { MAX_COMMITS } from './ReleaseSource';

const second = (n: number) =>
  new Date(Date.UTC(2026, 10, 1) + n * 1000).toISOString();

describe('GithubReleaseSource reads', () => {
  let fixture: GithubServiceRepository;
  let base: string;

  beforeEach(async () => {
    fixture = await startGithubServiceRepository();
    base = await fixture.commit('main', 'feat: cohorts', second(-1));
    await fixture.tag('v1.0.0', base);
  });
  afterEach(async () => {
    await fixture.close();
  });

  const count = (route: 'repos.listTags' | 'repos.listCommits') =>
    fixture.server.requestsMatching({ route }).length;
  const comparePages = () =>
    fixture.server
      .requestsMatching({ route: 'repos.compareCommitsWithBasehead' })
      .map(r => Number(r.query.page));

  it('reads every page: more than 100 tags, more than 250 commits in a compare', async () => {
    for (let i = 1; i <= 120; i++) await fixture.tag(`v0.0.${i}`, base);
    await fixture.tag('build-7', base);
    const source = fixture.source();
    const releases = await source.listReleases();
    expect(releases).toHaveLength(121);
    expect(new Set(releases.map(r => r.sha))).toEqual(new Set([base]));
    expect(count('repos.listTags')).toBe(2);

    for (let i = 0; i < 300; i++) {
      await fixture.commit('main', `fix: ${i}`, second(i));
    }
    const commits = await source.commitsBetween('v1.0.0', 'main');
    expect(commits.map(c => c.sha)).toEqual(
      fixture.server.branchHistory(OWNER, REPO, 'main').slice(0, 300),
    );
    expect(commits[0].message).toBe('fix: 299');
    expect(comparePages()).toEqual([1, 2, 3]);
  });

  it(`answers at most the newest ${MAX_COMMITS} commits, reading only their pages`, async () => {
    for (let i = 0; i < 1_250; i++) {
      await fixture.commit('main', `fix: ${i}`, second(i));
    }
    const history = fixture.server.branchHistory(OWNER, REPO, 'main');
    const source = fixture.source();
    const since = await source.commitsBetween('v1.0.0', 'main');
    expect(since.map(c => c.sha)).toEqual(history.slice(0, MAX_COMMITS));
    // Page 1 for the total, then pages 3-13 (commits 201-1,250).
    expect(comparePages()).toEqual([
      1,
      ...Array.from({ length: 11 }, (_, i) => i + 3),
    ]);
    const all = await source.commitsBetween(undefined, 'main');
    expect(all.map(c => c.sha)).toEqual(history.slice(0, MAX_COMMITS));
    expect(count('repos.listCommits')).toBe(10);
  });

  it('retries 5xx on reads, then fails naming the repository, never with the token', async () => {
    fixture.server.injectFault({
      route: 'repos.listTags',
      status: 502,
      times: 2,
    });
    expect(await fixture.source().listReleases()).toHaveLength(1);
    expect(count('repos.listTags')).toBe(3);

    fixture.server.injectFault({ route: 'repos.get', status: 500, times: 4 });
    const unavailable = await fixture
      .source()
      .defaultBranch()
      .catch(e => e);
    expect(unavailable).toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'GitHub refused to read acme/service after 4 tries: 500 Server Error',
    });
    const refused = await fixture
      .source({ token: `${TOKEN}-wrong` })
      .branchHead('main')
      .catch(e => e);
    expect(refused.message).toBe(
      'GitHub refused to read the branch main of acme/service after 1 try: 401 Bad credentials',
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
    const logger = fixture.logger as unknown as Record<string, jest.Mock>;
    const logged = JSON.stringify(
      ['warn', 'error', 'info', 'debug'].map(level => logger[level].mock.calls),
    );
    expect(logged).not.toContain(TOKEN);
  });
});
