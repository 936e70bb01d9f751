/*
 * Benchmark: reading pages of the registry at 10,000 accounts,
 * on SQLite (in memory) and, when its connection string is set, PostgreSQL.
 * Prints figures; asserts nothing about time (shared, noisy machines).
 *
 *   make bench
 */
import { Knex } from 'knex';
import { DatabaseAccountsStore } from './DatabaseAccountsStore';
import { onEachBenchDatabase } from '../__testUtils__/benchDatabases';

const ACCOUNTS = 10_000;
const ROUNDS = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function measure(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p95 = percentile(times, 0.95);
  console.log(
    `  ${label.padEnd(44)} p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms`,
  );
  return p50;
}

async function run(name: string, knex: Knex) {
  const store = await DatabaseAccountsStore.create({
    database: { getClient: async () => knex },
  });
  const start = Date.now();
  for (let i = 0; i < ACCOUNTS; i++) {
    await store.createAccount(
      {
        name: `account-${String(i).padStart(5, '0')}`,
        displayName: `Account ${i}`,
        environment: i % 4 === 0 ? 'staging' : 'production',
        region: i % 2 ? 'europe-west4' : 'us-central1',
        gcpProject: `project-${i % 20}`,
        cluster: i % 2 ? 'production-eu' : 'production-us',
        active: true,
        isUat: i % 10 === 0,
        owner: 'group:default/platform',
        labels: { tier: 'gold' },
        services: [{ name: 'backend' }, { name: 'engine' }],
      },
      'user:default/bench',
    );
  }
  console.log(
    `${name}: inserted ${ACCOUNTS} accounts in ${Date.now() - start} ms`,
  );
  const first = await measure('list first page (50)', () =>
    store.listAccounts({ limit: 50, offset: 0 }),
  );
  const deep = await measure(`list page at offset ${ACCOUNTS - 50} (50)`, () =>
    store.listAccounts({ limit: 50, offset: ACCOUNTS - 50 }),
  );
  await measure('list production, UAT, active (50)', () =>
    store.listAccounts({
      environment: 'production',
      isUat: true,
      active: true,
      limit: 50,
      offset: 0,
    }),
  );
  const search = await measure("search q='count 12' (50)", () =>
    store.listAccounts({ q: 'count 12', limit: 50, offset: 0 }),
  );
  await measure('list staging, first page (50)', () =>
    store.listAccounts({ environment: 'staging', limit: 50, offset: 0 }),
  );
  const all = await measure('list 500 (the largest page)', () =>
    store.listAccounts({ limit: 500, offset: 0 }),
  );
  await measure('get one account by name', () =>
    store.getAccount('account-01234'),
  );
  console.log(
    `  ratios: deep/first page ${(deep / first).toFixed(2)}, search/first ${(
      search / first
    ).toFixed(2)}, 500/50 rows ${(all / first).toFixed(2)}`,
  );
}

async function main() {
  await onEachBenchDatabase('fleet_bench', run);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
