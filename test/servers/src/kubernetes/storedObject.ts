import { KubeMetadata, KubeObject } from './ClusterStore';
import { FieldPath, startsWith } from './FieldSet';
import { ResourceKind, apiVersionOf } from './kinds';
import { ListTypeLookup } from './listTypes';
import { JsonObject, deepEqual } from './objectFields';
import { OwnershipContext } from './serverSideApply';

/*
 * The server's part of a stored object: system metadata, generation,
 * which fields belong to which write scope, key order.
 */

/** Fields nobody owns in managedFields (the API server strips them). */
const SYSTEM_PATHS: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:deletionTimestamp'],
];
const MANAGED_FIELDS: FieldPath = ['f:metadata', 'f:managedFields'];
const STATUS: FieldPath = ['f:status'];

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && startsWith(a, b);
}

/**
 * What ownership tracking needs for one write: writes to the object leave
 * `status` alone when the kind has the status subresource, writes to
 * `/status` touch only `status`.
 */
export function ownershipContext(
  kind: ResourceKind,
  listTypes: ListTypeLookup,
  subresource: 'status' | undefined,
  time: string,
): OwnershipContext {
  const outOfScope = (path: FieldPath) =>
    subresource === 'status'
      ? !startsWith(path, STATUS)
      : kind.statusSubresource && startsWith(path, STATUS);
  return {
    listTypes,
    apiVersion: apiVersionOf(kind),
    time,
    ignored: path =>
      outOfScope(path) ||
      startsWith(path, MANAGED_FIELDS) ||
      SYSTEM_PATHS.some(system => samePath(path, system)),
  };
}

/** The object without metadata (and status when it is a subresource). */
function generationContent(kind: ResourceKind, object: JsonObject): JsonObject {
  const { metadata: _m, status, ...rest } = object;
  return kind.statusSubresource ? rest : { ...rest, status };
}

/**
 * `metadata.generation` after a write: 1 on create, one more whenever
 * anything but metadata (and a subresource status) changes; `undefined`
 * for kinds that do not keep it.
 */
export function nextGeneration(
  kind: ResourceKind,
  live: KubeObject | undefined,
  next: JsonObject,
): number | undefined {
  if (!kind.generation) return undefined;
  if (!live) return 1;
  const current = live.metadata.generation ?? 1;
  return deepEqual(generationContent(kind, live), generationContent(kind, next))
    ? current
    : current + 1;
}

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
  'managedFields',
];

/** Keys in the order the API server prints them; empty label/annotation maps dropped. */
export function ordered(object: JsonObject): KubeObject {
  const metadata = object.metadata as KubeMetadata;
  const sortedMetadata: JsonObject = {};
  for (const key of METADATA_ORDER) {
    const value = metadata[key];
    const empty =
      (key === 'labels' || key === 'annotations' || key === 'managedFields') &&
      value !== undefined &&
      Object.keys(value as object).length === 0;
    if (value !== undefined && !empty) sortedMetadata[key] = value;
  }
  const { apiVersion, kind, metadata: _m, ...rest } = object;
  return { apiVersion, kind, metadata: sortedMetadata, ...rest } as KubeObject;
}

/** Equal apart from resourceVersion: a write that would change nothing. */
export function sameStoredObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({
    ...o,
    metadata: { ...o.metadata, resourceVersion: undefined },
  });
  return deepEqual(
    JSON.parse(JSON.stringify(strip(a))),
    JSON.parse(JSON.stringify(strip(b))),
  );
}

/** A copy without `metadata.managedFields`, for diffing. */
export function withoutManagedFields(object: KubeObject): JsonObject {
  const copy = structuredClone(object) as JsonObject;
  delete (copy.metadata as JsonObject).managedFields;
  return copy;
}
