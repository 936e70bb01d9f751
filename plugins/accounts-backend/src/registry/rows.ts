import { toIso } from './databaseValues';
import {
  Account,
  AccountHistoryEntry,
} from '@fleet-portal/plugin-accounts-common';

/** A row of the `accounts` table. */
export type AccountRow = {
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

/** A row of the `account_history` table. */
export type HistoryRow = {
  account_name: string;
  version: number;
  action: string;
  changed_at: Date | string;
  changed_by: string;
  changes: string;
};

export function accountFromRow(row: AccountRow): Account {
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

export function accountToRow(account: Account): AccountRow {
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

export function historyFromRow(row: HistoryRow): AccountHistoryEntry {
  return {
    account: row.account_name,
    version: Number(row.version),
    action: row.action === 'create' ? 'create' : 'update',
    changedAt: toIso(row.changed_at),
    changedBy: row.changed_by,
    changes: JSON.parse(row.changes),
  };
}

/** The fields whose values a history entry records. */
export const TRACKED_FIELDS = [
  'displayName',
  'environment',
  'region',
  'gcpProject',
  'cluster',
  'active',
  'isUat',
  'owner',
  'labels',
  'services',
] as const;

/** Per tracked field that differs, its value before and after. */
export function diffAccounts(
  before: Account | undefined,
  after: Account,
): AccountHistoryEntry['changes'] {
  const changes: AccountHistoryEntry['changes'] = {};
  for (const field of TRACKED_FIELDS) {
    const from = before?.[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[field] = before ? { from, to } : { to };
    }
  }
  return changes;
}
