/* eslint-disable jest/no-export -- a shared suite: each implementation's
   test file calls it, so it must export what the test files call. */
import { ReleaseSource } from '../ReleaseSource';

/** A release source under test, and the repository's own history tools. */
export interface ReleaseSourceFixture {
  /** A new client of the repository. */
  source(): ReleaseSource;
  /** A commit on `branch` (made outside the portal) at `date` (ISO 8601); its sha. */
  commit(branch: string, message: string, date: string): Promise<string>;
  /** A tag made outside the portal (lightweight). */
  tag(name: string, sha: string): Promise<void>;
  close(): Promise<void>;
}

const day = (n: number) => `2026-10-${String(n).padStart(2, '0')}T10:00:00Z`;

/**
 * The behaviour every {@link ReleaseSource} must show, as one Jest suite run
 * against each implementation. `create` returns a repository whose default
 * branch `main` has one commit, `chore: initial commit`.
 */
export function describeReleaseSourceContract(
  name: string,
  create: () => Promise<ReleaseSourceFixture>,
) {
  describe(`${name} (ReleaseSource contract)`, () => {
    let fixture: ReleaseSourceFixture;
    let shas: Record<string, string>;

    beforeEach(async () => {
      fixture = await create();
      shas = {};
      let n = 2;
      for (const message of ['feat: cohorts', 'fix: empty names']) {
        shas[message] = await fixture.commit('main', message, day(n++));
      }
      await fixture.tag('v1.0.0', shas['fix: empty names']);
      for (const message of [
        'feat!: drop the v1 routes',
        'chore: bump deps\n\nRefs: #12',
      ]) {
        shas[message] = await fixture.commit('main', message, day(n++));
      }
      await fixture.tag('v2.0.0-rc.1', shas['chore: bump deps\n\nRefs: #12']);
      await fixture.tag('build-42', shas['feat!: drop the v1 routes']);
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('lists the release and release candidate tags with the commit each names', async () => {
      const releases = await fixture.source().listReleases();
      expect(
        releases
          .map(r => ({
            tag: r.tag,
            version: r.version,
            candidate: r.candidate,
            sha: r.sha,
          }))
          .sort((a, b) => a.tag.localeCompare(b.tag)),
      ).toEqual([
        {
          tag: 'v1.0.0',
          version: '1.0.0',
          candidate: false,
          sha: shas['fix: empty names'],
        },
        {
          tag: 'v2.0.0-rc.1',
          version: '2.0.0-rc.1',
          candidate: true,
          sha: shas['chore: bump deps\n\nRefs: #12'],
        },
      ]);
    });

    it('answers the commits between a tag and a branch, newest first, with whole messages', async () => {
      const source = fixture.source();
      const commits = await source.commitsBetween('v1.0.0', 'main');
      expect(commits.map(c => c.message)).toEqual([
        'chore: bump deps\n\nRefs: #12',
        'feat!: drop the v1 routes',
      ]);
      expect(commits[0]).toEqual({
        sha: shas['chore: bump deps\n\nRefs: #12'],
        message: 'chore: bump deps\n\nRefs: #12',
        author: expect.any(String),
        committedAt: '2026-10-05T10:00:00.000Z',
      });
      expect(await source.commitsBetween('v2.0.0-rc.1', 'main')).toEqual([]);
      expect(
        (await source.commitsBetween(undefined, 'v1.0.0')).map(c => c.message),
      ).toEqual(['fix: empty names', 'feat: cohorts', 'chore: initial commit']);
      await expect(source.commitsBetween('v9.9.9', 'main')).rejects.toThrow(
        expect.objectContaining({ name: 'NotFoundError' }),
      );
    });

    it('creates a release at a commit, with its notes, and never reuses its tag', async () => {
      const source = fixture.source();
      const head = await source.branchHead('main');
      const made = await source.createRelease({
        tag: 'v2.0.0',
        sha: head,
        name: 'v2.0.0',
        notes: '## Breaking changes\n\n- drop the v1 routes',
        prerelease: false,
      });
      expect(made).toMatchObject({
        tag: 'v2.0.0',
        version: '2.0.0',
        candidate: false,
        sha: head,
      });

      const listed = (await fixture.source().listReleases()).find(
        r => r.tag === 'v2.0.0',
      );
      expect(listed).toMatchObject({
        sha: head,
        notes: '## Breaking changes\n\n- drop the v1 routes',
      });
      expect(Date.parse(listed!.createdAt!)).not.toBeNaN();

      const first = await fixture.source().branchHead('main');
      await expect(
        source.createRelease({
          tag: 'v2.0.0',
          sha: shas['feat: cohorts'],
          name: 'v2.0.0',
          notes: '',
          prerelease: false,
        }),
      ).rejects.toThrow(expect.objectContaining({ name: 'ConflictError' }));
      // The tag was not moved.
      expect(
        (await source.listReleases()).find(r => r.tag === 'v2.0.0')?.sha,
      ).toBe(first);
      await expect(
        source.createRelease({
          tag: 'v1.0.0',
          sha: head,
          name: 'v1.0.0',
          notes: '',
          prerelease: false,
        }),
      ).rejects.toThrow(expect.objectContaining({ name: 'ConflictError' }));
    });

    it('creates a hot-fix branch from a release tag, and finds what was committed on it', async () => {
      const source = fixture.source();
      const [production] = (await source.listReleases()).filter(
        r => r.tag === 'v1.0.0',
      );
      await source.createBranch('release-v1.0.1', production.sha);
      expect(await source.branchHead('release-v1.0.1')).toBe(production.sha);
      await expect(
        source.createBranch('release-v1.0.1', production.sha),
      ).rejects.toThrow(expect.objectContaining({ name: 'ConflictError' }));
      const fix = await fixture.commit(
        'release-v1.0.1',
        'fix: refuse unicode names',
        day(20),
      );
      expect(await source.branchHead('release-v1.0.1')).toBe(fix);
      expect(
        (await source.commitsBetween('v1.0.0', 'release-v1.0.1')).map(
          c => c.sha,
        ),
      ).toEqual([fix]);
      // main has not moved.
      expect(
        (await source.commitsBetween('v1.0.0', 'main')).map(c => c.sha),
      ).not.toContain(fix);
      await expect(source.branchHead('release-v9')).rejects.toThrow(
        expect.objectContaining({ name: 'NotFoundError' }),
      );
      expect(await source.defaultBranch()).toBe('main');
    });
  });
}
