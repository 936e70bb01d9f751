import { JsonObject, deepEqual, isPlainObject } from './objectFields';

/**
 * Applies a JSON merge patch (RFC 7386): objects merge key by key, `null`
 * removes a key, anything else (lists included) replaces.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: JsonObject = isPlainObject(target)
    ? structuredClone(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * The merge patch that turns `from` into `to` (used to record a JSON patch
 * or a replace as the same kind of write). Values that are `null` in `to`
 * cannot be expressed and are dropped, as a merge patch would drop them.
 */
export function createMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) {
    if (!(key in to) || to[key] === null) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === null || deepEqual(from[key], value)) continue;
    patch[key] =
      isPlainObject(value) && isPlainObject(from[key])
        ? createMergePatch(from[key] as JsonObject, value)
        : structuredClone(value);
  }
  return patch;
}
