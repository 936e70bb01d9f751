import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { join } from 'path';
import { GithubClientTuning } from '../../gitops/github/githubClient';
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
  private readonly credentials?: GithubReleaseCredentials;

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
      this.credentials = readGithubReleaseCredentials(rootConfig, config.host);
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

/** How the services' repositories on one GitHub host are reached. */
interface GithubReleaseCredentials {
  /** The integration's REST API base URL. */
  apiBaseUrl: string;
  /** A token for the next request to `owner/repo` (App tokens are per installation). */
  tokenFor(owner: string, repo: string): () => Promise<string>;
}

/**
 * The credentials of `integrations.github` for `host` (a token or a GitHub
 * App), as the config repository finds them (`githubConfig.ts`), for the
 * services' repositories of `accounts.releases.github`. Fails with a
 * message naming the host when none is configured.
 */
function readGithubReleaseCredentials(
  config: Config,
  host: string,
): GithubReleaseCredentials {
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `accounts.releases.github is on ${host}, but integrations.github has no entry for host ${host}; add one with a token or a GitHub App`,
    );
  }
  const { token, apps, apiBaseUrl } = integration.config;
  if (!token && !apps?.length) {
    throw new Error(
      `integrations.github for host ${host} has neither a token nor a GitHub App (apps), so the services' releases cannot be read or made`,
    );
  }
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return {
    apiBaseUrl:
      apiBaseUrl ??
      (host === 'github.com'
        ? 'https://api.github.com'
        : `https://${host}/api/v3`),
    tokenFor: (owner, repo) => async () => {
      // Cached by the provider; an App's installation token is renewed
      // before it expires.
      const { token: current } = await credentials.getCredentials({
        url: `https://${host}/${owner}/${repo}`,
      });
      if (!current) {
        throw new Error(
          `integrations.github for host ${host} gave no credentials for ${owner}/${repo}; is the GitHub App installed for ${owner}?`,
        );
      }
      return current;
    },
  };
}
