import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readdirSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parse } from 'yaml';
import { FieldCause, quoteValue } from './kubeErrors';
import { ListTypeLookup } from './listTypes';
import { isPlainObject } from './objectFields';
import {
  Schema,
  applyDefaults,
  celViolations,
  fieldPath,
  listTypeAt,
  prune,
} from './structuralSchema';

/**
 * The Flux CRDs the portal ships. This package only ever runs from source
 * (tests, `yarn simulator`), so this file's folder leads to them.
 */
export const defaultCrdFolder = resolve(
  // eslint-disable-next-line no-restricted-syntax
  __dirname,
  '../../../../plugins/accounts-backend/flux-crds',
);

interface Entry {
  schema: Schema;
  validate: ValidateFunction;
}

const cache = new Map<string, Map<string, Entry>>();

function createAjv(): Ajv {
  // strict: false because CRD schemas carry OpenAPI keywords (nullable,
  // x-kubernetes-*) that are not JSON Schema; logger: false so that unknown
  // formats are ignored quietly, as the API server ignores them.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  const integer = (bits: number) => (n: number) =>
    Number.isInteger(n) && Math.abs(n) <= 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: integer(32) });
  ajv.addFormat('int64', { type: 'number', validate: integer(64) });
  ajv.addFormat(
    'date-time',
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  );
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

function load(folder: string): Map<string, Entry> {
  const cached = cache.get(folder);
  if (cached) return cached;
  const ajv = createAjv();
  const entries = new Map<string, Entry>();
  for (const file of readdirSync(folder)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    const crd = parse(readFileSync(join(folder, file), 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    for (const version of versions ?? []) {
      const schema = version.served && version.schema?.openAPIV3Schema;
      if (!schema) continue;
      entries.set(`${group}/${version.name} ${names.kind}`, {
        schema,
        validate: ajv.compile(schema),
      });
    }
  }
  cache.set(folder, entries);
  return entries;
}

function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>(
      (path, s) => fieldPath(path, /^\d+$/.test(s) ? Number(s) : s),
      '',
    );
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** One Ajv error in the API server's words. */
function toCause(error: ErrorObject, value: unknown): FieldCause {
  const field = pointerToField(error.instancePath);
  const params = error.params as Record<string, any>;
  const where = field || '<root>';
  const invalid = (detail: string): FieldCause => ({
    reason: 'FieldValueInvalid',
    field: where,
    message: `Invalid value: ${quoteValue(value)}: ${where} in body ${detail}`,
  });
  switch (error.keyword) {
    case 'required':
      return {
        reason: 'FieldValueRequired',
        field: fieldPath(field, params.missingProperty),
        message: 'Required value',
      };
    case 'enum':
      return {
        reason: 'FieldValueNotSupported',
        field: where,
        message: `Unsupported value: ${quoteValue(value)}: supported values: ${(
          params.allowedValues as unknown[]
        )
          .map(v => JSON.stringify(v))
          .join(', ')}`,
      };
    case 'type':
      return {
        reason: 'FieldValueTypeInvalid',
        field: where,
        message: `Invalid value: "${typeName(
          value,
        )}": ${where} in body must be of type ${params.type}: "${typeName(
          value,
        )}"`,
      };
    case 'anyOf':
      return invalid('must validate one and only one schema (anyOf)');
    case 'pattern':
      return invalid(`should match '${params.pattern}'`);
    case 'format':
      return invalid(`must be of type ${params.format}: ${quoteValue(value)}`);
    case 'minLength':
      return invalid(`should be at least ${params.limit} chars long`);
    case 'maxLength':
      return {
        reason: 'FieldValueTooLong',
        field: where,
        message: `Too long: may not be more than ${params.limit} bytes`,
      };
    case 'minimum':
      return invalid(`should be greater than or equal to ${params.limit}`);
    case 'maximum':
      return invalid(`should be less than or equal to ${params.limit}`);
    case 'minItems':
      return invalid(`should have at least ${params.limit} items`);
    case 'maxItems':
      return {
        reason: 'FieldValueTooMany',
        field: where,
        message: `Too many: ${
          Array.isArray(value) ? value.length : 0
        }: must have at most ${params.limit} items`,
      };
    default:
      return invalid(error.message ?? 'is invalid');
  }
}

function valueAtPointer(root: unknown, pointer: string): unknown {
  let node = root;
  for (const s of pointer.split('/').slice(1)) {
    const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
    node =
      isPlainObject(node) || Array.isArray(node)
        ? (node as any)[key]
        : undefined;
  }
  return node;
}

/**
 * The Flux CRDs' `openAPIV3Schema`s, used as the API server uses them:
 * prune unknown fields, apply defaults, validate (JSON schema and the
 * supported subset of CEL rules). Schemas are read and compiled once per
 * folder.
 */
export class FluxSchemaValidator {
  private readonly entries: Map<string, Entry>;

  constructor(folder: string = defaultCrdFolder) {
    this.entries = load(folder);
  }

  private entry(apiVersion: string, kind: string): Entry {
    const entry = this.entries.get(`${apiVersion} ${kind}`);
    if (!entry) throw new Error(`No CRD serves ${kind} in ${apiVersion}`);
    return entry;
  }

  /** True when a CRD in the folder serves the kind in this version. */
  serves(apiVersion: string, kind: string): boolean {
    return this.entries.has(`${apiVersion} ${kind}`);
  }

  /** Drops undeclared fields in place; returns their paths. */
  prune(object: Record<string, unknown>): string[] {
    return prune(
      object,
      this.entry(String(object.apiVersion), String(object.kind)).schema,
    );
  }

  applyDefaults(object: Record<string, unknown>): void {
    applyDefaults(
      object,
      this.entry(String(object.apiVersion), String(object.kind)).schema,
    );
  }

  /** What is wrong with the object; empty when it is valid. */
  validate(object: Record<string, unknown>): FieldCause[] {
    const entry = this.entry(String(object.apiVersion), String(object.kind));
    const causes: FieldCause[] = [];
    if (!entry.validate(object)) {
      for (const error of entry.validate.errors ?? []) {
        // The branches of an anyOf (int-or-string) are reported as one.
        if (error.schemaPath.includes('/anyOf/')) continue;
        causes.push(toCause(error, valueAtPointer(object, error.instancePath)));
      }
    }
    causes.push(...celViolations(object, entry.schema));
    const seen = new Set<string>();
    return causes.filter(c => {
      const key = `${c.field}\u0000${c.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  /** The list types the schema declares, for server-side apply. */
  listTypes(apiVersion: string, kind: string): ListTypeLookup {
    const { schema } = this.entry(apiVersion, kind);
    return schemaPath => listTypeAt(schema, schemaPath);
  }
}
