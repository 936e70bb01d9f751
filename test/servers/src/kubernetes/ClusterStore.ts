/**
 * The objects of one simulated cluster, as the Kubernetes API server keeps
 * them: what the HTTP API serves and what the simulated Flux controllers read
 * and write. Implemented by `InMemoryClusterStore`.
 */

/** Object metadata, as the API server returns it. */
export interface KubeMetadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
  [field: string]: unknown;
}

/** One manager's fields, in the API server's `managedFields` format. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** A Kubernetes object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [field: string]: unknown;
}

/** Names one object. `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A change, as a watch reports it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/**
 * What the API server does with fields a kind's schema does not know:
 * `Warn` (its default) and `Ignore` drop them, `Strict` refuses the request
 * (400 `BadRequest`).
 */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface ApplyOptions {
  fieldManager: string;
  /** Take fields owned by other managers instead of reporting a conflict. */
  force?: boolean;
  /** Validate and compute the result without storing it. */
  dryRun?: boolean;
  /** Apply to the `status` subresource (only `status` changes). */
  subresource?: 'status';
  /** Default `Warn`. */
  fieldValidation?: FieldValidation;
}

export interface ApplyResult {
  object: KubeObject;
  created: boolean;
  /** False when the apply changed nothing (resourceVersion unchanged). */
  changed: boolean;
  /** What the API server sends in `Warning` headers (dropped unknown fields). */
  warnings?: string[];
}

export interface CreateOptions {
  /** Recorded as an `Update` entry of `managedFields`. */
  fieldManager: string;
  dryRun?: boolean;
  /** Default `Warn`. */
  fieldValidation?: FieldValidation;
}

export interface ListOptions {
  /** Absent: across all namespaces. */
  namespace?: string;
  /** Kubernetes label selector syntax (`a=b,c!=d,e in (f,g),!h`). */
  labelSelector?: string;
}

/**
 * A status the API server would answer with: `status` is the HTTP status,
 * `reason` Kubernetes' reason (`NotFound`, `Conflict`, `Invalid`,
 * `AlreadyExists`, `BadRequest`, `Gone`, `Unauthorized`; a watch from a
 * compacted resourceVersion is 410 `Expired`, as the API server says).
 */
export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      /** The resource (`secrets`), or the kind in `Invalid` errors. */
      kind?: string;
      uid?: string;
      causes?: Array<{ reason?: string; message: string; field?: string }>;
      retryAfterSeconds?: number;
    },
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

/** One cluster's objects. Every write bumps the store's resourceVersion. */
export interface ClusterStore {
  readonly name: string;
  /** The newest resourceVersion handed out. */
  readonly resourceVersion: string;
  get(ref: ObjectRef): KubeObject | undefined;
  list(
    apiVersion: string,
    kind: string,
    options?: ListOptions,
  ): { items: KubeObject[]; resourceVersion: string };
  /**
   * Server-side apply. Throws `KubeApiError` 409 `Conflict` naming each
   * field owned by another manager with a different value (unless `force`),
   * 422 `Invalid` when the result fails the kind's schema.
   */
  apply(object: KubeObject, options: ApplyOptions): ApplyResult;
  /**
   * Creates (POST). Throws 409 `AlreadyExists` when the object exists, 404
   * `NotFound` when its namespace does not, 422 `Invalid` on a bad object.
   * `metadata.generateName` is honoured when `name` is empty.
   */
  create(object: KubeObject, options: CreateOptions): KubeObject;
  /**
   * JSON merge patch (RFC 7386) of the object or of its `status`
   * subresource. Spec changes bump `metadata.generation`.
   */
  mergePatch(
    ref: ObjectRef,
    patch: Record<string, unknown>,
    options: { fieldManager: string; subresource?: 'status'; dryRun?: boolean },
  ): KubeObject;
  /** Deletes; returns the deleted object, `undefined` when absent. */
  delete(ref: ObjectRef): KubeObject | undefined;
  /**
   * Every change from now on, in order, of every kind. For watches from an
   * older resourceVersion, `eventsSince` replays what the store still holds.
   */
  subscribe(listener: (event: WatchEvent) => void): () => void;
  /**
   * Events after `resourceVersion`, oldest first; throws `KubeApiError` 410
   * `Expired` when that version is older than the store keeps (watch from it
   * must re-list).
   */
  eventsSince(resourceVersion: string): WatchEvent[];
}
