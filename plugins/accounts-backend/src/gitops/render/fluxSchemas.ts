import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { fieldPath, isPlainObject, JsonObject } from './mergeValues';

interface SchemaEntry {
  schema: JsonObject;
  validate?: ValidateFunction;
}

let entries: Map<string, SchemaEntry> | undefined;
let ajvInstance: Ajv | undefined;

/** The folder of the Flux CRDs shipped with this package. */
export function fluxCrdFolder(): string {
  return resolvePackagePath(
    '@fleet-portal/plugin-accounts-backend',
    'flux-crds',
  );
}

function entryKey(apiVersion: string, kind: string) {
  return `${apiVersion} ${kind}`;
}

/** Reads every served version's schema of every CRD in the folder, once. */
function schemas(): Map<string, SchemaEntry> {
  if (entries) return entries;
  const loaded = new Map<string, SchemaEntry>();
  const folder = fluxCrdFolder();
  for (const file of readdirSync(folder)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    const crd = parse(readFileSync(join(folder, file), 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    for (const version of versions ?? []) {
      const schema = version.served && version.schema?.openAPIV3Schema;
      if (schema) {
        loaded.set(entryKey(`${group}/${version.name}`, names.kind), {
          schema: closeObjects(schema) as JsonObject,
        });
      }
    }
  }
  entries = loaded;
  return loaded;
}

/**
 * Like `kubectl apply --validate=strict`: a field the schema does not know is
 * an error (the API server would silently prune it), except below
 * `x-kubernetes-preserve-unknown-fields` (e.g. Helm values).
 */
function closeObjects(schema: unknown): unknown {
  if (!isPlainObject(schema)) return schema;
  const copy: JsonObject = { ...schema };
  if (isPlainObject(schema.properties)) {
    copy.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [k, closeObjects(v)]),
    );
    if (
      schema.additionalProperties === undefined &&
      schema['x-kubernetes-preserve-unknown-fields'] !== true
    ) {
      copy.additionalProperties = false;
    }
  }
  if (isPlainObject(schema.additionalProperties)) {
    copy.additionalProperties = closeObjects(schema.additionalProperties);
  }
  if (Array.isArray(schema.items)) copy.items = schema.items.map(closeObjects);
  else if (schema.items !== undefined) copy.items = closeObjects(schema.items);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[key];
    if (Array.isArray(list)) copy[key] = list.map(closeObjects);
  }
  if (schema.not !== undefined) copy.not = closeObjects(schema.not);
  return copy;
}

function createAjv(): Ajv {
  // strict: false because CRDs carry OpenAPI keywords (nullable, default,
  // x-kubernetes-*) that are not JSON Schema. Kubernetes' formats are
  // defined here so that they are checked, not skipped as unknown.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', {
    type: 'number',
    validate: n => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', {
    type: 'number',
    validate: n => Number.isInteger(n) && Math.abs(n) <= 2 ** 63,
  });
  ajv.addFormat('float', { type: 'number', validate: Number.isFinite });
  ajv.addFormat('double', { type: 'number', validate: Number.isFinite });
  ajv.addFormat(
    'byte',
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  );
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat(
    'date-time',
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  );
  ajv.addFormat(
    'duration',
    /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+)$/,
  );
  // Known keywords, so that they are not mistaken for typos. They do not
  // constrain what the renderer writes: list types and int-or-string do not
  // occur in the CRDs copied here, and CEL rules (x-kubernetes-validations)
  // are the API server's; the one the renderer relies on, chart xor
  // chartRef, is checked in kubernetesRules.ts.
  for (const keyword of [
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-embedded-resource',
    'x-kubernetes-int-or-string',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>(
      (path, segment) =>
        fieldPath(path, /^\d+$/.test(segment) ? Number(segment) : segment),
      '',
    );
}

function describe(error: ErrorObject): string {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${fieldPath(path, String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${fieldPath(
        path,
        String(params.additionalProperty),
      )}: is not a field of this kind`;
    case 'enum':
      return `${path || '(object)'}: must be one of ${(
        params.allowedValues as unknown[]
      )
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    default:
      return `${path || '(object)'}: ${error.message}`;
  }
}

/** The apiVersion and kind of every Flux object there is a schema for. */
export function fluxObjectKinds(): Array<{ apiVersion: string; kind: string }> {
  return [...schemas().keys()].map(key => {
    const [apiVersion, kind] = key.split(' ');
    return { apiVersion, kind };
  });
}

/** True when `apiVersion` belongs to a Flux API group (`*.toolkit.fluxcd.io`). */
export function isFluxApiVersion(apiVersion: unknown): boolean {
  return (
    typeof apiVersion === 'string' &&
    /^[a-z]+\.toolkit\.fluxcd\.io\//.test(apiVersion)
  );
}

/**
 * Validates a Flux object against the `openAPIV3Schema` of the CRD serving
 * its apiVersion and kind (the check an API server makes on create), with
 * unknown fields refused. Returns problems as `field.path: message`; empty
 * when the object is valid. Each schema is compiled once, on first use.
 */
export function validateFluxObject(object: unknown): string[] {
  if (!isPlainObject(object)) return ['(object): must be an object'];
  const { apiVersion, kind } = object;
  const entry =
    typeof apiVersion === 'string' && typeof kind === 'string'
      ? schemas().get(entryKey(apiVersion, kind))
      : undefined;
  if (!entry) {
    return [
      `apiVersion: no Flux CRD serves kind ${String(kind)} in ${String(
        apiVersion,
      )}`,
    ];
  }
  if (!entry.validate) {
    ajvInstance ??= createAjv();
    entry.validate = ajvInstance.compile(entry.schema);
  }
  if (entry.validate(object)) return [];
  return [...new Set((entry.validate.errors ?? []).map(describe))];
}
