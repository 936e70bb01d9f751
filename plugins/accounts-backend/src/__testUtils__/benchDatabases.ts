import knexFactory, { Knex } from 'knex';

/**
 * Runs a benchmark on SQLite in memory, then on a PostgreSQL database of its
 * own (created for the run and dropped after it) when
 * `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` is set. Benchmarks
 * run as plain Node scripts, outside jest, so `TestDatabases` cannot serve.
 */
export async function onEachBenchDatabase(
  name: string,
  run: (label: string, knex: Knex) => Promise<void>,
): Promise<void> {
  const sqlite = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    await run('SQLite (in memory)', sqlite);
  } finally {
    await sqlite.destroy();
  }

  const pgUrl =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!pgUrl) {
    console.log('PostgreSQL: skipped (no connection string set)');
    return;
  }
  const database = `${name}_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw('CREATE DATABASE ??', [database]);
  const pg = knexFactory({
    client: 'pg',
    connection: `${pgUrl.replace(/\/$/, '')}/${database}`,
  });
  try {
    await run('PostgreSQL 15', pg);
  } finally {
    await pg.destroy();
    await admin.raw('DROP DATABASE ??', [database]);
    await admin.destroy();
  }
}
