import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigRepository } from '../../../gitops/ConfigRepository';
import { DesiredState } from '../DesiredStateReader';

/** The reader's default TTL, also given explicitly where it matters. */
export const TTL = 5_000;

/** The environments' folders (`pathPrefix`) of the test configuration. */
export const FOLDERS = ['k8s/flux/staging', 'k8s/flux/production'];

/**
 * The repository, with every file read of its snapshots counted by path (a
 * pass-through: reads still go to the repository).
 */
export function countingReads(repository: ConfigRepository): {
  repository: ConfigRepository;
  reads: string[];
} {
  const reads: string[] = [];
  const counted: ConfigRepository = {
    location: repository.location,
    head: () => repository.head(),
    commit: request => repository.commit(request),
    lastCommit: path => repository.lastCommit(path),
    snapshot: async sha => {
      const snapshot = await repository.snapshot(sha);
      return {
        commit: snapshot.commit,
        list: folder => snapshot.list(folder),
        blobId: path => snapshot.blobId(path),
        read: path => {
          reads.push(path);
          return snapshot.read(path);
        },
      };
    },
  };
  return { repository: counted, reads };
}

const author = { name: 'Fleet Portal', email: 'fleet-portal@example.com' };

/** A HelmRelease as the portal renders it, reduced to what is read. */
export function helmRelease(service: string, tag: string): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    `  name: ${service}`,
    'spec:',
    '  values:',
    '    image:',
    `      tag: ${tag}`,
    '',
  ].join('\n');
}

/** The state's tags as plain objects, for readable expectations. */
export function plain(
  state: DesiredState,
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    [...state.tags].map(([account, services]) => [
      account,
      Object.fromEntries(services),
    ]),
  );
}

/** Writes (or, with `null`, deletes) files in one commit; returns its sha. */
export async function commitFiles(
  repository: ConfigRepository,
  files: Record<string, string | null>,
): Promise<string> {
  const result = await repository.commit({
    message: 'Test change',
    author,
    build: async () =>
      Object.entries(files).map(([path, content]) =>
        content === null ? { path, delete: true as const } : { path, content },
      ),
  });
  return result.commit.sha;
}

/**
 * For every test of the calling file: a fresh mock logger, and a fake
 * `performance.now()` (the reader's clock) that only `advance` moves; git,
 * HTTP and Octokit keep real timers.
 */
export function useReaderTestbed(): {
  logger(): jest.Mocked<LoggerService>;
  /** The messages of the warnings logged so far. */
  warnings(): string[];
  advance(ms: number): void;
} {
  let logger: jest.Mocked<LoggerService>;
  beforeEach(() => {
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    logger = mockServices.logger.mock() as jest.Mocked<LoggerService>;
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  return {
    logger: () => logger,
    warnings: () => (logger.warn as jest.Mock).mock.calls.map(c => c[0]),
    advance: ms => jest.advanceTimersByTime(ms),
  };
}
