import { Config } from '@backstage/config';
import { resolve } from 'path';

/** Where the services' repositories are (`accounts.releases`). */
export type ReleasesConfig =
  | {
      kind: 'local';
      /** The folder holding one bare repository per service, `<service>.git`. */
      path: string;
    }
  | {
      kind: 'github';
      /** GitHub host, `github.com` unless GitHub Enterprise. */
      host: string;
      /** service → `owner/repo`. */
      repositories: ReadonlyMap<string, { owner: string; repo: string }>;
    };

const SLUG = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

function fail(key: string, message: string): never {
  throw new Error(`Invalid config ${key}: ${message}`);
}

/**
 * Reads `accounts.releases`: `local.path` (a folder of bare repositories,
 * relative to the working directory) or `github.repositories` (service →
 * `owner/repo`, credentials from `integrations.github`), not both;
 * `undefined` when absent (no releases). Every service named must be one of
 * `services` (`accounts.gitops.services`).
 */
export function readReleasesConfig(
  config: Config,
  services: readonly string[],
  workingDirectory = process.cwd(),
): ReleasesConfig | undefined {
  const section = config.getOptionalConfig('accounts.releases');
  if (!section) return undefined;
  const local = section.getOptionalConfig('local');
  const github = section.getOptionalConfig('github');
  if (local && github) {
    fail('accounts.releases', 'set either local or github, not both');
  }
  if (local) {
    return {
      kind: 'local',
      path: resolve(workingDirectory, local.getString('path')),
    };
  }
  if (!github) fail('accounts.releases', 'set local or github');
  const repositories = new Map<string, { owner: string; repo: string }>();
  const listed = github.getConfig('repositories');
  for (const service of listed.keys()) {
    const key = `accounts.releases.github.repositories.${service}`;
    if (!services.includes(service)) {
      fail(key, `'${service}' is not a service of accounts.gitops.services`);
    }
    const slug = listed.getString(service);
    const [owner, repo] = slug.split('/');
    if (!SLUG.test(slug) || /^\.+$/.test(repo)) {
      fail(key, `'${slug}' is not owner/repo`);
    }
    repositories.set(service, { owner, repo });
  }
  return {
    kind: 'github',
    host: github.getOptionalString('host') ?? 'github.com',
    repositories,
  };
}
