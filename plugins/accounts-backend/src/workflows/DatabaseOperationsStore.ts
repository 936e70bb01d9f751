import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Deployment, Operation } from '@fleet-portal/plugin-accounts-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { applyMigrations } from '../registry/migrations';
import { isUniqueViolation } from '../registry/databaseValues';
import {
  NewOperation,
  OperationChanges,
  OperationsStore,
  StoredOperation,
} from './OperationsStore';
import {
  DeploymentRow,
  OperationRow,
  deploymentFromRow,
  deploymentToRow,
  operationFromRow,
  publicOperation,
} from './operationRows';

const UNFINISHED = ['pending', 'running'];

/**
 * Operations and deployments in the plugin's database (SQLite or
 * PostgreSQL). Every write of a running operation is conditioned on its lease,
 * so a replica that lost the lease cannot overwrite the one that took over.
 */
export class DatabaseOperationsStore implements OperationsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseOperationsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await applyMigrations(client);
    }
    return new DatabaseOperationsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async create(
    operation: NewOperation,
    lease: { owner: string; ms: number },
  ): Promise<StoredOperation> {
    const now = new Date();
    const row: OperationRow = {
      id: randomUUID(),
      kind: operation.kind,
      account_name: operation.account,
      status: 'pending',
      requested_by: operation.requestedBy,
      reason: operation.reason ?? null,
      request: JSON.stringify(operation.request),
      steps: JSON.stringify(
        operation.steps.map(s => ({ ...s, status: 'pending' })),
      ),
      error: null,
      commit_sha: null,
      deployment_id: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
      lease_owner: lease.owner,
      lease_expires_at: now.getTime() + lease.ms,
    };
    try {
      await this.db<OperationRow>('operations').insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        const active = await this.db<OperationRow>('operations')
          .where({ account_name: operation.account })
          .whereIn('status', UNFINISHED)
          .first();
        throw new ConflictError(
          `Account '${operation.account}' has an unfinished ${
            active?.kind ?? 'operation'
          }${active ? ` (operation ${active.id})` : ''}; wait for it to finish`,
        );
      }
      throw error;
    }
    return operationFromRow(row);
  }

  async get(id: string): Promise<StoredOperation | undefined> {
    const row = await this.db<OperationRow>('operations').where({ id }).first();
    return row ? operationFromRow(row) : undefined;
  }

  async update(
    id: string,
    owner: string,
    changes: OperationChanges,
  ): Promise<boolean> {
    const patch: Partial<OperationRow> = { updated_at: new Date() };
    if (changes.status) patch.status = changes.status;
    if (changes.steps) patch.steps = JSON.stringify(changes.steps);
    if (changes.error !== undefined) patch.error = changes.error;
    if (changes.commit !== undefined) patch.commit_sha = changes.commit;
    if (changes.deploymentId !== undefined) {
      patch.deployment_id = changes.deploymentId;
    }
    if (changes.finishedAt) patch.finished_at = new Date(changes.finishedAt);
    const updated = await this.db<OperationRow>('operations')
      .where({ id, lease_owner: owner })
      .update(patch);
    return updated === 1;
  }

  async claim(id: string, owner: string, ms: number): Promise<boolean> {
    const now = Date.now();
    const updated = await this.db<OperationRow>('operations')
      .where({ id })
      .whereIn('status', UNFINISHED)
      .where(q =>
        q
          .whereNull('lease_owner')
          .orWhere('lease_owner', owner)
          .orWhere('lease_expires_at', '<', now),
      )
      .update({ lease_owner: owner, lease_expires_at: now + ms });
    return updated === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db<OperationRow>('operations')
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  async listResumable(limit: number): Promise<string[]> {
    const rows = await this.db<OperationRow>('operations')
      .whereIn('status', UNFINISHED)
      .where(q =>
        q.whereNull('lease_owner').orWhere('lease_expires_at', '<', Date.now()),
      )
      .orderBy('created_at')
      .limit(limit)
      .select('id');
    return rows.map(r => r.id);
  }

  async listForAccount(account: string, limit: number): Promise<Operation[]> {
    const rows = await this.db<OperationRow>('operations')
      .where({ account_name: account })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => publicOperation(operationFromRow(r)));
  }

  async recordDeployment(deployment: Deployment): Promise<Deployment> {
    try {
      await this.db<DeploymentRow>('deployments').insert(
        deploymentToRow(deployment),
      );
      return deployment;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.db<DeploymentRow>('deployments')
        .where({ operation_id: deployment.operationId })
        .first();
      if (!existing) throw error;
      return deploymentFromRow(existing);
    }
  }

  async listDeployments(account: string, limit: number): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>('deployments')
      .where({ account_name: account })
      .orderBy([
        { column: 'deployed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(deploymentFromRow);
  }
}
