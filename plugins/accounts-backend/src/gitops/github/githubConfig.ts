import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';

/** Where the config repository is on GitHub and how to reach it. */
export interface GithubRepositorySettings {
  owner: string;
  repo: string;
  branch: string;
  /** The web host, e.g. `github.com` or a GitHub Enterprise host. */
  host: string;
  /** The integration's REST API base URL. */
  apiBaseUrl: string;
  /** A token for the next request (GitHub App tokens are refreshed). */
  getToken(): Promise<string>;
}

/** How the repositories on one GitHub host are reached. */
export interface GithubHostCredentials {
  /** The integration's REST API base URL. */
  apiBaseUrl: string;
  /** A token for the next request to `owner/repo` (GitHub App tokens are per installation and refreshed). */
  tokenFor(owner: string, repo: string): () => Promise<string>;
}

/**
 * The credentials of `integrations.github` for `host` (a token or a GitHub
 * App), found the way Backstage's GitHub integrations find them. `what`
 * names the config that needs them (`accounts.gitops.repository.github
 * (acme/config)`), for the message when there is no integration for the
 * host or it has neither a token nor an App.
 */
export function readGithubHostCredentials(
  config: Config,
  host: string,
  what: string,
): GithubHostCredentials {
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `${what} is on ${host}, but integrations.github has no entry for host ${host}; add one with a token or a GitHub App`,
    );
  }
  const { token, apps, apiBaseUrl } = integration.config;
  if (!token && !apps?.length) {
    throw new Error(
      `integrations.github for host ${host} has neither a token nor a GitHub App (apps), so ${what} cannot be used`,
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

/**
 * Reads `accounts.gitops.repository` (`github: { owner, repo, host? }`,
 * `branch?`) and the credentials of `integrations.github` for the host.
 * Fails with a message naming the host when none is configured.
 */
export function readGithubRepositorySettings(
  config: Config,
): GithubRepositorySettings {
  const repository = config.getConfig('accounts.gitops.repository');
  const github = repository.getConfig('github');
  const owner = github.getString('owner');
  const repo = github.getString('repo');
  const host = github.getOptionalString('host') ?? 'github.com';
  const branch = repository.getOptionalString('branch') ?? 'main';
  const credentials = readGithubHostCredentials(
    config,
    host,
    `accounts.gitops.repository.github (${owner}/${repo})`,
  );
  return {
    owner,
    repo,
    branch,
    host,
    apiBaseUrl: credentials.apiBaseUrl,
    getToken: credentials.tokenFor(owner, repo),
  };
}
