import { imageTag, parseImageVersion } from './imageVersion';

describe('parseImageVersion', () => {
  it('reads a main-<sha>-<unix-ts> build tag as branch, commit and build time', () => {
    expect(parseImageVersion('main-3f9c2a1-1763800000')).toEqual({
      tag: 'main-3f9c2a1-1763800000',
      build: {
        branch: 'main',
        commit: '3f9c2a1',
        builtAt: '2025-11-22T08:26:40.000Z',
      },
    });
  });

  it('takes other branch names, dashes included, and full 40-character shas', () => {
    const sha = '3f9c2a1b4d5e6f708192a3b4c5d6e7f8091a2b3c';
    expect(parseImageVersion(`release-2026-11-${sha}-1700000000`)).toEqual({
      tag: `release-2026-11-${sha}-1700000000`,
      build: {
        branch: 'release-2026-11',
        commit: sha,
        builtAt: '2023-11-14T22:13:20.000Z',
      },
    });
    expect(
      parseImageVersion('hotfix_login.2-ABCDEF0-1763800000').build,
    ).toEqual({
      branch: 'hotfix_login.2',
      commit: 'abcdef0',
      builtAt: '2025-11-22T08:26:40.000Z',
    });
  });

  it.each([
    ['1.4.2'],
    ['v2.0.0-rc.1'],
    ['latest'],
    ['main'],
    // A sha shorter than 7 or longer than 40 hex digits is not a commit.
    ['main-3f9c2a-1763800000'],
    [`main-${'a'.repeat(41)}-1763800000`],
    // Not hex.
    ['main-3f9c2g1-1763800000'],
    // Not unix seconds: a build number, milliseconds, a suffix.
    ['main-3f9c2a1-42'],
    ['main-3f9c2a1-1763800000000'],
    ['main-3f9c2a1-1763800000-rc1'],
    ['-3f9c2a1-1763800000'],
    [''],
  ])('keeps %j as a plain tag', tag => {
    expect(parseImageVersion(tag)).toEqual({ tag });
  });
});

describe('imageTag', () => {
  it.each([
    ['fleet/backend:main-3f9c2a1-1763800000', 'main-3f9c2a1-1763800000'],
    ['backend:1.4.2', '1.4.2'],
    ['localhost:5000/fleet/backend:1.4.2', '1.4.2'],
    ['fleet/backend:1.4.2@sha256:4e2d8c1a9f7b3e5d', '1.4.2'],
    ['localhost:5000/fleet/backend', 'latest'],
    ['backend', 'latest'],
  ])('reads the tag of %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });

  it('has no tag for an image pinned by digest only', () => {
    expect(imageTag('fleet/backend@sha256:4e2d8c1a9f7b3e5d')).toBeUndefined();
  });
});
