import { parseSimulatorArguments } from './simulatorArguments';

describe('parseSimulatorArguments', () => {
  it('reads clusters, tokens, repositories, URLs and timing', () => {
    const options = parseSimulatorArguments(
      [
        '--port',
        '7480',
        '--cluster',
        'dev',
        '--cluster',
        'prod=a=b',
        '--git-repository',
        'flux-system/flux-system=repos/config.git#live',
        '--git-repository',
        'flux-system/apps=/srv/apps',
        '--git-url',
        'flux-system/apps=ssh://git@example.com/apps.git',
        '--timing',
        'fast',
      ],
      '/work',
    );
    expect(options.port).toBe(7480);
    expect(options.clusters).toEqual([
      { name: 'dev' },
      { name: 'prod', token: 'a=b' },
    ]);
    expect(options.flux?.gitRepositories).toEqual([
      {
        namespace: 'flux-system',
        name: 'flux-system',
        path: '/work/repos/config.git',
        branch: 'live',
        url: 'https://github.com/fleet-portal/config',
      },
      {
        namespace: 'flux-system',
        name: 'apps',
        path: '/srv/apps',
        branch: 'main',
        url: 'ssh://git@example.com/apps.git',
      },
    ]);
    expect(options.flux?.timing?.helmMs).toBeLessThan(1000);
  });

  it('uses the lifelike timing for demos and can leave Flux out', () => {
    expect(parseSimulatorArguments(['--cluster', 'dev']).flux).toEqual({
      gitRepositories: [],
    });
    expect(
      parseSimulatorArguments(['--cluster', 'dev', '--no-flux']).flux,
    ).toBeUndefined();
  });

  it.each([
    [[]],
    [['--cluster', 'dev', '--port', 'x']],
    [['--cluster', 'dev', '--timing', 'slow']],
    [['--cluster', 'dev', '--git-repository', 'no-name=/x']],
    [['--cluster', 'dev', '--unknown']],
  ])('refuses %j', args => {
    expect(() => parseSimulatorArguments(args)).toThrow();
  });
});
