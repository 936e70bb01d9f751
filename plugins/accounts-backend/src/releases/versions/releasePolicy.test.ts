import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import { readConventionalCommit } from './conventionalCommit';
import { nextRelease } from './nextRelease';
import { ReleaseRequest, planRelease } from './releasePolicy';
import { readReleaseTag } from './releaseTags';

const release = (tag: string): ServiceRelease => {
  const parsed = readReleaseTag(tag)!;
  return {
    tag,
    version: parsed.version,
    candidate: parsed.candidate,
    sha: `sha-${tag}`,
  };
};

function plan(tags: string[], messages: string[], request: ReleaseRequest) {
  const releases = tags.map(release);
  const commits = messages.map((message, i) =>
    readConventionalCommit({ sha: `c${i}`, message }),
  );
  return planRelease(request, {
    releases,
    next: nextRelease({ releases, commits }),
  });
}

describe('planRelease', () => {
  it('tags the computed next version or release candidate', () => {
    expect(plan(['v1.4.0'], ['feat: a'], { kind: 'rc' })).toBe('v1.5.0-rc.1');
    expect(plan(['v1.4.0', 'v1.5.0-rc.1'], ['feat: a'], { kind: 'rc' })).toBe(
      'v1.5.0-rc.2',
    );
    expect(
      plan(['v1.4.0', 'v1.5.0-rc.1'], ['feat: a'], { kind: 'final' }),
    ).toBe('v1.5.0');
    expect(
      plan(['v1.4.0'], ['fix: a'], { kind: 'final', version: '1.4.1' }),
    ).toBe('v1.4.1');
    expect(
      plan(['v1.4.0'], ['fix: a'], { kind: 'rc', version: 'v2.0.0-rc.1' }),
    ).toBe('v2.0.0-rc.1');
  });

  it('refuses a tag that exists with 409', () => {
    expect(() =>
      plan(['v1.4.0', 'v1.4.1'], ['fix: a'], {
        kind: 'final',
        version: '1.4.1',
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringContaining('v1.4.1 exists already'),
      }),
    );
    expect(() =>
      plan(['v1.4.0', 'v1.5.0-rc.2'], ['feat: a'], {
        kind: 'rc',
        version: '1.5.0-rc.2',
      }),
    ).toThrow(expect.objectContaining({ name: 'ConflictError' }));
  });

  it('refuses a final release lower than a release candidate', () => {
    expect(() =>
      plan(['v1.4.0', 'v2.0.0-rc.1'], ['fix: a'], {
        kind: 'final',
        version: '1.5.0',
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          'version: the release 1.5.0 would be lower than the release candidate v2.0.0-rc.1',
      }),
    );
  });

  it('refuses a release candidate lower than one made for its version', () => {
    expect(() =>
      plan(['v1.4.0', 'v1.5.0-rc.3'], ['feat: a'], {
        kind: 'rc',
        version: '1.5.0-rc.2',
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^version: 1\.5\.0-rc\.2 is lower than the release candidate v1\.5\.0-rc\.3$/,
        ),
      }),
    );
  });

  it('refuses a release or candidate not higher than the latest release', () => {
    for (const request of [
      { kind: 'final', version: '1.3.5' },
      { kind: 'final', version: '1.3.9' },
      { kind: 'rc', version: '1.3.0-rc.1' },
      { kind: 'rc', version: '1.4.0-rc.1' },
    ] as ReleaseRequest[]) {
      expect(() => plan(['v1.4.0', 'v1.3.0'], ['fix: a'], request)).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(
            /^version: .* is not higher than the latest release v1\.4\.0$/,
          ),
        }),
      );
    }
  });

  it('refuses versions that are not release versions, naming the field', () => {
    for (const [kind, version] of [
      ['final', 'latest'],
      ['final', '1.5'],
      ['final', '1.5.0-beta.1'],
      ['final', '1.5.0-rc.1'],
      ['rc', '1.5.0'],
      ['rc', '1.5.0-rc.0'],
      ['final', '01.5.0'],
      ['final', '1.5.0+build'],
    ] as const) {
      expect(() => plan(['v1.4.0'], ['fix: a'], { kind, version })).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(/^version: /),
        }),
      );
    }
  });

  it('refuses to release when nothing was committed since the latest release', () => {
    expect(() => plan(['v1.4.0'], [], { kind: 'final' })).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: 'Nothing to release: no commits since v1.4.0',
      }),
    );
  });
});
