import { randomUUID } from 'crypto';
import {
  ApplyOptions,
  ApplyResult,
  ClusterStore,
  CreateOptions,
  FieldValidation,
  KubeApiError,
  KubeObject,
  ListOptions,
  ObjectRef,
  WatchEvent,
} from './ClusterStore';
import { FluxSchemaValidator, defaultCrdFolder } from './FluxSchemaValidator';
import { applyBuiltInDefaults, readIncoming } from './incomingObject';
import { applyJsonPatch } from './jsonPatch';
import { ResourceKind, findKind } from './kinds';
import {
  alreadyExists,
  badRequest,
  namespaceNotFound,
  notFound,
  pathNotFound,
  staleResourceVersion,
} from './kubeErrors';
import { matchesLabels, parseLabelSelector } from './labelSelector';
import { ListTypeLookup, listTypesFor } from './listTypes';
import {
  FieldManager,
  kubeTime,
  readManagedFields,
  writeManagedFields,
} from './managedFields';
import { applyMergePatch } from './mergePatch';
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
import { StoredEvent, WatchHistory } from './WatchHistory';

export interface InMemoryClusterStoreOptions {
  /** The cluster's name. */
  name: string;
  /** Folder of the Flux CRDs; default `plugins/accounts-backend/flux-crds`. */
  crdFolder?: string;
  /** How many changes watches can replay; default 1,000. */
  historyLimit?: number;
  /** Namespaces that exist from the start; default those of a new cluster. */
  namespaces?: string[];
  /** The clock for timestamps; default the system clock. */
  now?: () => Date;
}

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

/**
 * One simulated cluster's objects in memory, written as the API server
 * writes them: one resourceVersion counter, uid and creationTimestamp,
 * generation on spec changes, server-side apply with managedFields, schema
 * validation of Flux kinds, and a bounded change history for watches.
 *
 * Differences from a real API server, on purpose: deletes are immediate
 * (finalizers and graceful deletion are not simulated; deleting a Namespace
 * deletes its objects at once); only the kinds in `servedKinds` exist.
 */
export class InMemoryClusterStore implements ClusterStore {
  readonly name: string;
  private revision = 0;
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: WatchHistory;
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private readonly pending: StoredEvent[] = [];
  private dispatching = false;
  private readonly schemas: FluxSchemaValidator;
  private readonly now: () => Date;

  constructor(options: InMemoryClusterStoreOptions) {
    this.name = options.name;
    this.history = new WatchHistory(options.historyLimit ?? 1000);
    this.schemas = new FluxSchemaValidator(
      options.crdFolder ?? defaultCrdFolder,
    );
    this.now = options.now ?? (() => new Date());
    const namespaces = options.namespaces ?? [
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ];
    for (const name of namespaces) {
      this.create(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager: 'kube-apiserver' },
      );
    }
  }

  get resourceVersion(): string {
    return String(this.revision);
  }

  get(ref: ObjectRef): KubeObject | undefined {
    const kind = this.kind(ref.apiVersion, ref.kind);
    const object = this.objects.get(key(kind, ref.namespace, ref.name));
    return object && structuredClone(object);
  }

  list(
    apiVersion: string,
    kindName: string,
    options: ListOptions = {},
  ): { items: KubeObject[]; resourceVersion: string } {
    const kind = this.kind(apiVersion, kindName);
    const selector = parseLabelSelector(options.labelSelector);
    const prefix = `${kind.group}/${kind.kind}/`;
    const items = [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, object]) => object)
      .filter(
        o =>
          !kind.namespaced ||
          options.namespace === undefined ||
          o.metadata.namespace === options.namespace,
      )
      .filter(o => matchesLabels(selector, o.metadata.labels))
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      .map(o => structuredClone(o));
    return { items, resourceVersion: this.resourceVersion };
  }

  apply(object: KubeObject, options: ApplyOptions): ApplyResult {
    const kind = this.kind(object.apiVersion, object.kind);
    const namespace = this.namespaceOf(kind, object);
    const name = object.metadata?.name;
    if (!name)
      throw badRequest('metadata.name: Required value: name is required');
    const live = this.objects.get(key(kind, namespace, name));
    if (!live) this.requireNamespace(kind, namespace);
    if (options.subresource === 'status' && !live) throw notFound(kind, name);
    this.checkPrecondition(kind, live, object);
    const { object: config, warnings } = this.readBody(kind, object, options);
    config.metadata = {
      ...(config.metadata as JsonObject),
      name,
      ...(namespace ? { namespace } : {}),
    };
    const context = ownershipContext(
      kind,
      this.listTypes(kind),
      options.subresource,
      kubeTime(this.now()),
    );
    const { object: merged, managers } = applyWithOwnership({
      live: live ? withoutManagedFields(live) : {},
      config,
      managers: readManagedFields(live?.metadata.managedFields),
      manager: options.fieldManager,
      subresource: options.subresource,
      force: options.force ?? false,
      context,
    });
    const result = this.store(kind, live, merged, managers, options);
    return { ...result, created: !live, warnings };
  }

  create(object: KubeObject, options: CreateOptions): KubeObject {
    return this.createObject(object, options).object;
  }

  /** {@link ClusterStore.create} with the warnings for dropped fields. */
  createObject(object: KubeObject, options: CreateOptions): WriteResult {
    const kind = this.kind(object.apiVersion, object.kind);
    const namespace = this.namespaceOf(kind, object);
    const { object: body, warnings } = this.readBody(kind, object, options);
    const metadata = body.metadata as JsonObject;
    if (!metadata.name && typeof metadata.generateName === 'string') {
      metadata.name = `${metadata.generateName}${randomSuffix()}`;
    }
    const name = String(metadata.name ?? '');
    if (name && this.objects.has(key(kind, namespace, name)))
      throw alreadyExists(kind, name);
    this.requireNamespace(kind, namespace);
    if (namespace) metadata.namespace = namespace;
    applyBuiltInDefaults(kind, body);
    if (kind.crd) this.schemas.applyDefaults(body);
    const context = ownershipContext(
      kind,
      this.listTypes(kind),
      undefined,
      kubeTime(this.now()),
    );
    const managers = updateOwnership({
      live: {},
      next: body,
      managers: new Map(),
      manager: options.fieldManager,
      context,
    });
    return {
      ...this.store(kind, undefined, body, managers, options),
      warnings,
    };
  }

  mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options: { fieldManager: string; subresource?: 'status'; dryRun?: boolean },
  ): KubeObject {
    return this.patchObject(ref, live => applyMergePatch(live, patch), options)
      .object;
  }

  /** A JSON patch (RFC 6902) of the object or its status, recorded as an Update. */
  jsonPatch(
    ref: ObjectRef,
    operations: unknown,
    options: UpdateOptions,
  ): WriteResult {
    return this.patchObject(
      ref,
      live => applyJsonPatch(live, operations),
      options,
    );
  }

  /** Replaces the object (PUT), recorded as an Update; 404 when absent. */
  replace(object: KubeObject, options: UpdateOptions): WriteResult {
    const kind = this.kind(object.apiVersion, object.kind);
    const ref = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: this.namespaceOf(kind, object),
      name: object.metadata?.name,
    };
    return this.patchObject(ref, () => structuredClone(object), options);
  }

  /** Any non-apply write of an existing object: `change` maps the live object to the requested one. */
  patchObject(
    ref: ObjectRef,
    change: (live: JsonObject) => unknown,
    options: UpdateOptions,
  ): WriteResult {
    const kind = this.kind(ref.apiVersion, ref.kind);
    if (options.subresource === 'status' && !kind.statusSubresource)
      throw pathNotFound();
    const live = this.objects.get(key(kind, ref.namespace, ref.name));
    if (!live) throw notFound(kind, ref.name);
    const requested = change(withoutManagedFields(live));
    if (!isPlainObject(requested))
      throw badRequest('the object must be a JSON object');
    this.checkPrecondition(kind, live, requested as KubeObject);
    const body = {
      ...requested,
      apiVersion: live.apiVersion,
      kind: live.kind,
    } as KubeObject;
    const { object: next, warnings } = this.readBody(kind, body, options);
    const metadata: JsonObject = {
      ...(next.metadata as JsonObject),
      name: live.metadata.name,
    };
    if (live.metadata.namespace) metadata.namespace = live.metadata.namespace;
    next.metadata = metadata;
    const full: JsonObject =
      options.subresource === 'status'
        ? { ...withoutManagedFields(live), status: next.status }
        : kind.statusSubresource
        ? { ...next, status: live.status }
        : next;
    if (kind.statusSubresource && full.status === undefined) delete full.status;
    applyBuiltInDefaults(kind, full);
    if (kind.crd) this.schemas.applyDefaults(full);
    const context = ownershipContext(
      kind,
      this.listTypes(kind),
      options.subresource,
      kubeTime(this.now()),
    );
    const managers = updateOwnership({
      live: withoutManagedFields(live),
      next: full,
      managers: readManagedFields(live.metadata.managedFields),
      manager: options.fieldManager,
      subresource: options.subresource,
      context,
    });
    return { ...this.store(kind, live, full, managers, options), warnings };
  }

  delete(
    ref: ObjectRef,
    options: { dryRun?: boolean } = {},
  ): KubeObject | undefined {
    const kind = this.kind(ref.apiVersion, ref.kind);
    const k = key(kind, ref.namespace, ref.name);
    const live = this.objects.get(k);
    if (!live || options.dryRun) return live && structuredClone(live);
    if (kind.kind === 'Namespace' && !kind.group) {
      for (const [childKey, child] of [...this.objects.entries()]) {
        if (child.metadata.namespace === ref.name) this.remove(childKey, child);
      }
    }
    return structuredClone(this.remove(k, live));
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    return this.watch(event =>
      listener({ type: event.type, object: structuredClone(event.object) }),
    );
  }

  /** Like `subscribe`, with each change's revision and previous object. */
  watch(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  eventsSince(resourceVersion: string): WatchEvent[] {
    return this.storedEventsSince(resourceVersion).map(e => ({
      type: e.type,
      object: structuredClone(e.object),
    }));
  }

  /** Like `eventsSince`, with each change's revision and previous object. */
  storedEventsSince(resourceVersion: string): StoredEvent[] {
    if (!/^\d+$/.test(resourceVersion)) {
      throw badRequest(
        `resourceVersion: Invalid value: ${JSON.stringify(
          resourceVersion,
        )}: must be a number`,
      );
    }
    return this.history.since(Number(resourceVersion));
  }

  /** The served kind; 404 as the API server answers for an unknown resource. */
  kind(apiVersion: string, kindName: string): ResourceKind {
    const kind = findKind(apiVersion, kindName);
    if (!kind) throw pathNotFound();
    return kind;
  }

  private namespaceOf(
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

  private requireNamespace(
    kind: ResourceKind,
    namespace: string | undefined,
  ): void {
    if (
      kind.namespaced &&
      !this.objects.has(
        key(this.kind('v1', 'Namespace'), undefined, namespace!),
      )
    ) {
      throw namespaceNotFound(namespace!);
    }
  }

  private checkPrecondition(
    kind: ResourceKind,
    live: KubeObject | undefined,
    body: KubeObject,
  ): void {
    const wanted = body.metadata?.resourceVersion;
    if (live && wanted && wanted !== live.metadata.resourceVersion) {
      throw staleResourceVersion(kind, live.metadata.name);
    }
  }

  private readBody(
    kind: ResourceKind,
    object: KubeObject,
    options: { subresource?: 'status'; fieldValidation?: FieldValidation },
  ) {
    const read = readIncoming(kind, object, this.schemas, options);
    checkSecretEncoding(kind, read.object);
    return read;
  }

  private listTypes(kind: ResourceKind): ListTypeLookup {
    return listTypesFor(
      `${kind.group}/${kind.kind}`,
      kind.crd
        ? this.schemas.listTypes(`${kind.group}/${kind.version}`, kind.kind)
        : undefined,
    );
  }

  /** Server fields, defaults, validation, then a stored revision unless nothing changed. */
  private store(
    kind: ResourceKind,
    live: KubeObject | undefined,
    next: JsonObject,
    managers: Map<string, FieldManager>,
    options: { dryRun?: boolean },
  ): { object: KubeObject; changed: boolean } {
    const metadata = next.metadata as JsonObject;
    if (!live) {
      metadata.uid = randomUUID();
      metadata.creationTimestamp = kubeTime(this.now());
      if (kind.kind === 'Namespace' && !kind.group)
        next.status = { phase: 'Active' };
      if (kind.kind === 'Deployment') next.status = {};
    } else {
      metadata.uid = live.metadata.uid;
      metadata.creationTimestamp = live.metadata.creationTimestamp;
      metadata.resourceVersion = live.metadata.resourceVersion;
    }
    applyBuiltInDefaults(kind, next);
    if (kind.crd) this.schemas.applyDefaults(next);
    validateObject(kind, next, this.schemas, live);
    metadata.generation = nextGeneration(kind, live, next);
    metadata.managedFields = writeManagedFields(managers);
    const object = ordered(next);
    if (live && sameStoredObject(live, object))
      return { object: structuredClone(live), changed: false };
    if (options.dryRun) return { object, changed: true };
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    this.objects.set(
      key(kind, object.metadata.namespace, object.metadata.name),
      object,
    );
    this.emit({
      type: live ? 'MODIFIED' : 'ADDED',
      object,
      previous: live,
      resourceVersion: this.revision,
    });
    return { object: structuredClone(object), changed: true };
  }

  private remove(k: string, live: KubeObject): KubeObject {
    this.objects.delete(k);
    this.revision += 1;
    const object = structuredClone(live);
    object.metadata.resourceVersion = String(this.revision);
    this.emit({ type: 'DELETED', object, resourceVersion: this.revision });
    return object;
  }

  /** Delivers changes in order even when a listener writes while being told. */
  private emit(event: StoredEvent): void {
    this.history.push(event);
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.pending.shift(); next; next = this.pending.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch (error) {
            // A listener's bug must not fail the write that told it; it
            // surfaces as an uncaught error instead of disappearing.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}

function key(
  kind: ResourceKind,
  namespace: string | undefined,
  name: string,
): string {
  return `${kind.group}/${kind.kind}/${namespace ?? ''}/${name}`;
}

function sortKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/** Five characters, as the API server appends to `generateName`. */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from(
    { length: 5 },
    () => alphabet[Math.floor(Math.random() * alphabet.length)],
  ).join('');
}

export { KubeApiError };
