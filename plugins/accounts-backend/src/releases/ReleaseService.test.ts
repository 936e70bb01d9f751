import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { dirname } from 'path';
import { ReleaseService } from './ReleaseService';
import { readReleasesConfig } from './releasesConfig';
import { ReleaseSources } from './source/ReleaseSources';
import { createLocalServiceRepository } from './source/__testUtils__/localServiceRepository';

describe('ReleaseService with local repositories', () => {
  let repository: Awaited<ReturnType<typeof createLocalServiceRepository>>;
  let service: ReleaseService;

  beforeEach(async () => {
    // <folder>/service.git: the service is called `service`.
    repository = await createLocalServiceRepository();
    const config = readReleasesConfig(
      new ConfigReader({
        accounts: { releases: { local: { path: dirname(repository.gitdir) } } },
      }),
      ['service', 'other'],
    )!;
    service = new ReleaseService(
      new ReleaseSources({
        config,
        services: ['service', 'other'],
        logger: mockServices.logger.mock(),
      }),
    );
  });
  afterEach(async () => {
    await repository.remove();
  });

  it('computes the next version from the commits since the latest release', async () => {
    const base = await repository.commit(
      'main',
      'feat: cohorts',
      '2026-10-02T10:00:00Z',
    );
    await repository.tag('v1.0.0', base);
    await repository.commit(
      'main',
      'fix(api): empty names',
      '2026-10-03T10:00:00Z',
    );
    const head = await repository.commit(
      'main',
      'feat: waves',
      '2026-10-04T10:00:00Z',
    );

    const releases = await service.releases('service');
    expect(releases).toMatchObject({
      service: 'service',
      repository: { kind: 'local', name: repository.gitdir },
      branch: 'main',
      head,
      releases: [{ tag: 'v1.0.0', sha: base }],
      next: {
        latest: { tag: 'v1.0.0' },
        version: '1.1.0',
        bump: 'minor',
        candidateTag: 'v1.1.0-rc.1',
      },
    });
    expect(releases.next.commits.minor.map(c => c.subject)).toEqual(['waves']);
    expect(releases.next.commits.patch.map(c => [c.scope, c.subject])).toEqual([
      ['api', 'empty names'],
    ]);
  });

  it('releases candidates, then the final release, with notes, and then has nothing to release', async () => {
    await repository.tag(
      'v1.0.0',
      await repository.commit('main', 'feat: a', '2026-10-02T10:00:00Z'),
    );
    const fix = await repository.commit(
      'main',
      'fix: b',
      '2026-10-03T10:00:00Z',
    );

    const rc1 = await service.createRelease('service', { kind: 'rc' });
    expect(rc1).toMatchObject({
      tag: 'v1.0.1-rc.1',
      candidate: true,
      sha: fix,
    });
    expect(rc1.notes).toBe(
      `Changes since v1.0.0.\n\n## Fixes and other changes\n\n- b (${fix.slice(
        0,
        7,
      )})`,
    );
    const breaking = await repository.commit(
      'main',
      'feat!: c',
      '2026-10-04T10:00:00Z',
    );
    const rc2 = await service.createRelease('service', { kind: 'rc' });
    // A breaking change since rc.1: the next version is a major one.
    expect(rc2).toMatchObject({ tag: 'v2.0.0-rc.1', sha: breaking });
    expect(rc2.notes).toContain('## Breaking changes\n\n- c');

    const final = await service.createRelease('service', { kind: 'final' });
    expect(final).toMatchObject({
      tag: 'v2.0.0',
      candidate: false,
      sha: breaking,
    });
    expect(repository.git(['rev-parse', 'v2.0.0^{commit}'])).toBe(breaking);

    const after = await service.releases('service');
    expect(after.releases.map(r => r.tag)).toEqual([
      'v2.0.0',
      'v2.0.0-rc.1',
      'v1.0.1-rc.1',
      'v1.0.0',
    ]);
    expect(after.next.version).toBeUndefined();
    await expect(
      service.createRelease('service', { kind: 'final' }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: 'Nothing to release: no commits since v2.0.0',
      }),
    );
    await expect(
      service.createRelease('service', { kind: 'final', version: '2.0.0' }),
    ).rejects.toThrow(expect.objectContaining({ name: 'ConflictError' }));
    await expect(
      service.createRelease('service', { kind: 'final', version: '1.9.0' }),
    ).rejects.toThrow(expect.objectContaining({ name: 'InputError' }));
    expect(repository.git(['tag', '-l']).split('\n')).toHaveLength(4);
  });

  it('lists the services and refuses an unknown one', async () => {
    expect(service.services()).toEqual([
      {
        name: 'service',
        repository: { kind: 'local', name: repository.gitdir },
      },
      {
        name: 'other',
        repository: {
          kind: 'local',
          name: expect.stringMatching(/other\.git$/),
        },
      },
    ]);
    await expect(service.releases('nope')).rejects.toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: "No service 'nope' is configured",
      }),
    );
  });
});
