import { FieldValidation, KubeObject } from './ClusterStore';
import { FluxSchemaValidator } from './FluxSchemaValidator';
import { ResourceKind } from './kinds';
import { badRequest } from './kubeErrors';
import { JsonObject, isPlainObject } from './objectFields';

/*
 * What the API server does to a request body before any write logic:
 * decode (unknown fields dropped, or refused when strict), convert write-only
 * fields, and default.
 */

/** Metadata a client may set; the rest is the server's. */
const CLIENT_METADATA = [
  'name',
  'generateName',
  'namespace',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
];

const SHARED = ['apiVersion', 'kind', 'metadata'];

/** Secrets: `stringData` is write-only, merged into base64 `data`. */
function convertStringData(object: JsonObject): void {
  if (!isPlainObject(object.stringData)) {
    delete object.stringData;
    return;
  }
  const data: JsonObject = isPlainObject(object.data) ? object.data : {};
  for (const [key, value] of Object.entries(object.stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  object.data = data;
  delete object.stringData;
}

function dropNulls(object: JsonObject): void {
  for (const [key, value] of Object.entries(object)) {
    if (value === null) delete object[key];
  }
}

export interface IncomingOptions {
  /** Writes to `/status` keep only `status`. */
  subresource?: 'status';
  fieldValidation?: FieldValidation;
}

/**
 * A request body as the API server reads it: a copy with unknown fields
 * dropped (`Warn`, `Ignore`) or refused (`Strict`, 400 `BadRequest`),
 * `status` dropped outside `/status` for kinds with that subresource,
 * server-owned metadata dropped and Secret `stringData` merged into `data`.
 * Returns the warnings the API server would send for dropped fields.
 */
export function readIncoming(
  kind: ResourceKind,
  body: KubeObject,
  schemas: FluxSchemaValidator,
  options: IncomingOptions = {},
): { object: JsonObject; warnings: string[] } {
  const object = structuredClone(body) as JsonObject;
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  object.metadata = Object.fromEntries(
    Object.entries(metadata).filter(
      ([key, value]) => CLIENT_METADATA.includes(key) && value !== null,
    ),
  );
  dropNulls(object);
  let unknown: string[];
  if (kind.crd) {
    unknown = schemas.prune(object);
  } else {
    const known = new Set([...SHARED, ...(kind.fields ?? [])]);
    unknown = Object.keys(object).filter(key => !known.has(key));
    for (const key of unknown) delete object[key];
  }
  if (unknown.length > 0 && options.fieldValidation === 'Strict') {
    throw badRequest(
      `${kind.kind} in version "${kind.version}" cannot be handled as a ${
        kind.kind
      }: strict decoding error: ${unknown
        .map(field => `unknown field "${field}"`)
        .join(', ')}`,
    );
  }
  if (kind.kind === 'Secret' && !kind.group) convertStringData(object);
  if (options.subresource === 'status') {
    // /status writes change nothing but status, metadata included.
    const { name, namespace } = object.metadata as JsonObject;
    return {
      object: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name, ...(namespace ? { namespace } : {}) },
        status: object.status ?? {},
      },
      warnings: [],
    };
  }
  if (kind.statusSubresource) delete object.status;
  const warnings =
    options.fieldValidation === 'Ignore'
      ? []
      : unknown.map(field => `unknown field "${field}"`);
  return { object, warnings };
}

/** Defaults the API server sets on built-in kinds (the top-level ones). */
export function applyBuiltInDefaults(
  kind: ResourceKind,
  object: JsonObject,
): void {
  if (kind.group === 'apps' && kind.kind === 'Deployment') {
    const spec: JsonObject = isPlainObject(object.spec) ? object.spec : {};
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    };
    object.spec = spec;
  } else if (kind.kind === 'Secret' && !kind.group) {
    object.type ??= 'Opaque';
  } else if (kind.kind === 'Namespace' && !kind.group) {
    const metadata = object.metadata as JsonObject;
    metadata.labels = {
      ...(metadata.labels as JsonObject | undefined),
      'kubernetes.io/metadata.name': metadata.name,
    };
    object.spec ??= { finalizers: ['kubernetes'] };
  }
}
