import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { join } from 'path';
import { ReleasesConfig } from '../releasesConfig';
import { LocalGitReleaseSource } from './LocalGitReleaseSource';
import { ReleaseSource } from './ReleaseSource';

/**
 * The release source of each configured service, made once per service
 * from `accounts.releases`.
 */
export class ReleaseSources {
  private readonly made = new Map<string, ReleaseSource>();

  constructor(
    private readonly options: {
      config: ReleasesConfig;
      /** The configured services (`accounts.gitops.services`). */
      services: readonly string[];
      logger: LoggerService;
    },
  ) {}

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
    throw new NotFoundError(
      `The service '${service}' has no repository in accounts.releases.github.repositories`,
    );
  }
}
