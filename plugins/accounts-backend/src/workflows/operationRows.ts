import { Deployment, Operation } from '@fleet-portal/plugin-accounts-common';
import { toIso } from '../registry/databaseValues';
import { StoredOperation } from './OperationsStore';

/** A row of the `operations` table. */
export interface OperationRow {
  id: string;
  kind: string;
  account_name: string;
  status: string;
  requested_by: string;
  reason: string | null;
  request: string;
  steps: string;
  error: string | null;
  commit_sha: string | null;
  deployment_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
}

/** A row of the `deployments` table. */
export interface DeploymentRow {
  id: string;
  account_name: string;
  environment: string;
  cluster: string;
  operation_id: string;
  commit_sha: string;
  versions: string;
  deployed_by: string;
  reason: string | null;
  deployed_at: Date | string;
}

export function operationFromRow(row: OperationRow): StoredOperation {
  return {
    id: row.id,
    kind: row.kind as Operation['kind'],
    account: row.account_name,
    status: row.status as Operation['status'],
    requestedBy: row.requested_by,
    reason: row.reason ?? undefined,
    request: JSON.parse(row.request),
    steps: JSON.parse(row.steps),
    error: row.error ?? undefined,
    commit: row.commit_sha ?? undefined,
    deploymentId: row.deployment_id ?? undefined,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    finishedAt: row.finished_at ? toIso(row.finished_at) : undefined,
  };
}

/** The public view: without the stored request. */
export function publicOperation(operation: StoredOperation): Operation {
  const { request: _request, ...rest } = operation;
  return rest;
}

export function deploymentToRow(deployment: Deployment): DeploymentRow {
  return {
    id: deployment.id,
    account_name: deployment.account,
    environment: deployment.environment,
    cluster: deployment.cluster,
    operation_id: deployment.operationId,
    commit_sha: deployment.commit,
    versions: JSON.stringify(deployment.versions),
    deployed_by: deployment.deployedBy,
    reason: deployment.reason ?? null,
    deployed_at: new Date(deployment.deployedAt),
  };
}

export function deploymentFromRow(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    account: row.account_name,
    environment: row.environment,
    cluster: row.cluster,
    operationId: row.operation_id,
    commit: row.commit_sha,
    versions: JSON.parse(row.versions),
    deployedBy: row.deployed_by,
    reason: row.reason ?? undefined,
    deployedAt: toIso(row.deployed_at),
  };
}
