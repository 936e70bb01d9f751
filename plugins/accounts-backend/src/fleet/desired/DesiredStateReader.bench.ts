/*
 * Benchmark: reading the fleet's desired state from a local config
 * repository of 2,000 accounts × 20 services (40,000 HelmRelease files, as
 * the portal renders them, written with `git fast-import` and left as loose
 * objects, as the portal's own commits leave them).
 *
 * Prints, in one run:
 * - the cold read (a new reader: list the tree, read and parse every file);
 * - a read after a commit that moves one service's tag in 50 accounts (a
 *   release to a cohort): only the changed files are read and parsed;
 * - a read with the head unchanged;
 * and the ratio of the cold read to the read after a commit. Asserts only
 * that the answers are right (the planned tags, the moved tags).
 *
 *   make bench
 */
import { mockServices } from '@backstage/backend-test-utils';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigRepository } from '../../gitops/ConfigRepository';
import { LocalGitConfigRepository } from '../../gitops/local/LocalGitConfigRepository';
import {
  FLEET_SERVICES,
  accountName,
  fleetGitopsConfig,
  plannedDesiredTags,
  renderFleet,
  writeConfigRepository,
} from '../__testUtils__/fleetFixtures';
import { DesiredState, DesiredStateReader } from './DesiredStateReader';
import { countingReads } from './__testUtils__/desiredState';

const ACCOUNTS = 2_000;
const COHORT = 50;
const MOVED_SERVICE = FLEET_SERVICES[3];
const MOVED_TAG = 'main-0badc0d-1764000000';

const ms = (value: number) => `${Math.round(value)} ms`;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

function check(condition: boolean, problem: string) {
  if (!condition) throw new Error(problem);
}

function sameTags(
  state: DesiredState,
  planned: Map<string, Map<string, string>>,
) {
  if (state.tags.size !== planned.size) return false;
  for (const [account, services] of planned) {
    const read = state.tags.get(account);
    if (!read || read.size !== services.size) return false;
    for (const [service, tag] of services) {
      if (read.get(service) !== tag) return false;
    }
  }
  return true;
}

/** Moves `service`'s tag in the first `count` accounts, in one commit. */
async function releaseToCohort(repository: ConfigRepository, count: number) {
  const gitops = fleetGitopsConfig();
  const prefix = (environment: string) =>
    gitops.environments.find(e => e.name === environment)!.pathPrefix;
  const planned = plannedDesiredTags(count);
  await repository.commit({
    message: `Release ${MOVED_SERVICE} ${MOVED_TAG} to ${count} accounts`,
    author: { name: 'Fleet Portal', email: 'fleet-portal@example.com' },
    build: async head => {
      const changes = [];
      for (const account of planned.keys()) {
        const [path] = gitops.environments
          .map(
            e =>
              `${prefix(e.name)}/${account}/helmrelease-${MOVED_SERVICE}.yaml`,
          )
          .filter(candidate => head.blobId(candidate) !== undefined);
        const content = (await head.read(path))!;
        const old = planned.get(account)!.get(MOVED_SERVICE)!;
        changes.push({
          path,
          content: content.replace(`tag: ${old}`, `tag: ${MOVED_TAG}`),
        });
      }
      return changes;
    },
  });
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'fleet-desired-bench-'));
  try {
    const rendered = renderFleet(ACCOUNTS);
    const path = join(dir, 'config-repo.git');
    const build = await writeConfigRepository(path, rendered.folders);
    console.log(
      `  repository: ${build.files} files (${
        build.helmReleaseFiles
      } HelmReleases, ${(build.bytes / 1024 / 1024).toFixed(
        1,
      )} MB) written in ${ms(build.ms)}`,
    );
    const local = await LocalGitConfigRepository.open({
      path,
      branch: 'main',
      logger: mockServices.rootLogger({ level: 'warn' }),
    });
    const { repository, reads } = countingReads(local);
    const reader = new DesiredStateReader({
      repository,
      folders: fleetGitopsConfig().environments.map(e => e.pathPrefix),
      logger: mockServices.rootLogger({ level: 'warn' }),
      headTtlMs: 0,
    });
    const planned = plannedDesiredTags(ACCOUNTS);

    const [cold, coldMs] = await timed(() => reader.read());
    check(sameTags(cold, planned), 'the cold read differs from the plan');
    const coldReads = reads.length;

    await releaseToCohort(local, COHORT);
    reads.length = 0;
    const [moved, movedMs] = await timed(() => reader.read());
    for (let i = 0; i < ACCOUNTS; i++) {
      const tag = moved.tags.get(accountName(i))?.get(MOVED_SERVICE);
      const expected =
        i < COHORT
          ? MOVED_TAG
          : planned.get(accountName(i))!.get(MOVED_SERVICE);
      check(
        tag === expected,
        `${accountName(i)} reads ${tag}, not ${expected}`,
      );
    }
    const movedReads = reads.length;

    reads.length = 0;
    const [same, sameMs] = await timed(() => reader.read());
    check(
      same === moved && reads.length === 0,
      'an unchanged head was read again',
    );

    console.log(
      `  cold read (new reader):           ${ms(
        coldMs,
      )}, ${coldReads} files read and parsed (${(
        (coldMs * 1000) /
        coldReads
      ).toFixed(0)} µs a file)`,
    );
    console.log(
      `  after a commit of ${COHORT} files:     ${ms(
        movedMs,
      )}, ${movedReads} files read and parsed`,
    );
    console.log(
      `  head unchanged:                   ${sameMs.toFixed(
        1,
      )} ms, 0 files read`,
    );
    console.log(
      `  ratio cold / after a commit:      ${(coldMs / movedMs).toFixed(0)}x`,
    );
    console.log(
      `  heap in use: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(
        0,
      )} MB`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
