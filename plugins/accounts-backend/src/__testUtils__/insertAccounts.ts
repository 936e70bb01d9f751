import { Account } from '@fleet-portal/plugin-accounts-common';
import { Knex } from 'knex';
import { accountToRow, diffAccounts } from '../registry/rows';

/**
 * Writes accounts straight into the registry's tables, rows and their
 * creation in the history, skipping the API's per-account work: how the
 * benchmarks load thousands of accounts.
 */
export async function insertAccounts(knex: Knex, accounts: Account[]) {
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
