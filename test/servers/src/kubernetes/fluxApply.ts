import {
  ClusterStore,
  KubeApiError,
  KubeObject,
  ObjectRef,
} from './ClusterStore';

/** One entry of a Kustomization's `status.inventory`. */
export interface InventoryEntry {
  id: string;
  v: string;
}

/** What applying a set of objects did. */
export interface ApplyOutcome {
  /** The inventory of everything applied, in apply order. */
  inventory: InventoryEntry[];
  /** Flux's change log lines (`HelmRelease/acme/backend created`). */
  log: string[];
  /** Set when an object failed; nothing after it was applied. */
  error?: string;
}

const OWNER_NAME = 'kustomize.toolkit.fluxcd.io/name';
const OWNER_NAMESPACE = 'kustomize.toolkit.fluxcd.io/namespace';

/** The kind order of Flux's server-side apply (fluxcd/pkg `ssa` sort order). */
const KIND_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Service',
  'LimitRange',
  'PriorityClass',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const KIND_LAST = [
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects, as Flux prints them. */
export function describeObject(ref: {
  kind: string;
  namespace?: string;
  name: string;
}) {
  return [ref.kind, ref.namespace, ref.name].filter(Boolean).join('/');
}

/** `<namespace>_<name>_<group>_<kind>`, Flux's inventory id. */
export function inventoryEntry(object: KubeObject): InventoryEntry {
  const [group, version] = splitApiVersion(object.apiVersion);
  const { namespace = '', name } = object.metadata;
  return { id: `${namespace}_${name}_${group}_${object.kind}`, v: version };
}

/** The object an inventory entry names. */
export function inventoryRef(entry: InventoryEntry): ObjectRef {
  const [namespace, name, group, kind] = entry.id.split('_');
  return {
    apiVersion: group ? `${group}/${entry.v}` : entry.v,
    kind,
    namespace: namespace || undefined,
    name,
  };
}

function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? ['', apiVersion]
    : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function kindRank(kind: string): number {
  const first = KIND_ORDER.indexOf(kind);
  if (first >= 0) return first - KIND_ORDER.length;
  const last = KIND_LAST.indexOf(kind);
  return last >= 0 ? 1 + last : 0;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const [groupA] = splitApiVersion(a.apiVersion);
  const [groupB] = splitApiVersion(b.apiVersion);
  return (
    kindRank(a.kind) - kindRank(b.kind) ||
    groupA.localeCompare(groupB) ||
    a.kind.localeCompare(b.kind) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/**
 * Server-side applies `objects` as Flux's resource manager does: cluster
 * definitions (CRDs, Namespaces) first, then the rest; each stage is
 * dry-run in full before any of it is written, so one invalid object
 * stops the stage and everything after it.
 */
export function applyStaged(
  store: ClusterStore,
  objects: KubeObject[],
  fieldManager: string,
): ApplyOutcome {
  const isDefinition = (o: KubeObject) =>
    o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition';
  const stages = [
    objects.filter(isDefinition),
    objects.filter(o => !isDefinition(o)),
  ];
  const outcome: ApplyOutcome = { inventory: [], log: [] };
  for (const stage of stages) {
    const sorted = [...stage].sort(compareObjects);
    const actions: string[] = [];
    for (const object of sorted) {
      try {
        const result = store.apply(object, {
          fieldManager,
          force: true,
          dryRun: true,
        });
        actions.push(actionOf(result));
      } catch (error) {
        outcome.error = dryRunFailure(object, error);
        return outcome;
      }
    }
    sorted.forEach((object, index) => {
      if (actions[index] !== 'unchanged') {
        try {
          store.apply(object, { fieldManager, force: true });
        } catch (error) {
          outcome.error ??= `${describeObject(
            refFor(object),
          )} apply failed, error: ${messageOf(error)}`;
        }
      }
      outcome.inventory.push(inventoryEntry(object));
      outcome.log.push(`${describeObject(refFor(object))} ${actions[index]}`);
    });
    if (outcome.error) return outcome;
  }
  return outcome;
}

/**
 * Deletes the objects of `previous` that `current` no longer holds, unless
 * they opt out (`kustomize.toolkit.fluxcd.io/prune: disabled`) or belong to
 * another Kustomization. Returns the change log, or throws the first failure.
 */
export function pruneStale(
  store: ClusterStore,
  previous: InventoryEntry[],
  current: InventoryEntry[],
  owner: { name: string; namespace: string },
): string[] {
  const keep = new Set(current.map(entry => entry.id));
  const log: string[] = [];
  for (const entry of [...previous].reverse()) {
    if (keep.has(entry.id)) continue;
    const ref = inventoryRef(entry);
    const existing = store.get(ref);
    if (!existing) continue;
    const labels = existing.metadata.labels ?? {};
    const annotations = existing.metadata.annotations ?? {};
    if (annotations['kustomize.toolkit.fluxcd.io/prune'] === 'disabled')
      continue;
    const ownerName = labels[OWNER_NAME];
    const ownerNamespace = labels[OWNER_NAMESPACE];
    if (
      ownerName &&
      (ownerName !== owner.name || ownerNamespace !== owner.namespace)
    ) {
      continue;
    }
    try {
      store.delete(ref);
    } catch (error) {
      throw new Error(
        `${describeObject(ref)} delete failed, error: ${messageOf(error)}`,
      );
    }
    log.push(`${describeObject(ref)} deleted`);
  }
  return log;
}

function dryRunFailure(object: KubeObject, error: unknown): string {
  // The store's errors; anything else is a bug to surface, not a status.
  if (!isApiError(error)) throw error;
  const name = describeObject(refFor(object));
  if (error.status === 404) {
    return object.metadata.namespace
      ? `${name} not found: ${error.message}`
      : `${name} namespace not specified: ${error.message}`;
  }
  return `${name} dry-run failed (${error.reason}): ${error.message}`;
}

function isApiError(error: unknown): error is KubeApiError {
  return (
    error instanceof KubeApiError ||
    (error instanceof Error && error.name === 'KubeApiError')
  );
}

function refFor(object: KubeObject) {
  return {
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function actionOf(result: { created: boolean; changed: boolean }): string {
  if (result.created) return 'created';
  return result.changed ? 'configured' : 'unchanged';
}

/** The labels by which Flux marks what a Kustomization applied. */
export function withOwnerLabels(
  object: KubeObject,
  owner: { name: string; namespace: string },
): KubeObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: {
        ...object.metadata.labels,
        [OWNER_NAME]: owner.name,
        [OWNER_NAMESPACE]: owner.namespace,
      },
    },
  };
}
