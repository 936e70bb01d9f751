import { mockServices } from '@backstage/backend-test-utils';
import { execFileSync } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ReleaseService } from '../ReleaseService';
import { ReleaseSources } from '../source/ReleaseSources';
import { seedDemoServiceRepositories } from './seedDemoServiceRepositories';

describe('seedDemoServiceRepositories', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-demo-services-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes a history of releases up to the production version and unreleased commits after it, once', async () => {
    const logger = mockServices.logger.mock();
    const services = new Map([
      ['backend', '1.4.2'],
      ['engine', '2.1.0'],
    ]);
    expect(
      await seedDemoServiceRepositories({ path: dir, services, logger }),
    ).toBe(2);
    const gitdir = join(dir, 'backend.git');
    execFileSync('git', [
      '--git-dir',
      gitdir,
      'fsck',
      '--strict',
      '--no-dangling',
    ]);
    expect(
      execFileSync('git', ['--git-dir', gitdir, 'log', '--format=%s', 'main'], {
        encoding: 'utf8',
      })
        .trim()
        .split('\n'),
    ).toHaveLength(7);

    const releases = new ReleaseService(
      new ReleaseSources({
        config: { kind: 'local', path: dir },
        services: ['backend', 'engine'],
        logger,
      }),
    );
    const backend = await releases.releases('backend');
    expect(backend.releases.map(r => r.tag)).toEqual([
      'v1.4.2',
      'v1.4.1',
      'v1.4.0',
    ]);
    expect(backend.releases[0].notes).toMatch(
      /^Changes since v1\.4\.1\.\n\n## Fixes and other changes\n\n- /,
    );
    expect(backend.next).toMatchObject({
      version: '1.5.0',
      bump: 'minor',
      candidateTag: 'v1.5.0-rc.1',
    });
    expect(backend.next.commits.minor).toHaveLength(1);
    expect(backend.next.commits.patch).toHaveLength(2);
    const engine = await releases.releases('engine');
    expect(engine.releases.map(r => r.tag)).toEqual(['v2.1.0']);

    // Seeded once: a second start changes nothing.
    const before = execFileSync(
      'git',
      ['--git-dir', gitdir, 'rev-parse', 'main'],
      { encoding: 'utf8' },
    );
    expect(
      await seedDemoServiceRepositories({ path: dir, services, logger }),
    ).toBe(0);
    expect(
      execFileSync('git', ['--git-dir', gitdir, 'rev-parse', 'main'], {
        encoding: 'utf8',
      }),
    ).toBe(before);
  });
});
