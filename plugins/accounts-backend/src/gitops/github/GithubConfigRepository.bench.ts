/*
 * Benchmark: GitOps commits to a GitHub config repository of 2,000 account
 * folders, with the real Octokit client against the local GitHub server
 * (same process, so its work is in the wall time too). Each change renders
 * the accounts with renderAccountFolder (reading their current files from
 * the head, as the portal does) and commits them: 1, 100 and 2,000 folders.
 * Prints GitHub write calls, total calls and wall time; asserts nothing.
 *
 *   make bench
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { GithubTestServer } from '@fleet-portal/test-servers';
import {
  ConfigCommitResult,
  ConfigFileChange,
  ConfigSnapshot,
} from '../ConfigRepository';
import {
  productionGlobex,
  stagingAcme,
} from '../render/__fixtures__/gitopsFixtures';
import { RenderableAccount } from '../render/fluxObjects';
import { GitopsConfig } from '../render/gitopsConfig';
import { renderAccountFolder } from '../render/renderAccountFolder';
import { testGitopsConfig } from '../render/__fixtures__/gitopsFixtures';
import {
  GithubConfigRepository,
  GithubConfigRepositoryOptions,
} from './GithubConfigRepository';

const ACCOUNTS = 2_000;
const OWNER = 'acme';
const REPO = 'config';
const TOKEN = 'bench-token';
const author = { name: 'Fleet Portal', email: 'fleet-portal@example.com' };

const silent: LoggerService = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silent,
};

function account(i: number, revision: string): RenderableAccount {
  const name = `account-${String(i).padStart(4, '0')}`;
  const base = i % 2 === 0 ? stagingAcme() : productionGlobex();
  return {
    ...base,
    name,
    displayName: `Account ${i}`,
    gcpProject: `${base.gcpProject}-${i % 20}`,
    labels: { ...base.labels, revision },
  };
}

interface BuildTimes {
  readMs: number;
  renderMs: number;
}

/**
 * The changes that render `accounts` into their folders at `head`: first
 * their current files are read (as the renderer needs them), then rendered.
 */
async function renderChanges(
  head: ConfigSnapshot,
  accounts: RenderableAccount[],
  config: GitopsConfig,
  times: BuildTimes,
): Promise<ConfigFileChange[]> {
  let start = Date.now();
  const folders = await Promise.all(
    accounts.map(async a => {
      const folder = `${
        config.environments.find(e => e.name === a.environment)!.pathPrefix
      }/${a.name}`;
      const current = new Map<string, string>();
      await Promise.all(
        head.list(folder).map(async p => {
          current.set(p.slice(folder.length + 1), (await head.read(p)) ?? '');
        }),
      );
      return { account: a, folder, current };
    }),
  );
  times.readMs += Date.now() - start;
  start = Date.now();
  const changes = folders.flatMap(({ account: a, folder, current }) => {
    const rendered = renderAccountFolder({ account: a, current }, config);
    const names = new Set(rendered.files.map(f => f.name));
    return [
      ...rendered.files.map(f => ({
        path: `${rendered.folder}/${f.name}`,
        content: f.content,
      })),
      ...[...current.keys()]
        .filter(n => !names.has(n))
        .map(n => ({ path: `${folder}/${n}`, delete: true as const })),
    ];
  });
  times.renderMs += Date.now() - start;
  return changes;
}

function renderSeed(config: GitopsConfig) {
  const start = Date.now();
  const seed: Record<string, string> = {};
  for (let i = 0; i < ACCOUNTS; i++) {
    const { folder, files } = renderAccountFolder(
      { account: account(i, 'r0'), current: new Map() },
      config,
    );
    for (const f of files) seed[`${folder}/${f.name}`] = f.content;
  }
  const bytes = Object.values(seed).reduce((n, c) => n + c.length, 0);
  console.log(
    `seed: ${ACCOUNTS} folders, ${Object.keys(seed).length} files, ${(
      bytes / 1e6
    ).toFixed(1)} MB, rendered in ${Date.now() - start} ms`,
  );
  return seed;
}

async function run(
  label: string,
  seed: Record<string, string>,
  tuning: Partial<GithubConfigRepositoryOptions>,
) {
  const config = testGitopsConfig();
  const server = await GithubTestServer.start({ token: TOKEN });
  try {
    server.createRepository(OWNER, REPO, { files: seed });
    console.log(label);
    // A new client per change: its caches are cold, so each figure
    // includes reading the head's tree and the files the renderer needs.
    const client = () =>
      new GithubConfigRepository({
        baseUrl: server.url,
        token: TOKEN,
        owner: OWNER,
        repo: REPO,
        logger: silent,
        ...tuning,
      });
    const report = (
      what: string,
      result: ConfigCommitResult,
      ms: number,
      times: BuildTimes,
    ) => {
      const writes = server.requestsMatching({ write: true }).length;
      const byRoute = new Map<string, number>();
      for (const r of server.requests) {
        byRoute.set(r.route, (byRoute.get(r.route) ?? 0) + 1);
      }
      const changed = result.status === 'committed' ? result.changed.length : 0;
      console.log(
        `  ${what}: ${
          result.status
        }, ${changed} files changed; ${writes} write calls, ${
          server.requests.length
        } calls in all; ${ms} ms = reading ${times.readMs} + rendering ${
          times.renderMs
        } + committing ${ms - times.readMs - times.renderMs}\n      calls: ${[
          ...byRoute,
        ]
          .map(([route, count]) => `${route} ${count}`)
          .join(', ')}`,
      );
    };

    for (const [n, revision] of [
      [1, 'r1'],
      [100, 'r2'],
      [ACCOUNTS, 'r3'],
    ] as const) {
      const accounts = Array.from({ length: n }, (_, i) =>
        account(Math.floor((i * ACCOUNTS) / n), revision),
      );
      server.clearRequests();
      const start = Date.now();
      const times = { readMs: 0, renderMs: 0 };
      const result = await client().commit({
        message: `Render ${n} account(s)`,
        author,
        build: head => renderChanges(head, accounts, config, times),
      });
      report(
        `${String(n).padStart(5)} folder(s) rendered`,
        result,
        Date.now() - start,
        times,
      );
    }

    // The write side alone at its largest: every file of every folder.
    server.clearRequests();
    const start = Date.now();
    const result = await client().commit({
      message: 'Rewrite every file',
      author,
      build: async () =>
        Object.entries(seed).map(([path, content]) => ({
          path,
          content: `${content}# rewritten\n`,
        })),
    });
    report(
      `${Object.keys(seed).length} files rewritten (no rendering)`,
      result,
      Date.now() - start,
      { readMs: 0, renderMs: 0 },
    );
  } finally {
    await server.stop();
  }
}

async function main() {
  const seed = renderSeed(testGitopsConfig());
  await run(
    'GitHub config repository, production settings (writes 1 s apart, as GitHub asks):',
    seed,
    {},
  );
  await run('Same, writes not spaced (the portal and server alone):', seed, {
    writeSpacingMs: 0,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
