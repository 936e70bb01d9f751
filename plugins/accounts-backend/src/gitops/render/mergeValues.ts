/** A JSON object: what Helm values and CRD specs are made of. */
export type JsonObject = Record<string, unknown>;

/** True for `{...}` objects (not arrays, null, dates or class instances). */
export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets a property as an own, enumerable data property. Plain assignment of a
 * key named `__proto__` would change the object's prototype instead of
 * keeping the key as data.
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A deep copy of JSON data, with the keys of every object sorted. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (!isPlainObject(value)) return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort(compareKeys)) {
    setOwn(sorted, key, sortKeysDeep(value[key]));
  }
  return sorted as T;
}

/** Code-unit order: the same in every locale and Node version. */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function mergeTwo(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: JsonObject = {};
  for (const key of Object.keys(base)) setOwn(merged, key, base[key]);
  for (const key of Object.keys(override)) {
    const value = Object.prototype.hasOwnProperty.call(merged, key)
      ? mergeTwo(merged[key], override[key])
      : override[key];
    setOwn(merged, key, value);
  }
  return merged;
}

/**
 * Merges Helm values layers, later over earlier: plain objects merge key by
 * key, arrays and scalars replace. Returns a fresh deep copy with sorted keys
 * (so the result shares no object with the inputs, and YAML never needs an
 * alias for a repeated object).
 */
export function mergeValues(
  ...layers: Array<JsonObject | undefined>
): JsonObject {
  const merged = layers.reduce<unknown>(
    (acc, layer) => (layer === undefined ? acc : mergeTwo(acc, layer)),
    {},
  );
  return sortKeysDeep(merged) as JsonObject;
}

const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where `value` is not JSON data that YAML and Kubernetes carry unchanged:
 * non-finite numbers, strings that are not valid Unicode (lone surrogates
 * cannot be written as UTF-8), `undefined`, functions, dates, class
 * instances. Returns `path: message` problems; empty when it is fine.
 */
export function jsonDataProblems(value: unknown, path: string): string[] {
  const where = path || '(value)';
  switch (typeof value) {
    case 'string':
      return LONE_SURROGATE.test(value)
        ? [`${where}: must be valid Unicode text (has a lone surrogate)`]
        : [];
    case 'boolean':
      return [];
    case 'number':
      return Number.isFinite(value)
        ? []
        : [`${where}: must be a finite number`];
    case 'object':
      if (value === null) return [];
      if (Array.isArray(value)) {
        return value.flatMap((item, i) =>
          jsonDataProblems(item, fieldPath(path, i)),
        );
      }
      if (!isPlainObject(value)) return [`${where}: must be plain JSON data`];
      return Object.keys(value).flatMap(key => [
        ...jsonDataProblems(key, `${where} key ${JSON.stringify(key)}`),
        ...jsonDataProblems(value[key], fieldPath(path, key)),
      ]);
    default:
      return [`${where}: must be JSON data, not ${typeof value}`];
  }
}

/** The path of `key` below `parent`, e.g. `metadata.labels["a/b"]`, `x[0]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) {
    return parent ? `${parent}.${key}` : key;
  }
  return `${parent}[${JSON.stringify(key)}]`;
}
