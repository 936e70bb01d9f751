import { KubeApiError } from './ClusterStore';
import { ResourceKind, qualifiedKind, qualifiedResource } from './kinds';

/*
 * The errors the API server answers with, worded as it words them
 * (k8s.io/apimachinery/pkg/api/errors).
 */

/** One field problem, as in `details.causes`. */
export interface FieldCause {
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`… */
  reason: string;
  /** The path without a leading dot: `spec.interval`, `spec.items[0]`. */
  field: string;
  /** Without the field: `Required value`, `Invalid value: "x": …`. */
  message: string;
}

function resourceDetails(kind: ResourceKind, name: string) {
  return kind.group
    ? { name, group: kind.group, kind: kind.plural }
    : { name, kind: kind.plural };
}

export function notFound(kind: ResourceKind, name: string): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    `${qualifiedResource(kind)} "${name}" not found`,
    resourceDetails(kind, name),
  );
}

/** What the API server answers for a path it does not serve. */
export function pathNotFound(): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    'the server could not find the requested resource',
    {},
  );
}

export function namespaceNotFound(namespace: string): KubeApiError {
  return new KubeApiError(
    404,
    'NotFound',
    `namespaces "${namespace}" not found`,
    { name: namespace, kind: 'namespaces' },
  );
}

export function alreadyExists(kind: ResourceKind, name: string): KubeApiError {
  return new KubeApiError(
    409,
    'AlreadyExists',
    `${qualifiedResource(kind)} "${name}" already exists`,
    resourceDetails(kind, name),
  );
}

/** A write from a stale resourceVersion (optimistic concurrency). */
export function staleResourceVersion(
  kind: ResourceKind,
  name: string,
): KubeApiError {
  return new KubeApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      kind,
    )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    resourceDetails(kind, name),
  );
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError(400, 'BadRequest', message);
}

/** 422 with one cause per field, in the API server's `Invalid` wording. */
export function invalid(
  kind: ResourceKind,
  name: string,
  causes: FieldCause[],
): KubeApiError {
  const lines = causes.map(c => `${c.field}: ${c.message}`);
  const summary = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  return new KubeApiError(
    422,
    'Invalid',
    `${qualifiedKind(kind)} "${name}" is invalid: ${summary}`,
    {
      name,
      ...(kind.group ? { group: kind.group } : {}),
      kind: kind.kind,
      causes: causes.map(c => ({
        reason: c.reason,
        message: c.message,
        field: c.field,
      })),
    },
  );
}

/** How the API server quotes a value in `Invalid value: …`. */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '"array"';
  if (typeof value === 'object') return '"object"';
  return String(value);
}

export function invalidValue(
  field: string,
  value: unknown,
  detail: string,
): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${quoteValue(value)}: ${detail}`,
  };
}

export function requiredValue(field: string, detail?: string): FieldCause {
  return {
    reason: 'FieldValueRequired',
    field,
    message: detail ? `Required value: ${detail}` : 'Required value',
  };
}

/** 410 for a watch or list from a resourceVersion the store no longer has. */
export function expired(requested: number, oldest: number): KubeApiError {
  return new KubeApiError(
    410,
    'Expired',
    `too old resource version: ${requested} (${oldest})`,
  );
}

export function methodNotAllowed(): KubeApiError {
  return new KubeApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function unauthorized(): KubeApiError {
  return new KubeApiError(401, 'Unauthorized', 'Unauthorized');
}

/** 415 for a patch type the resource does not accept. */
export function unsupportedMediaType(accepted: string[]): KubeApiError {
  return new KubeApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
      ', ',
    )}`,
    {},
  );
}
