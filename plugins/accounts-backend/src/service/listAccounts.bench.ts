/*
 * Benchmark: `GET /api/accounts/accounts` over HTTP at 10,000 accounts.
 *
 * Starts the real accounts plugin in a test backend (a real HTTP server on
 * loopback), on SQLite (in memory) and, when its connection string is set,
 * on a fresh PostgreSQL database that it creates and drops. Requests are
 * sequential, over one keep-alive connection, with a mock user token, once
 * per permission decision (ALLOW; CONDITIONAL when the router applies it).
 * Prints p50/p95/max per case and ratios to the first page; asserts nothing
 * about time (shared, noisy machines), only that every answer is a 200.
 *
 *   make bench
 */
// A benchmark runs in development only, like the tests: the test backend
// stays a devDependency.
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ACCOUNT_RESOURCE_TYPE,
  Account,
} from '@fleet-portal/plugin-accounts-common';
import http from 'http';
import { Knex } from 'knex';
import { AddressInfo } from 'net';
import { accountsPlugin } from '../plugin';
import { insertAccounts } from '../__testUtils__/insertAccounts';
import { onEachBenchDatabase } from '../__testUtils__/benchDatabases';
import { testEnvironments } from '../__testUtils__/environments';

const ACCOUNTS = 10_000;
const WARM_UP = 20;
const ROUNDS = 200;
const TARGET_P95_MS = 50;

const environments = testEnvironments;

/**
 * Account i of the fleet: a fifth on staging, the rest on production split
 * over its two clusters (and so both regions); one in ten UAT (all of them
 * on production); one in seven inactive.
 */
function fleetAccount(i: number, at: string): Account {
  const staging = i % 5 === 0;
  const eu = staging || i % 2 === 1;
  return {
    name: `account-${String(i).padStart(5, '0')}`,
    displayName: `Account ${i}`,
    environment: staging ? 'staging' : 'production',
    region: eu ? 'europe-west4' : 'us-central1',
    gcpProject: `fleet-${staging ? 'staging' : 'production'}-${i % 20}`,
    cluster: staging ? 'staging-eu' : `production-${eu ? 'eu' : 'us'}`,
    active: i % 7 !== 0,
    isUat: i % 10 === 3,
    owner: `group:default/team-${i % 8}`,
    labels: { tier: i % 3 === 0 ? 'gold' : 'silver' },
    services: [
      { name: 'backend', values: { replicas: 2 } },
      { name: 'engine' },
      { name: 'admin' },
    ],
    createdAt: at,
    createdBy: 'user:default/bench',
    updatedAt: at,
    updatedBy: 'user:default/bench',
    version: 1,
  };
}

function fleet(at: string): Account[] {
  return Array.from({ length: ACCOUNTS }, (_, i) => fleetAccount(i, at));
}

/** Writes the fleet straight into the tables: rows and their history. */
async function loadFleet(knex: Knex) {
  await insertAccounts(knex, fleet(new Date().toISOString()));
}

type Answer = { status: number; bytes: number; body: Buffer };

/** One GET over the keep-alive agent, the body read to its end. */
function get(
  agent: http.Agent,
  port: number,
  path: string,
  authorization?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        agent,
        headers: authorization ? { authorization } : {},
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: body.length, body });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

type Case = { label: string; path: string; auth: boolean };

type Figures = { p50: number; p95: number; max: number };

const FIRST_PAGE = 'first page (50)';

/** The cases, for a caller who may see `visible` accounts. */
function casesFor(visible: number): Case[] {
  return [
    { label: 'health (no auth, no database)', path: '/health', auth: false },
    {
      label: 'environments (auth + permission only)',
      path: '/environments',
      auth: true,
    },
    { label: FIRST_PAGE, path: '/accounts', auth: true },
    {
      label: 'production, UAT, active (50)',
      path: '/accounts?environment=production&uat=true&active=true',
      auth: true,
    },
    {
      label: "q='count 12' (50)",
      path: `/accounts?q=${encodeURIComponent('count 12')}`,
      auth: true,
    },
    {
      label: 'deep page, the last 50',
      path: `/accounts?offset=${visible - 50}`,
      auth: true,
    },
    { label: 'limit=500', path: '/accounts?limit=500', auth: true },
  ];
}

/** The cases that list accounts, the first page among them. */
const listing = (c: Case) => c.path.startsWith('/accounts');

async function measure(
  agent: http.Agent,
  port: number,
  benchCase: Case,
): Promise<Figures> {
  const path = `/api/accounts${benchCase.path}`;
  const authorization = benchCase.auth
    ? mockCredentials.user.header()
    : undefined;
  const first = await get(agent, port, path, authorization);
  if (first.status !== 200) {
    throw new Error(
      `GET ${path} answered ${first.status}: ${first.body.toString()}`,
    );
  }
  for (let i = 0; i < WARM_UP; i++) await get(agent, port, path, authorization);
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    const answer = await get(agent, port, path, authorization);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (answer.status !== 200) {
      throw new Error(`GET ${path} answered ${answer.status}`);
    }
  }
  times.sort((a, b) => a - b);
  const figures = {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times[times.length - 1],
  };
  const parsed = JSON.parse(first.body.toString());
  const rows =
    Array.isArray(parsed.items) && typeof parsed.totalCount === 'number'
      ? `${String(parsed.items.length).padStart(3)} of ${String(
          parsed.totalCount,
        ).padStart(5)}`
      : '';
  console.log(
    `    ${benchCase.label.padEnd(38)} p50 ${figures.p50
      .toFixed(2)
      .padStart(6)} ms  p95 ${figures.p95
      .toFixed(2)
      .padStart(6)} ms  max ${figures.max.toFixed(2).padStart(6)} ms  ${String(
      first.bytes,
    ).padStart(7)} B  ${rows}`,
  );
  return figures;
}

/**
 * The permission decisions measured. CONDITIONAL is what a policy answers
 * with, e.g., "staging, plus production accounts owned by my teams": the
 * plugin turns it into SQL on lists. The conditions are written as they
 * travel (rule names and params), not built with the plugin's helpers.
 */
const decisions: Array<{
  label: string;
  permissions: PermissionsService;
  /** How many accounts the decision lets the caller see. */
  visible: number;
}> = [
  {
    label: 'ALLOW',
    permissions: decidingPermissions({ result: AuthorizeResult.ALLOW }),
    visible: ACCOUNTS,
  },
  {
    label: 'CONDITIONAL (staging, or owned by team-1 or team-2)',
    visible: fleet(new Date().toISOString()).filter(
      a =>
        a.environment === 'staging' ||
        ['group:default/team-1', 'group:default/team-2'].includes(a.owner),
    ).length,
    permissions: decidingPermissions({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'accounts',
      resourceType: ACCOUNT_RESOURCE_TYPE,
      conditions: {
        anyOf: [
          {
            rule: 'IS_IN_ENVIRONMENT',
            resourceType: ACCOUNT_RESOURCE_TYPE,
            params: { environments: ['staging'] },
          },
          {
            rule: 'IS_OWNED_BY',
            resourceType: ACCOUNT_RESOURCE_TYPE,
            params: {
              claims: ['group:default/team-1', 'group:default/team-2'],
            },
          },
        ],
      },
    }),
  },
];

/**
 * A permission service answering every resource permission with the
 * decision given and allowing every basic one.
 */
function decidingPermissions(decision: PolicyDecision): PermissionsService {
  return {
    async authorize(requests) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
    async authorizeConditional(requests) {
      return requests.map(() => decision);
    },
  };
}

/** Starts the plugin with the decision given and measures every case. */
async function measureDecision(
  knex: Knex,
  decision: (typeof decisions)[number],
  loadFleetFirst: boolean,
): Promise<Map<string, Figures> | undefined> {
  const backend = await startTestBackend({
    features: [
      accountsPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { accounts: { environments } },
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => decision.permissions,
      }),
    ],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    if (loadFleetFirst) {
      const start = Date.now();
      await loadFleet(knex);
      console.log(`  loaded in ${Date.now() - start} ms`);
    }
    const port = (backend.server.address() as AddressInfo).port;
    const probe = await get(
      agent,
      port,
      '/api/accounts/accounts',
      mockCredentials.user.header(),
    );
    if (decision.visible !== ACCOUNTS) {
      const seen =
        probe.status === 200
          ? JSON.parse(probe.body.toString()).totalCount
          : undefined;
      if (seen !== decision.visible) {
        console.log(
          `  permission decision ${
            decision.label
          }: skipped (GET /accounts answers ${probe.status}${
            seen === undefined ? '' : ` with ${seen} accounts`
          }, not the ${
            decision.visible
          } the conditions allow: the router does not apply conditional decisions to lists)`,
        );
        return undefined;
      }
    }
    console.log(`  permission decision ${decision.label}:`);
    // Warms the HTTP stack and the JIT before the first measured case.
    for (let i = 0; i < 200; i++) {
      await get(agent, port, '/api/accounts/health');
    }
    const figures = new Map<string, Figures>();
    const cases = casesFor(decision.visible);
    for (const benchCase of cases) {
      figures.set(benchCase.label, await measure(agent, port, benchCase));
    }
    const firstPage = figures.get(FIRST_PAGE)!;
    const ratios = cases
      .filter(c => listing(c) && c.label !== FIRST_PAGE)
      .map(c => {
        const f = figures.get(c.label)!;
        return `      ${c.label.padEnd(36)} p50 x${(
          f.p50 / firstPage.p50
        ).toFixed(2)}  p95 x${(f.p95 / firstPage.p95).toFixed(2)}`;
      });
    console.log(`    ratios to the first page:\n${ratios.join('\n')}`);
    const worst = Math.max(
      ...cases.filter(listing).map(c => figures.get(c.label)!.p95),
    );
    console.log(
      `    slowest p95 of GET /accounts: ${worst.toFixed(
        2,
      )} ms (target under ${TARGET_P95_MS} ms: ${
        worst < TARGET_P95_MS ? 'met' : 'NOT met'
      })`,
    );
    return figures;
  } finally {
    agent.destroy();
    await backend.stop();
  }
}

/** The plugin on this database, loaded with the fleet, per decision. */
async function run(name: string, knex: Knex) {
  console.log(
    `${name}: ${ACCOUNTS} accounts; ${ROUNDS} requests per case after ${WARM_UP} to warm up`,
  );
  const byDecision: Array<Map<string, Figures>> = [];
  for (const [index, decision] of decisions.entries()) {
    // The first backend applies the migrations; then the fleet goes in.
    const figures = await measureDecision(knex, decision, index === 0);
    if (figures) byDecision.push(figures);
  }
  if (byDecision.length === 2) {
    const [allow, conditional] = byDecision;
    console.log('  CONDITIONAL / ALLOW:');
    for (const c of casesFor(ACCOUNTS).filter(listing)) {
      const a = allow.get(c.label)!;
      const b = conditional.get(c.label)!;
      console.log(
        `    ${c.label.padEnd(38)} p50 x${(b.p50 / a.p50).toFixed(2)}  p95 x${(
          b.p95 / a.p95
        ).toFixed(2)}`,
      );
    }
  }
}

async function main() {
  const started = Date.now();
  await onEachBenchDatabase('fleet_bench_http', run);
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
