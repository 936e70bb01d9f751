/**
 * The fleet benchmark's account registry: the fixtures' accounts written
 * straight into the plugin's tables, skipping the API's per-account work.
 */
import { Knex } from 'knex';
import { accountToRow, diffAccounts } from '../../../registry/rows';
import { fleetAccount } from '../fleetFixtures';

/** Writes the accounts straight into the tables: rows and their history. */
export async function loadRegistry(knex: Knex, count: number) {
  const at = new Date().toISOString();
  const accounts = Array.from({ length: count }, (_, i) => fleetAccount(i, at));
  await knex.transaction(async tx => {
    await tx.batchInsert('accounts', accounts.map(accountToRow), 500);
    await tx.batchInsert(
      'account_history',
      accounts.map(account => ({
        account_name: account.name,
        version: 1,
        action: 'create',
        changed_at: account.createdAt,
        changed_by: account.createdBy,
        changes: JSON.stringify(diffAccounts(undefined, account)),
      })),
      500,
    );
  });
}
