import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ReleaseService } from '../ReleaseService';
import { readReleasesConfig } from '../releasesConfig';
import {
  GithubServiceRepository,
  TOKEN,
  startGithubServiceRepository,
} from './__testUtils__/githubServiceRepository';
import { ReleaseSources } from './ReleaseSources';

const SERVICES = ['backend', 'engine'];

describe('ReleaseSources on GitHub', () => {
  let fixture: GithubServiceRepository;
  beforeEach(async () => {
    fixture = await startGithubServiceRepository();
  });
  afterEach(async () => {
    await fixture.close();
  });

  const rootConfig = (
    integration: Record<string, unknown> = { token: TOKEN },
    host = 'ghe.example.com',
  ) =>
    new ConfigReader({
      integrations: {
        github: [
          {
            host: 'ghe.example.com',
            apiBaseUrl: fixture.server.url,
            ...integration,
          },
        ],
      },
      accounts: {
        releases: {
          github: { host, repositories: { backend: 'acme/service' } },
        },
      },
    });
  const sources = (config = rootConfig()) =>
    new ReleaseSources({
      config: readReleasesConfig(config, SERVICES)!,
      services: SERVICES,
      logger: fixture.logger,
      rootConfig: config,
    });

  it("lists a service's releases through integrations.github at its apiBaseUrl", async () => {
    const sha = await fixture.commit(
      'main',
      'feat: cohorts',
      '2026-10-02T10:00:00Z',
    );
    await fixture.tag('v1.0.0', sha);
    const made = sources();
    expect(made.has('backend')).toBe(true);
    expect(made.has('engine')).toBe(false);
    const backend = made.get('backend');
    expect(made.get('backend')).toBe(backend);
    expect(backend.location).toEqual({
      kind: 'github',
      name: 'acme/service',
      url: 'https://ghe.example.com/acme/service',
    });
    expect(await backend.listReleases()).toEqual([
      { tag: 'v1.0.0', version: '1.0.0', candidate: false, sha },
    ]);

    const service = await new ReleaseService(made).releases('backend');
    expect(service).toMatchObject({
      repository: { kind: 'github', name: 'acme/service' },
      branch: 'main',
      head: sha,
      releases: [{ tag: 'v1.0.0' }],
    });
  });

  it('answers a NotFoundError naming a service without a repository', () => {
    const made = sources();
    expect(() => made.get('engine')).toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message:
          "The service 'engine' has no repository in accounts.releases.github.repositories",
      }),
    );
    expect(() => made.get('billing')).toThrow(
      expect.objectContaining({ name: 'NotFoundError' }),
    );
  });

  it('names the host when integrations.github has no entry or no credentials for it', () => {
    expect(() =>
      sources(rootConfig({ token: TOKEN }, 'github.example.org')),
    ).toThrow('integrations.github has no entry for host github.example.org');
    expect(() => sources(rootConfig({}))).toThrow(
      'integrations.github for host ghe.example.com has neither a token nor a GitHub App',
    );
    const config = rootConfig();
    expect(
      () =>
        new ReleaseSources({
          config: readReleasesConfig(config, SERVICES)!,
          services: SERVICES,
          logger: mockServices.logger.mock(),
        }),
    ).toThrow(/needs the root config/);
  });
});
