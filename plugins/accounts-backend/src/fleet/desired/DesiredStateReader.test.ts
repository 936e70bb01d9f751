import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { registryAccount } from '../../__testUtils__/clusters';
import {
  git,
  gitopsAccountsConfig,
  tempRepositoryPath,
} from '../../__testUtils__/gitops';
import { AccountConfigService } from '../../gitops/AccountConfigService';
import { ConfigRepository } from '../../gitops/ConfigRepository';
import { LocalGitConfigRepository } from '../../gitops/local/LocalGitConfigRepository';
import { readGitopsConfig } from '../../gitops/render/gitopsConfig';
import { DesiredStateReader } from './DesiredStateReader';
import {
  FOLDERS,
  TTL,
  commitFiles,
  countingReads,
  helmRelease,
  plain,
  useReaderTestbed,
} from './__testUtils__/desiredState';

const testbed = useReaderTestbed();

describe('DesiredStateReader with a local repository', () => {
  let folder: Awaited<ReturnType<typeof tempRepositoryPath>>;
  let repository: LocalGitConfigRepository;

  beforeEach(async () => {
    folder = await tempRepositoryPath();
    repository = await LocalGitConfigRepository.open({
      path: folder.path,
      branch: 'main',
      logger: mockServices.logger.mock(),
    });
  });
  afterEach(async () => {
    await folder.remove();
  });

  const reader = (
    options: { folders?: string[]; repository?: ConfigRepository } = {},
  ) =>
    new DesiredStateReader({
      repository: options.repository ?? repository,
      folders: options.folders ?? FOLDERS,
      logger: testbed.logger(),
      headTtlMs: TTL,
    });

  it('reads the tag of every service of every account folder, as AccountConfigService commits them', async () => {
    const config = new ConfigReader({
      accounts: gitopsAccountsConfig(folder.path),
    });
    const service = new AccountConfigService({
      repository,
      config: readGitopsConfig(config),
      logger: mockServices.logger.mock(),
    });
    const both = [{ name: 'backend' }, { name: 'engine' }];
    const accounts = [
      registryAccount('acme', { services: both }),
      registryAccount('initech', { services: [{ name: 'engine' }] }),
      registryAccount('globex', {
        environment: 'production',
        cluster: 'production-eu',
        services: both,
      }),
    ];
    await service.commit(accounts, {
      actor: 'user:default/alice',
      pins: { globex: { backend: '1.5.0' } },
    });
    // A folder without HelmReleases, and files outside account folders.
    const head = await commitFiles(repository, {
      'k8s/flux/staging/hooli/kustomization.yaml': 'resources: []\n',
      'k8s/flux/staging/kustomization.yaml': 'resources: []\n',
      'k8s/helmrelease-stray.yaml': helmRelease('stray', '9.9.9'),
    });

    const state = await reader().read();

    expect(state.commit).toBe(head);
    expect(plain(state)).toEqual({
      acme: {
        backend: 'main-3f9c2a1-1763800000',
        engine: 'main-8d1e0b7-1763790000',
      },
      initech: { engine: 'main-8d1e0b7-1763790000' },
      globex: { backend: '1.5.0', engine: '2.1.3' },
      hooli: {},
    });
    for (const account of accounts) {
      expect(Object.fromEntries(state.tags.get(account.name)!)).toEqual(
        await service.imageTags(account),
      );
    }
    expect(testbed.warnings()).toEqual([]);
  });

  it('answers an empty map for a repository without account folders or commits', async () => {
    const desired = reader();
    const head = (await repository.head()).sha;
    expect(await desired.read()).toEqual({ commit: head, tags: new Map() });

    // The branch vanishes: no commit to read, said once.
    git(folder.path, 'update-ref', '-d', 'refs/heads/main');
    testbed.advance(TTL);
    expect(await desired.read()).toEqual({ commit: '', tags: new Map() });
    testbed.advance(TTL);
    expect(await desired.read()).toEqual({ commit: '', tags: new Map() });
    expect(testbed.warnings()).toEqual([
      expect.stringContaining('has no commit on main'),
    ]);
  });

  it('sees a new commit moving a tag once the head read is older than the TTL', async () => {
    const path = 'k8s/flux/staging/acme/helmrelease-backend.yaml';
    const first = await commitFiles(repository, {
      [path]: helmRelease('backend', '1.0.0'),
    });
    const desired = reader();
    expect(await desired.read()).toEqual({
      commit: first,
      tags: new Map([['acme', new Map([['backend', '1.0.0']])]]),
    });

    const second = await commitFiles(repository, {
      [path]: helmRelease('backend', '1.1.0'),
    });
    testbed.advance(TTL - 1);
    const cached = await desired.read();
    expect(cached.commit).toBe(first);
    expect(plain(cached)).toEqual({ acme: { backend: '1.0.0' } });

    testbed.advance(1);
    const moved = await desired.read();
    expect(moved.commit).toBe(second);
    expect(plain(moved)).toEqual({ acme: { backend: '1.1.0' } });

    // A removed folder leaves the state with the next commit.
    await commitFiles(repository, { [path]: null });
    testbed.advance(TTL);
    expect(plain(await desired.read())).toEqual({});
  });

  it("reads the account folders under each environment's pathPrefix, and nothing else", async () => {
    await commitFiles(repository, {
      'clusters/eu/staging/acme/helmrelease-backend.yaml': helmRelease(
        'backend',
        '1.0.0',
      ),
      'clusters/eu/staging/acme/config/helmrelease-nested.yaml': helmRelease(
        'nested',
        '9.9.9',
      ),
      'k8s/flux/production/globex/helmrelease-engine.yaml': helmRelease(
        'engine',
        '2.0.0',
      ),
      // The default folder of an environment configured elsewhere.
      'k8s/flux/staging/initech/helmrelease-engine.yaml': helmRelease(
        'engine',
        '3.0.0',
      ),
      'clusters/eu/staging-old/hooli/helmrelease-engine.yaml': helmRelease(
        'engine',
        '4.0.0',
      ),
    });
    const state = await reader({
      folders: ['clusters/eu/staging', 'k8s/flux/production'],
    }).read();
    expect(plain(state)).toEqual({
      acme: { backend: '1.0.0' },
      globex: { engine: '2.0.0' },
    });
    expect(testbed.warnings()).toEqual([]);
  });

  it('reads only the HelmRelease files a new commit changed', async () => {
    const file = (account: string, service: string) =>
      `k8s/flux/staging/${account}/helmrelease-${service}.yaml`;
    await commitFiles(repository, {
      [file('acme', 'backend')]: helmRelease('backend', '1.0.0'),
      [file('acme', 'engine')]: helmRelease('engine', '2.0.0'),
      [file('globex', 'backend')]: helmRelease('backend', '1.0.1'),
      'k8s/flux/staging/acme/kustomization.yaml': 'resources: []\n',
    });
    const counted = countingReads(repository);
    const desired = reader({ repository: counted.repository });
    await desired.read();
    expect(counted.reads.sort()).toEqual([
      file('acme', 'backend'),
      file('acme', 'engine'),
      file('globex', 'backend'),
    ]);

    counted.reads.length = 0;
    await commitFiles(repository, {
      [file('acme', 'engine')]: helmRelease('engine', '2.1.0'),
      [file('initech', 'engine')]: helmRelease('engine', '2.1.0'),
      'README.md': 'changed\n',
    });
    testbed.advance(TTL);
    expect(plain(await desired.read())).toEqual({
      acme: { backend: '1.0.0', engine: '2.1.0' },
      globex: { backend: '1.0.1' },
      initech: { engine: '2.1.0' },
    });
    // The new initech file has the content of acme's new one: one read.
    expect(counted.reads).toHaveLength(1);
    expect([file('acme', 'engine'), file('initech', 'engine')]).toContain(
      counted.reads[0],
    );
  });

  it('reads the head of a local repository on every read by default', async () => {
    const path = 'k8s/flux/staging/acme/helmrelease-backend.yaml';
    await commitFiles(repository, { [path]: helmRelease('backend', '1.0.0') });
    const desired = new DesiredStateReader({
      repository,
      folders: FOLDERS,
      logger: testbed.logger(),
    });
    expect(plain(await desired.read())).toEqual({ acme: { backend: '1.0.0' } });
    const second = await commitFiles(repository, {
      [path]: helmRelease('backend', '1.1.0'),
    });
    const moved = await desired.read();
    expect(moved.commit).toBe(second);
    expect(plain(moved)).toEqual({ acme: { backend: '1.1.0' } });
  });

  it('skips a broken HelmRelease with one warning per commit', async () => {
    const broken = 'k8s/flux/staging/acme/helmrelease-engine.yaml';
    const notATag = 'k8s/flux/staging/globex/helmrelease-engine.yaml';
    await commitFiles(repository, {
      'k8s/flux/staging/acme/helmrelease-backend.yaml': helmRelease(
        'backend',
        '1.0.0',
      ),
      [broken]: 'kind: HelmRelease\nmetadata: {name: engine\n',
      [notATag]: helmRelease('engine', '{a: 1}'),
      'k8s/flux/staging/globex/helmrelease-backend.yaml': helmRelease(
        'backend',
        '2.0.0',
      ),
    });
    const desired = reader();
    const [state] = await Promise.all([desired.read(), desired.read()]);
    expect(plain(state)).toEqual({
      acme: { backend: '1.0.0' },
      globex: { backend: '2.0.0' },
    });
    testbed.advance(TTL);
    expect(await desired.read()).toBe(state);
    expect(testbed.warnings()).toEqual([
      expect.stringContaining(`Skipped ${broken} `),
      expect.stringMatching(
        new RegExp(`^Skipped ${notATag} .*is not an image tag`),
      ),
    ]);

    // A new commit is a new desired state: its broken files are said again.
    await commitFiles(repository, { 'README.md': 'changed\n' });
    testbed.advance(TTL);
    expect(plain(await desired.read())).toEqual(plain(state));
    expect(testbed.warnings()).toHaveLength(4);
  });

  it('keeps the first of two folders of one account or two files of one service, and says so', async () => {
    await commitFiles(repository, {
      'k8s/flux/production/acme/helmrelease-backend.yaml': helmRelease(
        'backend',
        '1.0.0',
      ),
      'k8s/flux/staging/acme/helmrelease-backend.yaml': helmRelease(
        'backend',
        '0.9.0',
      ),
      'k8s/flux/staging/globex/helmrelease-a.yaml': helmRelease(
        'engine',
        '2.0.0',
      ),
      'k8s/flux/staging/globex/helmrelease-b.yaml': helmRelease(
        'engine',
        '3.0.0',
      ),
      'k8s/flux/staging/globex/helmrelease-cm.yaml':
        'kind: ConfigMap\nmetadata:\n  name: cm\n',
      'k8s/flux/staging/globex/helmrelease-noname.yaml':
        'kind: HelmRelease\nspec: {}\n',
    });
    expect(plain(await reader().read())).toEqual({
      acme: { backend: '1.0.0' },
      globex: { engine: '2.0.0' },
    });
    expect(testbed.warnings()).toEqual([
      expect.stringMatching(
        /^Skipped k8s\/flux\/staging\/acme .*another environment/,
      ),
      expect.stringMatching(/helmrelease-b\.yaml .*HelmRelease engine too$/),
      expect.stringMatching(/helmrelease-cm\.yaml .*not a HelmRelease$/),
      expect.stringMatching(/helmrelease-noname\.yaml .*metadata\.name/),
    ]);
  });
});
