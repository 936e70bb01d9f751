import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Account, AccountList } from '@fleet-portal/plugin-accounts-common';
import { Knex } from 'knex';
import {
  AccountsStore,
  ListAccountsOptions,
  NewAccount,
} from './AccountsStore';
import { applyMigrations } from './migrations';

/** A row of the `accounts` table. */
type AccountRow = {
  name: string;
  display_name: string;
  environment: string;
  region: string;
  gcp_project: string;
  cluster: string;
  active: boolean | number;
  is_uat: boolean | number;
  owner: string;
  labels: string;
  services: string;
  created_at: Date | string;
  created_by: string;
  updated_at: Date | string;
  updated_by: string;
  version: number;
};

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}

function fromRow(row: AccountRow): Account {
  return {
    name: row.name,
    displayName: row.display_name,
    environment: row.environment,
    region: row.region,
    gcpProject: row.gcp_project,
    cluster: row.cluster,
    active: Boolean(row.active),
    isUat: Boolean(row.is_uat),
    owner: row.owner,
    labels: JSON.parse(row.labels),
    services: JSON.parse(row.services),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
    version: Number(row.version),
  };
}

function toRow(account: Account): AccountRow {
  return {
    name: account.name,
    display_name: account.displayName,
    environment: account.environment,
    region: account.region,
    gcp_project: account.gcpProject,
    cluster: account.cluster,
    active: account.active,
    is_uat: account.isUat,
    owner: account.owner,
    labels: JSON.stringify(account.labels),
    services: JSON.stringify(account.services),
    created_at: account.createdAt,
    created_by: account.createdBy,
    updated_at: account.updatedAt,
    updated_by: account.updatedBy,
    version: account.version,
  };
}

/** Unique-key violations of SQLite and PostgreSQL. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/**
 * The account registry in the plugin's database (SQLite or PostgreSQL).
 *
 * @public
 */
export class DatabaseAccountsStore implements AccountsStore {
  /** Connects to the plugin's database and brings its schema up to date. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAccountsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyMigrations(client);
    }
    return new DatabaseAccountsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async createAccount(account: NewAccount, actor: string): Promise<Account> {
    const now = new Date().toISOString();
    const created: Account = {
      ...account,
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
      updatedBy: actor,
      version: 1,
    };
    try {
      await this.db<AccountRow>('accounts').insert(toRow(created));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`Account '${account.name}' already exists`);
      }
      throw error;
    }
    return created;
  }

  async getAccount(name: string): Promise<Account | undefined> {
    const row = await this.db<AccountRow>('accounts').where({ name }).first();
    return row ? fromRow(row) : undefined;
  }

  async listAccounts(options: ListAccountsOptions): Promise<AccountList> {
    const filtered = this.db<AccountRow>('accounts').modify(query => {
      if (options.environment) {
        query.where('environment', options.environment);
      }
    });
    const [rows, [{ count }]] = await Promise.all([
      filtered
        .clone()
        .select('*')
        .orderBy('name')
        .limit(options.limit)
        .offset(options.offset),
      filtered.clone().count({ count: '*' }),
    ]);
    return {
      items: (rows as AccountRow[]).map(fromRow),
      totalCount: Number(count),
    };
  }
}
