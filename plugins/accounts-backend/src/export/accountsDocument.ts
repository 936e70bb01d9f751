import { Account, AccountSettings } from '@fleet-portal/plugin-accounts-common';

/** Bumped on any change a consumer of accounts.json must know about. */
export const ACCOUNTS_DOCUMENT_SCHEMA_VERSION = 1;

/**
 * accounts.json: the registry's global configuration, as provisioning
 * consumes it. The contract is documented in the plugin's README.
 *
 * @public
 */
export interface AccountsDocument {
  schemaVersion: number;
  generatedAt: string;
  accounts: Array<AccountSettings & Pick<Account, 'version' | 'updatedAt'>>;
}

/** Builds the document from every account, active and inactive, by name. */
export function buildAccountsDocument(
  accounts: Account[],
  generatedAt: Date,
): AccountsDocument {
  return {
    schemaVersion: ACCOUNTS_DOCUMENT_SCHEMA_VERSION,
    generatedAt: generatedAt.toISOString(),
    accounts: [...accounts]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(a => ({
        name: a.name,
        displayName: a.displayName,
        environment: a.environment,
        region: a.region,
        gcpProject: a.gcpProject,
        cluster: a.cluster,
        active: a.active,
        isUat: a.isUat,
        owner: a.owner,
        labels: a.labels,
        services: a.services,
        version: a.version,
        updatedAt: a.updatedAt,
      })),
  };
}
