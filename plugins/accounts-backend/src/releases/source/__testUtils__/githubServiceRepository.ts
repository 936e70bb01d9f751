import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { GithubTestServer } from '@fleet-portal/test-servers';
import {
  GithubReleaseSource,
  GithubReleaseSourceOptions,
} from '../GithubReleaseSource';
import { ReleaseSourceFixture } from './releaseSourceContract';

export const OWNER = 'acme';
export const REPO = 'service';
/** A sentinel: it must never appear in an error or a log line. */
export const TOKEN = 'ghs_release_sentinel_token_do_not_leak_0987654321';

/** A service repository on a GitHub test server, and clients of it. */
export interface GithubServiceRepository extends ReleaseSourceFixture {
  server: GithubTestServer;
  logger: LoggerService;
  /** A client with quick retries, optionally tuned further. */
  source(overrides?: Partial<GithubReleaseSourceOptions>): GithubReleaseSource;
}

/**
 * Starts a {@link GithubTestServer} that requires {@link TOKEN}, holding
 * `acme/service` whose `main` has the commit `chore: initial commit`, as a
 * developer would have pushed it. Clients retry quickly (10 ms backoff
 * base, no write spacing).
 */
export async function startGithubServiceRepository(): Promise<GithubServiceRepository> {
  const server = await GithubTestServer.start({ token: TOKEN });
  const author = (date: string) => ({
    name: 'Dana Developer',
    email: 'dana@example.com',
    date,
  });
  server.createRepository(OWNER, REPO, {
    message: 'chore: initial commit',
    author: author('2026-10-01T10:00:00Z'),
  });
  const logger = mockServices.logger.mock();
  return {
    server,
    logger,
    source: overrides =>
      new GithubReleaseSource({
        owner: OWNER,
        repo: REPO,
        baseUrl: server.url,
        token: TOKEN,
        logger,
        writeSpacingMs: 0,
        retryBaseDelayMs: 10,
        ...overrides,
      }),
    // Every commit keeps its parent's (empty) tree: history is what a
    // release reads.
    commit: async (branch, message, date) =>
      server.commitFiles(
        OWNER,
        REPO,
        branch,
        {},
        {
          message,
          author: author(date),
        },
      ),
    tag: async (name, sha) => {
      server.createTag(OWNER, REPO, name, sha);
    },
    close: () => server.stop(),
  };
}
