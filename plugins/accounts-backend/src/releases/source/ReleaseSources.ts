import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { join } from 'path';
import { GithubClientTuning } from '../../gitops/github/githubClient';
import {
  GithubHostCredentials,
  readGithubHostCredentials,
} from '../../gitops/github/githubConfig';
import { ReleasesConfig } from '../releasesConfig';
import { GithubReleaseSource } from './GithubReleaseSource';
import { LocalGitReleaseSource } from './LocalGitReleaseSource';
import { ReleaseSource } from './ReleaseSource';

/**
 * The release source of each configured service, made once per service
 * from `accounts.releases`.
 */
export class ReleaseSources {
  private readonly made = new Map<string, ReleaseSource>();
  private readonly credentials?: GithubHostCredentials;

  constructor(
    private readonly options: {
      config: ReleasesConfig;
      /** The configured services (`accounts.gitops.services`). */
      services: readonly string[];
      logger: LoggerService;
      /**
       * The root config, whose `integrations.github` holds the credentials
       * of `accounts.releases.github`; needed for that kind only.
       */
      rootConfig?: Config;
      /** How hard GitHub clients try (tests shorten the waits). */
      github?: GithubClientTuning;
    },
  ) {
    // Read at start-up, so a missing integration fails then, naming the host.
    const { config, rootConfig } = options;
    if (config.kind === 'github') {
      if (!rootConfig) {
        throw new Error(
          'accounts.releases.github needs the root config (integrations.github) passed to ReleaseSources',
        );
      }
      this.credentials = readGithubHostCredentials(
        rootConfig,
        config.host,
        'accounts.releases.github',
      );
    }
  }

  /** The configured services, in configuration order. */
  get services(): readonly string[] {
    return this.options.services;
  }

  /** Whether `service` has a release source. */
  has(service: string): boolean {
    const { config, services } = this.options;
    if (!services.includes(service)) return false;
    return config.kind === 'local' || config.repositories.has(service);
  }

  /** The service's source; a `NotFoundError` naming it when it has none. */
  get(service: string): ReleaseSource {
    let source = this.made.get(service);
    if (source) return source;
    if (!this.options.services.includes(service)) {
      throw new NotFoundError(`No service '${service}' is configured`);
    }
    source = this.create(service);
    this.made.set(service, source);
    return source;
  }

  private create(service: string): ReleaseSource {
    const { config, logger } = this.options;
    if (config.kind === 'local') {
      return new LocalGitReleaseSource({
        gitdir: join(config.path, `${service}.git`),
        logger,
      });
    }
    const repository = config.repositories.get(service);
    if (!repository) {
      throw new NotFoundError(
        `The service '${service}' has no repository in accounts.releases.github.repositories`,
      );
    }
    const credentials = this.credentials!;
    return new GithubReleaseSource({
      ...this.options.github,
      ...repository,
      host: config.host,
      baseUrl: credentials.apiBaseUrl,
      token: credentials.tokenFor(repository.owner, repository.repo),
      logger,
    });
  }
}
