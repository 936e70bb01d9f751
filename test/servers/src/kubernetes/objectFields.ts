import { FieldPath, FieldSet, PathElement } from './FieldSet';
import { ListType, ListTypeLookup } from './listTypes';

/*
 * Walking JSON objects the way structured-merge-diff does: which field paths
 * an object sets, the value at a path, removing a path, and merging an
 * applied configuration into the live object.
 */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (object key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => deepEqual(item, b[i]))
    );
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(k => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

function child(schemaPath: string, field: string): string {
  return schemaPath ? `${schemaPath}.${field}` : field;
}

/** `k:{"name":"x"}` for a keyed list item, fields sorted as Kubernetes does. */
function itemElement(
  item: JsonObject,
  keys: string[],
): PathElement | undefined {
  const present = keys.filter(k => item[k] !== undefined).sort();
  if (present.length === 0) return undefined;
  const key: JsonObject = {};
  for (const k of present) key[k] = item[k];
  return `k:${JSON.stringify(key)}`;
}

function walk(
  value: unknown,
  path: PathElement[],
  schemaPath: string,
  listTypes: ListTypeLookup,
  set: FieldSet,
): void {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path.length > 0) set.add(path);
    for (const key of keys) {
      walk(
        value[key],
        [...path, `f:${key}`],
        child(schemaPath, key),
        listTypes,
        set,
      );
    }
    return;
  }
  if (!Array.isArray(value) || value.length === 0) {
    set.add(path);
    return;
  }
  const listType = listTypes(schemaPath);
  if (listType.type === 'set') {
    for (const item of value) set.add([...path, `v:${JSON.stringify(item)}`]);
    return;
  }
  const elements =
    listType.type === 'map'
      ? value.map(item =>
          isPlainObject(item) ? itemElement(item, listType.keys) : undefined,
        )
      : [];
  if (listType.type !== 'map' || elements.some(e => e === undefined)) {
    set.add(path);
    return;
  }
  value.forEach((item, i) => {
    const itemPath = [...path, elements[i]!];
    set.add(itemPath);
    for (const [key, fieldValue] of Object.entries(item as JsonObject)) {
      walk(
        fieldValue,
        [...itemPath, `f:${key}`],
        child(`${schemaPath}[]`, key),
        listTypes,
        set,
      );
    }
  });
}

/** The paths an object sets: leaves, atomic values, empty maps, list items. */
export function fieldSetOf(
  value: unknown,
  listTypes: ListTypeLookup,
): FieldSet {
  const set = new FieldSet();
  walk(value, [], '', listTypes, set);
  return set;
}

/** Where one path element leads inside a container, if it exists. */
function step(
  container: unknown,
  element: PathElement,
): string | number | undefined {
  const body = element.slice(2);
  if (element.startsWith('f:')) {
    return isPlainObject(container) && body in container ? body : undefined;
  }
  if (!Array.isArray(container)) return undefined;
  if (element.startsWith('i:')) {
    const index = Number(body);
    return index < container.length ? index : undefined;
  }
  const wanted = JSON.parse(body) as unknown;
  const index = element.startsWith('k:')
    ? container.findIndex(
        item =>
          isPlainObject(item) &&
          Object.entries(wanted as JsonObject).every(([k, v]) =>
            deepEqual(item[k], v),
          ),
      )
    : container.findIndex(item => deepEqual(item, wanted));
  return index < 0 ? undefined : index;
}

/** The value at a path; `found` false when some step does not exist. */
export function valueAt(
  root: unknown,
  path: FieldPath,
): { found: boolean; value?: unknown } {
  let node: unknown = root;
  for (const element of path) {
    const key = step(node, element);
    if (key === undefined) return { found: false };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { found: true, value: node };
}

/** Removes the value at a path in place; nothing when it does not exist. */
export function removeAt(root: unknown, path: FieldPath): void {
  if (path.length === 0) return;
  const parent = valueAt(root, path.slice(0, -1));
  if (!parent.found) return;
  const key = step(parent.value, path[path.length - 1]);
  if (key === undefined) return;
  if (typeof key === 'number') (parent.value as unknown[]).splice(key, 1);
  else delete (parent.value as JsonObject)[key];
}

function mergeList(
  live: unknown[],
  config: unknown[],
  listType: ListType,
  schemaPath: string,
  listTypes: ListTypeLookup,
): unknown[] {
  if (listType.type === 'set') {
    return [
      ...live,
      ...config.filter(c => !live.some(l => deepEqual(l, c))),
    ].map(v => structuredClone(v));
  }
  if (listType.type !== 'map') return structuredClone(config);
  const keyOf = (item: unknown) =>
    isPlainObject(item) ? itemElement(item, listType.keys) : undefined;
  const result = live.map(item => structuredClone(item));
  for (const item of config) {
    const key = keyOf(item);
    const index =
      key === undefined ? -1 : result.findIndex(l => keyOf(l) === key);
    if (index < 0) result.push(structuredClone(item));
    else
      result[index] = mergeApplied(
        result[index],
        item,
        `${schemaPath}[]`,
        listTypes,
      );
  }
  return result;
}

/**
 * The live value with an applied configuration merged in: maps field by
 * field, keyed and set lists item by item, everything else replaced.
 */
export function mergeApplied(
  live: unknown,
  config: unknown,
  schemaPath: string,
  listTypes: ListTypeLookup,
): unknown {
  if (isPlainObject(live) && isPlainObject(config)) {
    const result: JsonObject = structuredClone(live);
    for (const [key, value] of Object.entries(config)) {
      result[key] =
        key in live
          ? mergeApplied(live[key], value, child(schemaPath, key), listTypes)
          : structuredClone(value);
    }
    return result;
  }
  if (Array.isArray(live) && Array.isArray(config)) {
    return mergeList(
      live,
      config,
      listTypes(schemaPath),
      schemaPath,
      listTypes,
    );
  }
  return structuredClone(config);
}
