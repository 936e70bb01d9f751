/**
 * One step of a field path, encoded as in `managedFields[].fieldsV1`:
 * `f:<name>` a field, `k:<json object>` a list item by its key fields,
 * `v:<json value>` an item of a set-like list, `i:<index>` a list index.
 */
export type PathElement = string;

/** A path from the object's root, e.g. `['f:spec', 'f:interval']`. */
export type FieldPath = readonly PathElement[];

function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

/**
 * A set of field paths, as structured-merge-diff keeps per manager: leaves
 * (scalars, atomic lists and maps, empty maps) and list items.
 */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const path of paths) this.add(path);
  }

  /** Reads `fieldsV1`: a key's value `{}` or one holding `"."` is a member. */
  static fromFieldsV1(fields: Record<string, unknown>): FieldSet {
    const set = new FieldSet();
    const walk = (node: Record<string, unknown>, path: PathElement[]) => {
      const children = Object.keys(node).filter(k => k !== '.');
      if (path.length > 0 && ('.' in node || children.length === 0)) {
        set.add(path);
      }
      for (const child of children) {
        const value = node[child];
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          walk(value as Record<string, unknown>, [...path, child]);
        }
      }
    };
    walk(fields, []);
    return set;
  }

  /** Writes `fieldsV1`, keys sorted with `"."` first as the API server does. */
  toFieldsV1(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const path of this.members.values()) {
      let node = root;
      for (const element of path) {
        node[element] ??= {};
        node = node[element] as Record<string, unknown>;
      }
    }
    const sortAndMark = (
      node: Record<string, unknown>,
      path: PathElement[],
    ) => {
      const keys = Object.keys(node).sort();
      const out: Record<string, unknown> = {};
      if (keys.length > 0 && path.length > 0 && this.has(path)) out['.'] = {};
      for (const key of keys) {
        out[key] = sortAndMark(node[key] as Record<string, unknown>, [
          ...path,
          key,
        ]);
      }
      return out;
    };
    return sortAndMark(root, []);
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  add(path: FieldPath): void {
    this.members.set(pathKey(path), [...path]);
  }

  has(path: FieldPath): boolean {
    return this.members.has(pathKey(path));
  }

  delete(path: FieldPath): void {
    this.members.delete(pathKey(path));
  }

  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  /** True when `path` or a path below it is a member. */
  coversOrContains(path: FieldPath): boolean {
    for (const member of this.members.values()) {
      if (startsWith(member, path)) return true;
    }
    return false;
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter(p => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter(p => other.has(p)));
  }

  filter(keep: (path: FieldPath) => boolean): FieldSet {
    return new FieldSet(this.paths().filter(keep));
  }

  equals(other: FieldSet): boolean {
    return (
      this.size === other.size && this.paths().every(path => other.has(path))
    );
  }
}

/** True when `path` begins with `prefix` (or equals it). */
export function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return path.length >= prefix.length && prefix.every((e, i) => path[i] === e);
}

/**
 * A path as the API server prints it in conflicts: `.spec.interval`,
 * `.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`.
 */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map(element => {
      const body = element.slice(2);
      switch (element.slice(0, 2)) {
        case 'f:':
          return `.${body}`;
        case 'k:': {
          const key = JSON.parse(body) as Record<string, unknown>;
          const parts = Object.keys(key)
            .sort()
            .map(k => `${k}=${JSON.stringify(key[k])}`);
          return `[${parts.join(',')}]`;
        }
        case 'v:':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
