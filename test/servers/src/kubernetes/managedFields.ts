import { ManagedFieldsEntry } from './ClusterStore';
import { FieldSet } from './FieldSet';

/**
 * One manager's fields while a write is computed. A manager is identified by
 * its name, operation and subresource together, as in Kubernetes: `flux`
 * applying and `flux` updating are two managers.
 */
export interface FieldManager {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: string;
  apiVersion: string;
  time: string;
  set: FieldSet;
}

/** The identity of a manager within one object's `managedFields`. */
export function managerId(
  manager: string,
  operation: 'Apply' | 'Update',
  subresource?: string,
): string {
  return JSON.stringify([manager, operation, subresource ?? '']);
}

export function idOf(manager: FieldManager): string {
  return managerId(manager.manager, manager.operation, manager.subresource);
}

/** Reads `metadata.managedFields` (entries with unreadable fields are dropped). */
export function readManagedFields(
  entries: ManagedFieldsEntry[] | undefined,
): Map<string, FieldManager> {
  const managers = new Map<string, FieldManager>();
  for (const entry of entries ?? []) {
    if (entry.fieldsType !== 'FieldsV1' || !entry.fieldsV1) continue;
    const manager: FieldManager = {
      manager: entry.manager,
      operation: entry.operation,
      subresource: entry.subresource || undefined,
      apiVersion: entry.apiVersion,
      time: entry.time,
      set: FieldSet.fromFieldsV1(entry.fieldsV1),
    };
    managers.set(idOf(manager), manager);
  }
  return managers;
}

/** Writes `metadata.managedFields`; managers owning nothing are left out. */
export function writeManagedFields(
  managers: Map<string, FieldManager>,
): ManagedFieldsEntry[] {
  return [...managers.values()]
    .filter(m => !m.set.isEmpty())
    .map(m => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: 'FieldsV1' as const,
      fieldsV1: m.set.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

/**
 * A manager as conflict messages name it: `"kubectl"` for an applier,
 * `"kubectl-edit" using apps/v1` for an updater, with its subresource.
 */
export function describeManager(manager: FieldManager): string {
  let text = JSON.stringify(manager.manager);
  if (manager.subresource) {
    text += ` with subresource ${JSON.stringify(manager.subresource)}`;
  }
  return manager.operation === 'Update'
    ? `${text} using ${manager.apiVersion}`
    : text;
}

/** RFC 3339 to the second, as Kubernetes writes timestamps. */
export function kubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
