import {
  ApplyOptions,
  ApplyResult,
  ClusterStore,
  CreateOptions,
  KubeObject,
  ListOptions,
  ObjectRef,
  WatchEvent,
} from './ClusterStore';
import { FluxSchemaValidator, defaultCrdFolder } from './FluxSchemaValidator';
import { applyJsonPatch } from './jsonPatch';
import { ResourceKind, findKind } from './kinds';
import { badRequest, pathNotFound } from './kubeErrors';
import { matchesLabels, parseLabelSelector } from './labelSelector';
import { applyMergePatch } from './mergePatch';
import {
  UpdateOptions,
  WriteResult,
  WriteTarget,
  applyObject,
  createObject,
  namespaceOf,
  updateObject,
} from './objectWrites';
import { ChangeFeed, StoredEvent } from './ChangeFeed';

export type { UpdateOptions, WriteResult } from './objectWrites';

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
  private readonly changes: ChangeFeed;
  private readonly schemas: FluxSchemaValidator;
  private readonly now: () => Date;
  /** What the write pipeline (objectWrites.ts) uses of this store. */
  private readonly target: WriteTarget;

  constructor(options: InMemoryClusterStoreOptions) {
    this.name = options.name;
    this.changes = new ChangeFeed(options.historyLimit ?? 1000);
    this.schemas = new FluxSchemaValidator(
      options.crdFolder ?? defaultCrdFolder,
    );
    this.now = options.now ?? (() => new Date());
    this.target = {
      schemas: this.schemas,
      now: this.now,
      live: (kind, namespace, name) =>
        this.objects.get(key(kind, namespace, name)),
      namespaceExists: name =>
        this.objects.has(key(this.kind('v1', 'Namespace'), undefined, name)),
      commit: (kind, live, object) => this.commit(kind, live, object),
    };
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
    return applyObject(this.target, kind, object, options);
  }

  create(object: KubeObject, options: CreateOptions): KubeObject {
    return this.createObject(object, options).object;
  }

  /** {@link ClusterStore.create} with the warnings for dropped fields. */
  createObject(object: KubeObject, options: CreateOptions): WriteResult {
    const kind = this.kind(object.apiVersion, object.kind);
    return createObject(this.target, kind, object, options);
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
      namespace: namespaceOf(kind, object),
      name: object.metadata?.name,
    };
    return this.patchObject(ref, () => structuredClone(object), options);
  }

  /**
   * Any non-apply write of an existing object: `change` maps the live
   * object to the requested one. Recorded as an Update by `fieldManager`.
   */
  patchObject(
    ref: ObjectRef,
    change: (live: Record<string, unknown>) => unknown,
    options: UpdateOptions,
  ): WriteResult {
    const kind = this.kind(ref.apiVersion, ref.kind);
    return updateObject(this.target, kind, ref, change, options);
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
    return this.changes.listen(listener);
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
    return this.changes.since(Number(resourceVersion));
  }

  /** The served kind; 404 as the API server answers for an unknown resource. */
  kind(apiVersion: string, kindName: string): ResourceKind {
    const kind = findKind(apiVersion, kindName);
    if (!kind) throw pathNotFound();
    return kind;
  }

  private commit(
    kind: ResourceKind,
    live: KubeObject | undefined,
    object: KubeObject,
  ): KubeObject {
    this.revision += 1;
    object.metadata.resourceVersion = String(this.revision);
    this.objects.set(
      key(kind, object.metadata.namespace, object.metadata.name),
      object,
    );
    this.changes.publish({
      type: live ? 'MODIFIED' : 'ADDED',
      object,
      previous: live,
      resourceVersion: this.revision,
    });
    return object;
  }

  private remove(k: string, live: KubeObject): KubeObject {
    this.objects.delete(k);
    this.revision += 1;
    const object = structuredClone(live);
    object.metadata.resourceVersion = String(this.revision);
    this.changes.publish({
      type: 'DELETED',
      object,
      resourceVersion: this.revision,
    });
    return object;
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
