import { evaluateCelRule } from './celRules';
import { FieldCause } from './kubeErrors';
import { ListType } from './listTypes';
import { JsonObject, isPlainObject } from './objectFields';

/*
 * What the API server does with a custom resource's structural schema
 * besides JSON-schema validation: pruning unknown fields, defaulting, list
 * types for server-side apply, and `x-kubernetes-validations` rules.
 */

export type Schema = JsonObject;

/** Appends a field to a path as the API server prints it (`spec.a[0].b`). */
export function fieldPath(parent: string, field: string | number): string {
  if (typeof field === 'number') return `${parent}[${field}]`;
  return parent ? `${parent}.${field}` : field;
}

function properties(schema: Schema): Record<string, Schema> | undefined {
  return isPlainObject(schema.properties)
    ? (schema.properties as Record<string, Schema>)
    : undefined;
}

function preservesUnknown(schema: Schema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

/** The metadata the API server keeps in an embedded object's `metadata`. */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Removes fields the schema does not declare, in place, except below
 * `x-kubernetes-preserve-unknown-fields`, and `null`s where the schema does
 * not allow them. Returns the removed paths (`spec.foo`).
 */
export function prune(value: unknown, schema: Schema, path = ''): string[] {
  const removed: string[] = [];
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    value.forEach((item, i) =>
      removed.push(...prune(item, schema.items as Schema, fieldPath(path, i))),
    );
    return removed;
  }
  if (!isPlainObject(value)) return removed;
  const props = properties(schema);
  const embedded =
    path === '' || schema['x-kubernetes-embedded-resource'] === true;
  const additional = isPlainObject(schema.additionalProperties)
    ? (schema.additionalProperties as Schema)
    : undefined;
  for (const key of Object.keys(value)) {
    if (embedded && ROOT_FIELDS.has(key)) continue;
    const child = props?.[key] ?? additional;
    if (value[key] === null && !(child?.nullable === true)) {
      delete value[key];
    } else if (child) {
      removed.push(...prune(value[key], child, fieldPath(path, key)));
    } else if (
      !preservesUnknown(schema) &&
      schema.additionalProperties !== true
    ) {
      removed.push(fieldPath(path, key));
      delete value[key];
    }
  }
  return removed;
}

/** Fills `default`s of absent fields of present objects, in place. */
export function applyDefaults(value: unknown, schema: Schema): void {
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    for (const item of value) applyDefaults(item, schema.items as Schema);
    return;
  }
  if (!isPlainObject(value)) return;
  const props = properties(schema) ?? {};
  for (const [key, child] of Object.entries(props)) {
    if (value[key] === undefined && child.default !== undefined) {
      value[key] = structuredClone(child.default);
    }
  }
  const additional = isPlainObject(schema.additionalProperties)
    ? (schema.additionalProperties as Schema)
    : undefined;
  for (const [key, child] of Object.entries(value)) {
    const childSchema = props[key] ?? additional;
    if (childSchema) applyDefaults(child, childSchema);
  }
}

/** The list type at a schema path (`spec.items[].ports`), atomic by default. */
export function listTypeAt(schema: Schema, schemaPath: string): ListType {
  let node: Schema | undefined = schema;
  for (const segment of schemaPath.split('.')) {
    const name = segment.replace(/(\[\])+$/, '');
    node = node && properties(node)?.[name];
    for (let n = (segment.length - name.length) / 2; n > 0 && node; n -= 1) {
      node = isPlainObject(node.items) ? (node.items as Schema) : undefined;
    }
  }
  const type = node?.['x-kubernetes-list-type'];
  if (type === 'map' && Array.isArray(node?.['x-kubernetes-list-map-keys'])) {
    return {
      type: 'map',
      keys: node!['x-kubernetes-list-map-keys'] as string[],
    };
  }
  return type === 'set' ? { type: 'set' } : { type: 'atomic' };
}

/**
 * Checks the `x-kubernetes-validations` rules of every present object;
 * rules beyond the supported CEL subset are skipped.
 */
export function celViolations(
  value: unknown,
  schema: Schema,
  path = '',
): FieldCause[] {
  const causes: FieldCause[] = [];
  const rules = schema['x-kubernetes-validations'];
  if (value !== undefined && Array.isArray(rules)) {
    for (const rule of rules as Array<{ rule: string; message?: string }>) {
      if (evaluateCelRule(rule.rule, value) === false) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: path || '<root>',
          message: `Invalid value: "object": ${
            rule.message ?? `failed rule: ${rule.rule}`
          }`,
        });
      }
    }
  }
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    value.forEach((item, i) =>
      causes.push(
        ...celViolations(item, schema.items as Schema, fieldPath(path, i)),
      ),
    );
  } else if (isPlainObject(value)) {
    const props = properties(schema) ?? {};
    for (const [key, child] of Object.entries(value)) {
      if (props[key])
        causes.push(...celViolations(child, props[key], fieldPath(path, key)));
    }
  }
  return causes;
}
