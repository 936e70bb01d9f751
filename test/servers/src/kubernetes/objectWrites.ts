import { randomUUID } from 'crypto';
import {
  ApplyOptions,
  ApplyResult,
  CreateOptions,
  FieldValidation,
  KubeObject,
  ObjectRef,
} from './ClusterStore';
import { FluxSchemaValidator } from './FluxSchemaValidator';
import { applyBuiltInDefaults, readIncoming } from './incomingObject';
import { ResourceKind } from './kinds';
import {
  alreadyExists,
  badRequest,
  namespaceNotFound,
  notFound,
  pathNotFound,
  staleResourceVersion,
} from './kubeErrors';
import { listTypesFor } from './listTypes';
import {
  FieldManager,
  kubeTime,
  readManagedFields,
  writeManagedFields,
} from './managedFields';
import { JsonObject, isPlainObject } from './objectFields';
import { checkSecretEncoding, validateObject } from './objectValidation';
import { applyWithOwnership, updateOwnership } from './serverSideApply';
import {
  nextGeneration,
  ordered,
  ownershipContext,
  sameStoredObject,
  withoutManagedFields,
} from './storedObject';

/*
 * Every write as the API server performs it: read the body, compute field
 * ownership, add server fields and defaults, validate, and store a new
 * revision unless nothing changed.
 */

/** Options of the writes that are not applies. */
export interface UpdateOptions {
  fieldManager: string;
  subresource?: 'status';
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
}

/** A write's outcome as the HTTP layer needs it. */
export interface WriteResult {
  object: KubeObject;
  changed: boolean;
  warnings: string[];
}

/** What writes need from the store that keeps the objects. */
export interface WriteTarget {
  schemas: FluxSchemaValidator;
  now(): Date;
  /** The stored object (not a copy), or `undefined`. */
  live(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  namespaceExists(name: string): boolean;
  /** Stores a new revision of the object and tells watchers; returns what was stored. */
  commit(
    kind: ResourceKind,
    live: KubeObject | undefined,
    object: KubeObject,
  ): KubeObject;
}

export function namespaceOf(
  kind: ResourceKind,
  object: { metadata?: { namespace?: string } },
): string | undefined {
  if (!kind.namespaced) return undefined;
  const namespace = object.metadata?.namespace;
  if (!namespace)
    throw badRequest(
      'an empty namespace may not be set when a resource name is provided',
    );
  return namespace;
}

function requireNamespace(
  target: WriteTarget,
  kind: ResourceKind,
  namespace: string | undefined,
): void {
  if (kind.namespaced && !target.namespaceExists(namespace!))
    throw namespaceNotFound(namespace!);
}

/** A resourceVersion in the body is a precondition, as in Kubernetes. */
function checkPrecondition(
  kind: ResourceKind,
  live: KubeObject | undefined,
  body: KubeObject,
): void {
  const wanted = body.metadata?.resourceVersion;
  if (live && wanted && wanted !== live.metadata.resourceVersion) {
    throw staleResourceVersion(kind, live.metadata.name);
  }
}

function readBody(
  target: WriteTarget,
  kind: ResourceKind,
  object: KubeObject,
  options: { subresource?: 'status'; fieldValidation?: FieldValidation },
) {
  const read = readIncoming(kind, object, target.schemas, options);
  checkSecretEncoding(kind, read.object);
  return read;
}

function context(
  target: WriteTarget,
  kind: ResourceKind,
  subresource?: 'status',
) {
  const listTypes = listTypesFor(
    `${kind.group}/${kind.kind}`,
    kind.crd
      ? target.schemas.listTypes(`${kind.group}/${kind.version}`, kind.kind)
      : undefined,
  );
  return ownershipContext(kind, listTypes, subresource, kubeTime(target.now()));
}

/** Server-side apply (see `ClusterStore.apply`). */
export function applyObject(
  target: WriteTarget,
  kind: ResourceKind,
  object: KubeObject,
  options: ApplyOptions,
): ApplyResult {
  const namespace = namespaceOf(kind, object);
  const name = object.metadata?.name;
  if (!name)
    throw badRequest('metadata.name: Required value: name is required');
  const live = target.live(kind, namespace, name);
  if (!live) requireNamespace(target, kind, namespace);
  if (options.subresource === 'status' && !live) throw notFound(kind, name);
  checkPrecondition(kind, live, object);
  const { object: config, warnings } = readBody(target, kind, object, options);
  config.metadata = {
    ...(config.metadata as JsonObject),
    name,
    ...(namespace ? { namespace } : {}),
  };
  const { object: merged, managers } = applyWithOwnership({
    live: live ? withoutManagedFields(live) : {},
    config,
    managers: readManagedFields(live?.metadata.managedFields),
    manager: options.fieldManager,
    subresource: options.subresource,
    force: options.force ?? false,
    context: context(target, kind, options.subresource),
  });
  const result = finish(target, kind, live, merged, managers, options);
  return { ...result, created: !live, warnings };
}

/** Create (POST), owned by an `Update` entry (see `ClusterStore.create`). */
export function createObject(
  target: WriteTarget,
  kind: ResourceKind,
  object: KubeObject,
  options: CreateOptions,
): WriteResult {
  const namespace = namespaceOf(kind, object);
  const { object: body, warnings } = readBody(target, kind, object, options);
  const metadata = body.metadata as JsonObject;
  if (!metadata.name && typeof metadata.generateName === 'string') {
    metadata.name = `${metadata.generateName}${randomSuffix()}`;
  }
  const name = String(metadata.name ?? '');
  if (name && target.live(kind, namespace, name))
    throw alreadyExists(kind, name);
  requireNamespace(target, kind, namespace);
  if (namespace) metadata.namespace = namespace;
  // Defaults come before ownership: on create the creator owns them.
  applyBuiltInDefaults(kind, body);
  if (kind.crd) target.schemas.applyDefaults(body);
  const managers = updateOwnership({
    live: {},
    next: body,
    managers: new Map(),
    manager: options.fieldManager,
    context: context(target, kind),
  });
  return {
    ...finish(target, kind, undefined, body, managers, options),
    warnings,
  };
}

/**
 * Any other write of an existing object (merge or JSON patch, replace):
 * `change` maps the live object to the requested one.
 */
export function updateObject(
  target: WriteTarget,
  kind: ResourceKind,
  ref: ObjectRef,
  change: (live: JsonObject) => unknown,
  options: UpdateOptions,
): WriteResult {
  if (options.subresource === 'status' && !kind.statusSubresource)
    throw pathNotFound();
  const live = target.live(kind, ref.namespace, ref.name);
  if (!live) throw notFound(kind, ref.name);
  const requested = change(withoutManagedFields(live));
  if (!isPlainObject(requested))
    throw badRequest('the object must be a JSON object');
  checkPrecondition(kind, live, requested as KubeObject);
  const body = {
    ...requested,
    apiVersion: live.apiVersion,
    kind: live.kind,
  } as KubeObject;
  const { object: next, warnings } = readBody(target, kind, body, options);
  const metadata: JsonObject = {
    ...(next.metadata as JsonObject),
    name: live.metadata.name,
  };
  if (live.metadata.namespace) metadata.namespace = live.metadata.namespace;
  next.metadata = metadata;
  let full: JsonObject = next;
  if (options.subresource === 'status')
    full = { ...withoutManagedFields(live), status: next.status };
  else if (kind.statusSubresource) full = { ...next, status: live.status };
  if (full.status === undefined) delete full.status;
  applyBuiltInDefaults(kind, full);
  if (kind.crd) target.schemas.applyDefaults(full);
  const managers = updateOwnership({
    live: withoutManagedFields(live),
    next: full,
    managers: readManagedFields(live.metadata.managedFields),
    manager: options.fieldManager,
    subresource: options.subresource,
    context: context(target, kind, options.subresource),
  });
  return { ...finish(target, kind, live, full, managers, options), warnings };
}

/** Server fields, defaults, validation, then a new revision unless nothing changed. */
function finish(
  target: WriteTarget,
  kind: ResourceKind,
  live: KubeObject | undefined,
  next: JsonObject,
  managers: Map<string, FieldManager>,
  options: { dryRun?: boolean },
): { object: KubeObject; changed: boolean } {
  const metadata = next.metadata as JsonObject;
  if (live) {
    metadata.uid = live.metadata.uid;
    metadata.creationTimestamp = live.metadata.creationTimestamp;
    metadata.resourceVersion = live.metadata.resourceVersion;
  } else {
    metadata.uid = randomUUID();
    metadata.creationTimestamp = kubeTime(target.now());
    // What the built-in strategies set on create.
    if (kind.kind === 'Namespace' && !kind.group)
      next.status = { phase: 'Active' };
    if (kind.kind === 'Deployment') next.status = {};
  }
  applyBuiltInDefaults(kind, next);
  if (kind.crd) target.schemas.applyDefaults(next);
  validateObject(kind, next, target.schemas, live);
  metadata.generation = nextGeneration(kind, live, next);
  metadata.managedFields = writeManagedFields(managers);
  const object = ordered(next);
  if (live && sameStoredObject(live, object))
    return { object: structuredClone(live), changed: false };
  if (options.dryRun) return { object, changed: true };
  return {
    object: structuredClone(target.commit(kind, live, object)),
    changed: true,
  };
}

/** Five characters, as the API server appends to `generateName`. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from(
    { length: 5 },
    () => alphabet[Math.floor(Math.random() * alphabet.length)],
  ).join('');
}
