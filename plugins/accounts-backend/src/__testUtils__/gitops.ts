import { execFileSync } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { testEnvironments } from './environments';

const chart = (name: string, version: string) => ({
  name: `./charts/${name}`,
  version,
  sourceRef: { kind: 'GitRepository', name: 'acme-helmcharts' },
});

/**
 * The `accounts` config of a test backend with a local config repository at
 * `repositoryPath`: staging follows image automation, production is pinned;
 * the services `backend` and `engine`.
 */
export function gitopsAccountsConfig(repositoryPath: string) {
  return {
    environments: testEnvironments.map(env => ({
      ...env,
      gitops: {
        imagePolicy: env.name === 'staging' ? 'automation' : 'pinned',
      },
    })),
    gitops: {
      repository: { branch: 'main', local: { path: repositoryPath } },
      notifications: { slackChannel: '#deployments', secretName: 'slack' },
      services: [
        {
          name: 'backend',
          chart: chart('backend', '1.4.0'),
          image: { repository: 'europe-docker.pkg.dev/acme/images/backend' },
          values: { replicas: 1 },
          environments: {
            staging: { imageTag: 'main-3f9c2a1-1763800000' },
            production: { imageTag: '1.4.2' },
          },
        },
        {
          name: 'engine',
          chart: chart('engine', '2.1.0'),
          image: { repository: 'europe-docker.pkg.dev/acme/images/engine' },
          environments: {
            staging: { imageTag: 'main-8d1e0b7-1763790000' },
            production: { imageTag: '2.1.3' },
          },
        },
      ],
    },
  };
}

/** A fresh folder for a config repository, removed after the test. */
export async function tempRepositoryPath(): Promise<{
  path: string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-config-'));
  return {
    path: join(dir, 'config.git'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs the git CLI against a bare repository and returns its output. */
export function git(repositoryPath: string, ...args: string[]): string {
  return execFileSync('git', [`--git-dir=${repositoryPath}`, ...args], {
    encoding: 'utf8',
  });
}
