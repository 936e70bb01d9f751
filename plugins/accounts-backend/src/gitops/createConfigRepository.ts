import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConfigRepository } from './ConfigRepository';
import { GithubConfigRepository } from './github/GithubConfigRepository';
import { LocalGitConfigRepository } from './local/LocalGitConfigRepository';

/**
 * The config repository of `accounts.gitops.repository`: a GitHub repository
 * (`github`) or a local bare repository (`local`, the embedded default), or
 * none when the block is absent.
 */
export async function createConfigRepository(
  config: Config,
  options: { logger: LoggerService },
): Promise<ConfigRepository | undefined> {
  const repository = config.getOptionalConfig('accounts.gitops.repository');
  if (!repository) return undefined;
  const kinds = ['github', 'local'].filter(k => repository.has(k));
  if (kinds.length !== 1) {
    throw new Error(
      `accounts.gitops.repository must hold exactly one of 'github' or 'local', found ${
        kinds.join(' and ') || 'neither'
      }`,
    );
  }
  return kinds[0] === 'github'
    ? GithubConfigRepository.fromConfig(config, options)
    : LocalGitConfigRepository.fromConfig(config, options);
}
