import { GitopsConfig, GitopsService } from '../gitopsConfig';
import { RenderableAccount } from '../fluxObjects';

const IMAGES = 'europe-docker.pkg.dev/acme-saas/images';

function service(
  name: string,
  version: string,
  rest: Omit<GitopsService, 'name' | 'chart' | 'image'>,
): GitopsService {
  return {
    name,
    chart: {
      name: `./charts/${name}`,
      version,
      sourceRef: {
        kind: 'GitRepository',
        name: 'acme-helmcharts',
        namespace: 'flux-system',
      },
    },
    image: { repository: `${IMAGES}/${name}` },
    ...rest,
  };
}

/** The GitOps config the renderer tests use (like app-config.yaml's). */
export function testGitopsConfig(): GitopsConfig {
  return {
    environments: [
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
    ],
    services: [
      service('admin', '1.4.0', {
        values: {
          replicas: 1,
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
        environments: {
          staging: { imageTag: 'main-3f9c2a1-1763800000' },
          production: { imageTag: '1.4.2', values: { replicas: 2 } },
        },
      }),
      service('backend', '1.4.0', {
        values: {
          replicas: 2,
          resources: {
            requests: { cpu: '250m', memory: '512Mi' },
            limits: { memory: '1Gi' },
          },
          env: { LOG_LEVEL: 'info' },
          tolerations: [
            { key: 'workload', value: 'api', effect: 'NoSchedule' },
          ],
        },
        environments: {
          staging: {
            imageTag: 'main-3f9c2a1-1763800000',
            values: { env: { LOG_LEVEL: 'debug' } },
          },
          production: { imageTag: '1.4.2', values: { replicas: 3 } },
        },
      }),
      service('engine', '2.1.0', {
        values: {
          replicas: 1,
          resources: { requests: { cpu: '500m', memory: '1Gi' } },
        },
        environments: {
          staging: { imageTag: 'main-8d1e0b7-1763790000' },
          production: { imageTag: '2.1.3' },
        },
      }),
    ],
    interval: '5m',
    notifications: {
      slackChannel: '#deployments',
      secretName: 'slack-webhook',
    },
    author: { name: 'Fleet Portal', email: 'fleet-portal@localhost' },
  };
}

/** A staging account with all three services, listed out of order. */
export function stagingAcme(
  overrides: Partial<RenderableAccount> = {},
): RenderableAccount {
  return {
    name: 'acme',
    displayName: 'Acme Corporation',
    environment: 'staging',
    region: 'europe-west4',
    gcpProject: 'acme-staging',
    cluster: 'staging-eu',
    active: true,
    isUat: false,
    owner: 'group:default/platform',
    labels: { tier: 'gold', 'acme.com/team': 'core' },
    services: [
      {
        name: 'backend',
        values: {
          replicas: 1,
          ingress: { host: 'acme.staging.example.com', enabled: true },
        },
      },
      { name: 'engine' },
      { name: 'admin' },
    ],
    ...overrides,
  };
}

/** A production account with two services and overrides of nested values. */
export function productionGlobex(
  overrides: Partial<RenderableAccount> = {},
): RenderableAccount {
  return {
    name: 'globex',
    displayName: 'Globex Inc.',
    environment: 'production',
    region: 'us-central1',
    gcpProject: 'acme-production-us',
    cluster: 'production-us',
    active: true,
    isUat: true,
    owner: 'group:default/customer-success',
    labels: {},
    services: [
      { name: 'admin' },
      {
        name: 'backend',
        values: {
          replicas: 4,
          resources: { limits: { memory: '2Gi' } },
          tolerations: [],
        },
      },
    ],
    ...overrides,
  };
}
