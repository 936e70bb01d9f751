import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { GithubTestServer } from '@fleet-portal/test-servers';
import { ConfigRepositoryFixture } from '../../../__testUtils__/configRepositoryContract';
import {
  GithubConfigRepository,
  GithubConfigRepositoryOptions,
} from '../GithubConfigRepository';

export const OWNER = 'acme';
export const REPO = 'config';
export const BRANCH = 'main';
/** A sentinel: it must never appear in an error, log or request log. */
export const TOKEN = 'ghs_sentinel_token_do_not_leak_1234567890';

/** A GitHub test server holding `acme/config` and clients of it. */
export interface GithubFixture extends ConfigRepositoryFixture {
  server: GithubTestServer;
  logger: LoggerService;
  /** A client with quick retries, optionally tuned further. */
  client(
    overrides?: Partial<GithubConfigRepositoryOptions>,
  ): GithubConfigRepository;
}

/**
 * Starts a {@link GithubTestServer} that requires {@link TOKEN}, with
 * `acme/config` whose `main` holds one commit of `seed`. Clients retry
 * quickly (10 ms backoff base, no write spacing) so fault tests stay fast.
 */
export async function startGithubFixture(
  seed: Record<string, string>,
  serverOptions: { maxTreeEntries?: number } = {},
): Promise<GithubFixture> {
  const server = await GithubTestServer.start({
    token: TOKEN,
    ...serverOptions,
  });
  server.createRepository(OWNER, REPO, { branch: BRANCH, files: seed });
  const logger = mockServices.logger.mock();
  return {
    server,
    logger,
    client: overrides =>
      new GithubConfigRepository({
        baseUrl: server.url,
        token: TOKEN,
        owner: OWNER,
        repo: REPO,
        branch: BRANCH,
        logger,
        writeSpacingMs: 0,
        retryBaseDelayMs: 10,
        conflictBackoffMs: 5,
        ...overrides,
      }),
    history: async () => server.branchHistory(OWNER, REPO, BRANCH),
    close: () => server.stop(),
  };
}
