import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Account,
  AccountHistoryEntry,
  AccountList,
} from '@fleet-portal/plugin-accounts-common';
import { Knex } from 'knex';
import {
  AccountChanges,
  AccountsStore,
  ListAccountsOptions,
  NewAccount,
} from './AccountsStore';
import { applyMigrations } from './migrations';
import { whereAccountFilter } from './accountFilterQuery';
import {
  AccountRow,
  HistoryRow,
  accountFromRow,
  accountToRow,
  diffAccounts,
  historyFromRow,
} from './rows';
import { isUniqueViolation } from './databaseValues';

/** Escapes LIKE wildcards so a search matches the text as typed. */
function likePattern(text: string): string {
  return `%${text
    .toLocaleLowerCase('en-US')
    .replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/**
 * The account registry in the plugin's database (SQLite or PostgreSQL).
 * Every change is one transaction: the account row and its history entry.
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
      await this.db.transaction(async tx => {
        await tx<AccountRow>('accounts').insert(accountToRow(created));
        await this.recordChange(tx, undefined, created);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`Account '${account.name}' already exists`);
      }
      throw error;
    }
    return created;
  }

  async updateAccount(
    name: string,
    changes: AccountChanges,
    expectedVersion: number,
    actor: string,
  ): Promise<Account> {
    return this.db.transaction(async tx => {
      const row = await tx<AccountRow>('accounts').where({ name }).first();
      if (!row) {
        throw new NotFoundError(`No account named '${name}'`);
      }
      const before = accountFromRow(row);
      if (before.version !== expectedVersion) {
        throw new ConflictError(
          `Account '${name}' is at version ${before.version}, not ${expectedVersion}: it changed since it was read`,
        );
      }
      const after: Account = {
        ...before,
        ...changes,
        name,
        updatedAt: new Date().toISOString(),
        updatedBy: actor,
        version: before.version + 1,
      };
      if (Object.keys(diffAccounts(before, after)).length === 0) {
        return before;
      }
      // The version in the WHERE clause makes a concurrent writer that read
      // the same version lose here, even where the read above was not locked.
      const updated = await tx<AccountRow>('accounts')
        .where({ name, version: expectedVersion })
        .update(accountToRow(after));
      if (updated !== 1) {
        throw new ConflictError(
          `Account '${name}' changed since version ${expectedVersion} was read`,
        );
      }
      await this.recordChange(tx, before, after);
      return after;
    });
  }

  async getAccount(name: string): Promise<Account | undefined> {
    const row = await this.db<AccountRow>('accounts').where({ name }).first();
    return row ? accountFromRow(row) : undefined;
  }

  async getAccounts(names: string[]): Promise<Array<Account | undefined>> {
    if (names.length === 0) {
      return [];
    }
    const rows = await this.db<AccountRow>('accounts').whereIn('name', names);
    const byName = new Map(rows.map(row => [row.name, accountFromRow(row)]));
    return names.map(name => byName.get(name));
  }

  async allAccounts(): Promise<Account[]> {
    const rows = await this.db<AccountRow>('accounts').orderBy('name');
    return rows.map(accountFromRow);
  }

  async listAccounts(options: ListAccountsOptions): Promise<AccountList> {
    const filtered = this.db<AccountRow>('accounts').modify(query => {
      for (const [column, value] of [
        ['environment', options.environment],
        ['region', options.region],
        ['cluster', options.cluster],
        ['active', options.active],
        ['is_uat', options.isUat],
      ] as const) {
        if (value !== undefined) {
          query.where(column, value);
        }
      }
      if (options.permissionFilter) {
        whereAccountFilter(query, options.permissionFilter);
      }
      if (options.q) {
        const pattern = likePattern(options.q);
        query.where(inner =>
          inner
            .whereRaw(`lower(name) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(display_name) like ? escape '\\'`, [pattern]),
        );
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
      items: (rows as AccountRow[]).map(accountFromRow),
      totalCount: Number(count),
    };
  }

  async getHistory(name: string): Promise<AccountHistoryEntry[]> {
    const rows = await this.db<HistoryRow>('account_history')
      .where({ account_name: name })
      .orderBy('version', 'desc');
    return rows.map(historyFromRow);
  }

  private async recordChange(
    tx: Knex.Transaction,
    before: Account | undefined,
    after: Account,
  ) {
    await tx<HistoryRow>('account_history').insert({
      account_name: after.name,
      version: after.version,
      action: before ? 'update' : 'create',
      changed_at: after.updatedAt,
      changed_by: after.updatedBy,
      changes: JSON.stringify(diffAccounts(before, after)),
    });
  }
}
