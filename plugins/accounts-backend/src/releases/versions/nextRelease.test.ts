import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import { readConventionalCommit } from './conventionalCommit';
import { nextRelease } from './nextRelease';
import { readReleaseTag } from './releaseTags';

const release = (tag: string): ServiceRelease => {
  const parsed = readReleaseTag(tag);
  if (!parsed) throw new Error(`not a release tag: ${tag}`);
  return {
    tag,
    version: parsed.version,
    candidate: parsed.candidate,
    sha: `sha-${tag}`,
  };
};

let n = 0;
const commit = (message: string) =>
  readConventionalCommit({ sha: `c${++n}`, message });

describe('readConventionalCommit', () => {
  it.each([
    ['feat: add cohorts', 'feat', undefined, 'add cohorts', false, 'minor'],
    [
      'fix(api): refuse empty names',
      'fix',
      'api',
      'refuse empty names',
      false,
      'patch',
    ],
    ['chore: bump deps', 'chore', undefined, 'bump deps', false, 'patch'],
    [
      'feat!: drop v1 routes',
      'feat',
      undefined,
      'drop v1 routes',
      true,
      'major',
    ],
    [
      'refactor(store)!: new schema',
      'refactor',
      'store',
      'new schema',
      true,
      'major',
    ],
    [
      'feat: new export format\n\nBREAKING CHANGE: accounts.json lists services as objects',
      'feat',
      undefined,
      'new export format',
      true,
      'major',
    ],
    [
      'fix: rename field\n\nSome text.\n\nBREAKING-CHANGE: `uat` is now `isUat`',
      'fix',
      undefined,
      'rename field',
      true,
      'major',
    ],
    [
      'Merge pull request #12 from acme/x',
      '',
      undefined,
      'Merge pull request #12 from acme/x',
      false,
      'patch',
    ],
    ['Update README.md', '', undefined, 'Update README.md', false, 'patch'],
  ])('reads %j', (message, type, scope, subject, breaking, bump) => {
    const read = readConventionalCommit({ sha: 'abc', message });
    expect(read).toEqual({
      sha: 'abc',
      type,
      ...(scope && { scope }),
      subject,
      breaking,
      bump,
    });
  });

  it('does not take "BREAKING CHANGE" in the body text for a footer', () => {
    expect(
      readConventionalCommit({
        sha: 'abc',
        message: 'fix: explain\n\nThis is not a BREAKING CHANGE at all.',
      }).breaking,
    ).toBe(false);
  });
});

describe('readReleaseTag', () => {
  it.each([
    ['v1.42.1', { version: '1.42.1', base: '1.42.1', candidate: false }],
    [
      'v2.0.0-rc.1',
      { version: '2.0.0-rc.1', base: '2.0.0', candidate: true, rc: 1 },
    ],
    [
      'v2.0.0-rc.12',
      { version: '2.0.0-rc.12', base: '2.0.0', candidate: true, rc: 12 },
    ],
  ])('reads %s', (tag, expected) => {
    expect(readReleaseTag(tag)).toEqual(expected);
  });

  it.each([
    '1.2.3',
    'v1.2',
    'v1.2.3-beta.1',
    'v1.2.3-rc',
    'v1.2.3-rc.0',
    'v01.2.3',
    'release-v1.2.3',
    'main-3f9c2a1-1763800000',
    'v1.2.3+build.5',
  ])('is not a release tag: %s', tag => {
    expect(readReleaseTag(tag)).toBeUndefined();
  });
});

describe('nextRelease', () => {
  it('has no next version without commits since the latest release', () => {
    const next = nextRelease({
      releases: [release('v1.4.0'), release('v1.3.2')],
      commits: [],
    });
    expect(next.latest?.tag).toBe('v1.4.0');
    expect(next.version).toBeUndefined();
    expect(next.bump).toBeUndefined();
    expect(next.candidateTag).toBeUndefined();
    expect(next.commits).toEqual({ major: [], minor: [], patch: [] });
  });

  it('bumps the patch for fixes and chores only', () => {
    const next = nextRelease({
      releases: [release('v1.4.0')],
      commits: [commit('fix: a'), commit('chore: b'), commit('Update docs')],
    });
    expect(next).toMatchObject({
      version: '1.4.1',
      bump: 'patch',
      candidateTag: 'v1.4.1-rc.1',
    });
    expect(next.commits.patch.map(c => c.subject)).toEqual([
      'a',
      'b',
      'Update docs',
    ]);
  });

  it('bumps the minor when one commit is a feature, and groups the commits', () => {
    const next = nextRelease({
      releases: [release('v1.4.0')],
      commits: [commit('fix: a'), commit('feat(ui): b'), commit('chore: c')],
    });
    expect(next.version).toBe('1.5.0');
    expect(next.bump).toBe('minor');
    expect(next.commits.minor.map(c => c.subject)).toEqual(['b']);
    expect(next.commits.patch.map(c => c.subject)).toEqual(['a', 'c']);
  });

  it('bumps the major for feat! and for a BREAKING CHANGE footer', () => {
    for (const message of ['feat!: x', 'fix: y\n\nBREAKING CHANGE: z']) {
      const next = nextRelease({
        releases: [release('v1.4.0')],
        commits: [commit('feat: a'), commit(message)],
      });
      expect(next.version).toBe('2.0.0');
      expect(next.bump).toBe('major');
      expect(next.commits.major).toHaveLength(1);
    }
  });

  it('takes the highest final release as the latest, whatever the order, and ignores other tags', () => {
    const next = nextRelease({
      releases: [
        release('v1.9.0'),
        release('v1.10.0'),
        release('v1.10.1-rc.1'),
        release('v1.2.0'),
      ],
      commits: [commit('fix: a')],
    });
    expect(next.latest?.tag).toBe('v1.10.0');
    expect(next.version).toBe('1.10.1');
  });

  it('starts at 0.1.0 (feature) or 0.0.1 (fix) without a release, and 1.0.0 for a breaking change', () => {
    expect(
      nextRelease({ releases: [], commits: [commit('feat: a')] }).version,
    ).toBe('0.1.0');
    expect(
      nextRelease({ releases: [], commits: [commit('fix: a')] }).version,
    ).toBe('0.0.1');
    expect(
      nextRelease({ releases: [], commits: [commit('feat!: a')] }).version,
    ).toBe('1.0.0');
  });

  it('numbers release candidates on: rc after rc', () => {
    const next = nextRelease({
      releases: [
        release('v1.4.0'),
        release('v1.5.0-rc.1'),
        release('v1.5.0-rc.2'),
      ],
      commits: [commit('feat: a'), commit('fix: b')],
    });
    expect(next.version).toBe('1.5.0');
    expect(next.candidateTag).toBe('v1.5.0-rc.3');
    expect(next.candidates.map(c => c.tag)).toEqual([
      'v1.5.0-rc.2',
      'v1.5.0-rc.1',
    ]);
  });

  it('keeps the version of a pending release candidate that is higher than the commits ask for', () => {
    // rc of 2.0.0 cut for a breaking change; since then only fixes: still 2.0.0.
    const next = nextRelease({
      releases: [release('v1.4.0'), release('v2.0.0-rc.1')],
      commits: [commit('fix: b')],
    });
    expect(next.version).toBe('2.0.0');
    expect(next.candidateTag).toBe('v2.0.0-rc.2');
  });

  it('moves on to a higher version than a pending candidate when the commits ask for it, starting at rc.1', () => {
    const next = nextRelease({
      releases: [release('v1.4.0'), release('v1.5.0-rc.2')],
      commits: [commit('feat!: b')],
    });
    expect(next.version).toBe('2.0.0');
    expect(next.candidateTag).toBe('v2.0.0-rc.1');
    expect(next.candidates).toEqual([]);
  });

  it('leaves candidates of an already released version behind: final after rc', () => {
    const next = nextRelease({
      releases: [release('v1.5.0-rc.1'), release('v1.5.0'), release('v1.4.0')],
      commits: [commit('fix: c')],
    });
    expect(next.latest?.tag).toBe('v1.5.0');
    expect(next.version).toBe('1.5.1');
    expect(next.candidateTag).toBe('v1.5.1-rc.1');
    expect(next.candidates).toEqual([]);
  });
});
