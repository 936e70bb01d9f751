import { ConfigReader } from '@backstage/config';
import { readReleasesConfig } from './releasesConfig';

const read = (releases: unknown) =>
  readReleasesConfig(
    new ConfigReader({ accounts: releases === undefined ? {} : { releases } }),
    ['backend', 'engine'],
    '/srv/portal',
  );

describe('readReleasesConfig', () => {
  it('reads local repositories relative to the working directory, or GitHub repositories per service', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read({ local: { path: '../data/services' } })).toEqual({
      kind: 'local',
      path: '/srv/data/services',
    });
    expect(
      read({ github: { repositories: { backend: 'acme-saas/backend' } } }),
    ).toEqual({
      kind: 'github',
      host: 'github.com',
      repositories: new Map([
        ['backend', { owner: 'acme-saas', repo: 'backend' }],
      ]),
    });
  });

  it('reads nothing when a later config file sets releases to null (production)', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { accounts: { releases: { local: { path: 'services' } } } },
      },
      {
        context: 'app-config.production.yaml',
        data: { accounts: { releases: null } },
      },
    ]);
    expect(readReleasesConfig(config, ['backend'])).toBeUndefined();
  });

  it.each([
    [
      { local: { path: 'x' }, github: { repositories: {} } },
      /accounts\.releases: set either local or github, not both/,
    ],
    [{}, /accounts\.releases: set local or github/],
    [
      { github: { repositories: { billing: 'acme/billing' } } },
      /repositories\.billing: 'billing' is not a service/,
    ],
    [
      { github: { repositories: { backend: 'acme' } } },
      /repositories\.backend: 'acme' is not owner\/repo/,
    ],
    [
      { github: { repositories: { backend: 'acme/../x/y' } } },
      /is not owner\/repo/,
    ],
    [
      { github: { repositories: { backend: 'acme/..' } } },
      /is not owner\/repo/,
    ],
  ])('refuses %j', (releases, message) => {
    expect(() => read(releases)).toThrow(message);
  });
});
