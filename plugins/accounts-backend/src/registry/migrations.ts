import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Where the dated knex migrations of the registry live. */
export const migrationsDirectory = resolvePackagePath(
  '@fleet-portal/plugin-accounts-backend',
  'migrations',
);

/** Brings a database's schema up to the newest migration. */
export async function applyMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDirectory });
}

/** Undoes every migration (tests use it to prove `down` works). */
export async function rollbackMigrations(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ directory: migrationsDirectory }, true);
}
