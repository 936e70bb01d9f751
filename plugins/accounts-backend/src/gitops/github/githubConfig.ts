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

/**
 * Reads `accounts.gitops.repository` (`github: { owner, repo, host? }`,
 * `branch?`) and finds the credentials of `integrations.github` for the
 * host, the way Backstage's GitHub integrations do (a token or GitHub App).
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
  const name = `${owner}/${repo}`;

  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `accounts.gitops.repository.github (${name}) is on ${host}, but integrations.github has no entry for host ${host}; add one with a token or a GitHub App`,
    );
  }
  const { token, apps, apiBaseUrl } = integration.config;
  if (!token && !apps?.length) {
    throw new Error(
      `integrations.github for host ${host} has neither a token nor a GitHub App (apps), so the config repository ${name} cannot be written`,
    );
  }
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const url = `https://${host}/${owner}/${repo}`;
  return {
    owner,
    repo,
    branch,
    host,
    apiBaseUrl:
      apiBaseUrl ??
      (host === 'github.com'
        ? 'https://api.github.com'
        : `https://${host}/api/v3`),
    async getToken() {
      // Cached by the provider; an App's installation token is renewed
      // before it expires.
      const { token: current } = await credentials.getCredentials({ url });
      if (!current) {
        throw new Error(
          `integrations.github for host ${host} gave no credentials for ${name}; is the GitHub App installed for ${owner}?`,
        );
      }
      return current;
    },
  };
}
