import { ConfigReader } from '@backstage/config';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import yaml from 'yaml';
import { DEMO_ACCOUNTS } from '../../registry/demoAccounts';
import { readGitopsConfig } from './gitopsConfig';
import { renderAccountFolder } from './renderAccountFolder';
import { validateFluxObject } from './fluxSchemas';
import { parseYamlDocument } from './yamlDocument';

function appConfig() {
  return new ConfigReader(
    yaml.parse(
      readFileSync(
        resolve(__dirname, '../../../../../app-config.yaml'),
        'utf8',
      ),
    ),
  );
}

/** A minimal valid config, changed by `patch` (a function of its data). */
function configWith(patch: (data: any) => void = () => {}) {
  const data: any = {
    accounts: {
      environments: [{ name: 'staging' }, { name: 'production' }],
      gitops: {
        services: [
          {
            name: 'backend',
            chart: {
              name: 'backend',
              version: '1.4.0',
              sourceRef: { kind: 'HelmRepository', name: 'acme' },
            },
            image: {
              repository: 'europe-docker.pkg.dev/acme-saas/images/backend',
            },
            environments: { staging: { imageTag: 'main-3f9c2a1-1763800000' } },
          },
        ],
      },
    },
  };
  patch(data);
  return new ConfigReader(data);
}

describe('readGitopsConfig', () => {
  it("reads app-config.yaml's demo services and environment policies", () => {
    const config = readGitopsConfig(appConfig());
    expect(config.services.map(s => s.name)).toEqual([
      'admin',
      'backend',
      'engine',
    ]);
    expect(config.environments).toEqual([
      {
        name: 'staging',
        pathPrefix: 'k8s/flux/staging',
        imagePolicy: 'automation',
      },
      {
        name: 'production',
        pathPrefix: 'k8s/flux/production',
        imagePolicy: 'pinned',
      },
    ]);
    expect(config.notifications).toEqual({
      slackChannel: '#deployments',
      secretName: 'slack-webhook',
    });
    expect(config.services[1]).toMatchObject({
      chart: {
        name: './charts/backend',
        version: '1.4.0',
        sourceRef: {
          kind: 'GitRepository',
          name: 'acme-helmcharts',
          namespace: 'flux-system',
        },
      },
      image: { repository: 'europe-docker.pkg.dev/acme-saas/images/backend' },
      environments: {
        staging: { imageTag: 'main-3f9c2a1-1763800000' },
        production: { imageTag: '1.4.2' },
      },
    });
  });

  it('renders every demo account with the app-config.yaml services, valid', () => {
    const config = readGitopsConfig(appConfig());
    for (const account of DEMO_ACCOUNTS) {
      const { files } = renderAccountFolder(
        { account, current: new Map() },
        config,
      );
      const objects = files.map(f => parseYamlDocument(f.content) as any);
      const flux = objects.filter(o => o.apiVersion.includes('fluxcd.io'));
      expect(flux.flatMap(validateFluxObject)).toEqual([]);
      expect(flux.filter(o => o.kind === 'HelmRelease')).toHaveLength(
        account.services.length,
      );
    }
  });

  it('applies the defaults', () => {
    const config = readGitopsConfig(new ConfigReader({}));
    expect(config).toEqual({
      environments: [],
      services: [],
      interval: '5m',
      notifications: {
        slackChannel: '#deployments',
        secretName: 'slack-webhook',
      },
      author: { name: 'Fleet Portal', email: 'fleet-portal@localhost' },
    });
    const minimal = readGitopsConfig(configWith());
    expect(minimal.environments[1]).toEqual({
      name: 'production',
      pathPrefix: 'k8s/flux/production',
      imagePolicy: 'pinned',
    });
    expect(minimal.services[0]).toEqual({
      name: 'backend',
      chart: {
        name: 'backend',
        version: '1.4.0',
        sourceRef: { kind: 'HelmRepository', name: 'acme' },
      },
      image: { repository: 'europe-docker.pkg.dev/acme-saas/images/backend' },
      environments: { staging: { imageTag: 'main-3f9c2a1-1763800000' } },
    });
  });

  it('reads the settings it is given', () => {
    const config = readGitopsConfig(
      configWith(d => {
        d.accounts.gitops.interval = '1h30m';
        d.accounts.gitops.author = {
          name: 'Portal Bot',
          email: 'bot@acme.example',
        };
        d.accounts.environments[0].gitops = {
          pathPrefix: 'clusters/staging',
          imagePolicy: 'automation',
          notifications: { slackChannel: '#staging' },
        };
      }),
    );
    expect(config.interval).toBe('1h30m');
    expect(config.author).toEqual({
      name: 'Portal Bot',
      email: 'bot@acme.example',
    });
    expect(config.environments[0]).toEqual({
      name: 'staging',
      pathPrefix: 'clusters/staging',
      imagePolicy: 'automation',
      notifications: { slackChannel: '#staging' },
    });
  });

  it.each<[string, (data: any) => void, RegExp]>([
    [
      'an unknown image policy',
      d => (d.accounts.environments[0].gitops = { imagePolicy: 'auto' }),
      /accounts\.environments\[0\]\.gitops\.imagePolicy: must be 'automation' or 'pinned', not 'auto'/,
    ],
    [
      'an environment name that is not a DNS label',
      d => (d.accounts.environments[0].name = 'Staging_EU'),
      /accounts\.environments\[0\]\.name: 'Staging_EU' must be a DNS-1123 label/,
    ],
    [
      'overlapping environment folders',
      d =>
        (d.accounts.environments[1].gitops = {
          pathPrefix: 'k8s/flux/staging/prod',
        }),
      /accounts\.environments\[0\]\.gitops\.pathPrefix: 'k8s\/flux\/staging' overlaps the folder of environment 'production'/,
    ],
    [
      'an interval Flux does not read',
      d => (d.accounts.gitops.interval = '5 minutes'),
      /accounts\.gitops\.interval: '5 minutes' is not a duration/,
    ],
    [
      'an author email with angle brackets',
      d => (d.accounts.gitops.author = { email: 'x <y@z>' }),
      /accounts\.gitops\.author\.email/,
    ],
    [
      'a secret name that is not an object name',
      d => (d.accounts.gitops.notifications = { secretName: 'Slack_Webhook' }),
      /accounts\.gitops\.notifications\.secretName: must be a Kubernetes object name/,
    ],
    [
      'a chart source kind Flux charts cannot come from',
      d => (d.accounts.gitops.services[0].chart.sourceRef.kind = 'Bucket'),
      /accounts\.gitops\.services\[0\]\.chart\.sourceRef\.kind: must be one of HelmRepository, GitRepository, OCIRepository/,
    ],
    [
      'a missing source kind',
      d => delete d.accounts.gitops.services[0].chart.sourceRef.kind,
      /accounts\.gitops\.services\[0\]\.chart\.sourceRef\.kind/,
    ],
    [
      'a chart version that is a number',
      d => (d.accounts.gitops.services[0].chart.version = 1.4),
      /accounts\.gitops\.services\[0\]\.chart\.version/,
    ],
    [
      'a service configured twice',
      d => d.accounts.gitops.services.push(d.accounts.gitops.services[0]),
      /accounts\.gitops\.services\[1\]\.name: 'backend' is configured twice/,
    ],
    [
      'a service name that is not a DNS label',
      d => (d.accounts.gitops.services[0].name = '../backend'),
      /accounts\.gitops\.services\[0\]\.name: '\.\.\/backend' must be a DNS-1123 label/,
    ],
    [
      'an image repository with a tag',
      d => (d.accounts.gitops.services[0].image.repository = 'backend:latest'),
      /accounts\.gitops\.services\[0\]\.image\.repository: 'backend:latest' is not an image repository/,
    ],
    [
      'values that are not an object',
      d => (d.accounts.gitops.services[0].values = ['replicas', 2]),
      /accounts\.gitops\.services\[0\]\.values: must be an object/,
    ],
    [
      'an image tag that is not a tag',
      d =>
        (d.accounts.gitops.services[0].environments.staging.imageTag =
          'main 1'),
      /accounts\.gitops\.services\[0\]\.environments\.staging\.imageTag: 'main 1' is not a valid image tag/,
    ],
    [
      'values for an environment that does not exist',
      d =>
        (d.accounts.gitops.services[0].environments.qa = { imageTag: '1.0.0' }),
      /accounts\.gitops\.services\[0\]\.environments\.qa: 'qa' is not one of accounts\.environments \(staging, production\)/,
    ],
  ])('refuses %s, naming the key', (_, patch, message) => {
    expect(() => readGitopsConfig(configWith(patch))).toThrow(message);
  });
});
