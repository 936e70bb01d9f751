import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import semver from 'semver';
import { GitopsConfig } from '../gitops/render/gitopsConfig';
import { seedDemoServiceRepositories } from './demo/seedDemoServiceRepositories';
import { ReleaseService } from './ReleaseService';
import { readReleasesConfig } from './releasesConfig';
import { ReleaseSources } from './source/ReleaseSources';

/**
 * The {@link ReleaseService} of `accounts.releases`, or `undefined` when it
 * is not configured. With `accounts.demoData` and local repositories, every
 * service without a repository gets a demo one whose releases lead up to
 * the production version it is configured with.
 */
export async function createReleaseService(options: {
  config: Config;
  gitops: GitopsConfig;
  logger: LoggerService;
}): Promise<ReleaseService | undefined> {
  const { config, gitops, logger } = options;
  const names = gitops.services.map(s => s.name);
  const releases = readReleasesConfig(config, names);
  if (!releases) return undefined;
  if (
    releases.kind === 'local' &&
    config.getOptionalBoolean('accounts.demoData')
  ) {
    await seedDemoServiceRepositories({
      path: releases.path,
      services: new Map(
        gitops.services.map(s => {
          const tag = s.environments?.production?.imageTag;
          return [s.name, tag && semver.valid(tag) ? tag : '1.0.0'];
        }),
      ),
      logger,
    });
  }
  return new ReleaseService(
    new ReleaseSources({
      config: releases,
      services: names,
      logger,
      rootConfig: config,
    }),
  );
}
