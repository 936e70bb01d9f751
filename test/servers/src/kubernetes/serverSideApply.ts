import { KubeApiError } from './ClusterStore';
import { FieldPath, FieldSet, formatFieldPath } from './FieldSet';
import { ListTypeLookup } from './listTypes';
import {
  FieldManager,
  describeManager,
  idOf,
  managerId,
} from './managedFields';
import {
  JsonObject,
  deepEqual,
  fieldSetOf,
  mergeApplied,
  removeAt,
  valueAt,
} from './objectFields';

/*
 * Field ownership as structured-merge-diff computes it for server-side
 * apply (Apply) and for every other write (Update).
 */

/** What a write needs to know about the object's kind and the moment. */
export interface OwnershipContext {
  listTypes: ListTypeLookup;
  /**
   * Paths nobody owns: apiVersion, kind, metadata.name and the other
   * system fields, and the fields of the scope not written (status for the
   * object, everything else for `/status`).
   */
  ignored: (path: FieldPath) => boolean;
  /** The apiVersion recorded in the managers' entries. */
  apiVersion: string;
  time: string;
}

interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

function ownedFields(value: unknown, context: OwnershipContext): FieldSet {
  return fieldSetOf(value, context.listTypes).filter(p => !context.ignored(p));
}

/** Which owned paths a write adds, removes and changes the value of. */
function compare(
  before: unknown,
  after: unknown,
  context: OwnershipContext,
): Comparison {
  const old = ownedFields(before, context);
  const next = ownedFields(after, context);
  const modified = next.intersection(old).filter(path => {
    // A keyed list item is changed through its fields, not as a whole.
    if (path[path.length - 1].startsWith('k:')) return false;
    return !deepEqual(valueAt(before, path).value, valueAt(after, path).value);
  });
  return {
    added: next.difference(old),
    removed: old.difference(next),
    modified,
  };
}

function conflictError(
  conflicts: Array<{ manager: FieldManager; path: FieldPath }>,
): KubeApiError {
  const sorted = conflicts
    .map(c => ({
      who: describeManager(c.manager),
      field: formatFieldPath(c.path),
    }))
    .sort(
      (a, b) => a.who.localeCompare(b.who) || a.field.localeCompare(b.field),
    );
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${sorted[0].who}: ${sorted[0].field}`;
  } else {
    const lines: string[] = [];
    for (const who of [...new Set(sorted.map(c => c.who))]) {
      lines.push(`conflicts with ${who}:`);
      for (const c of sorted.filter(s => s.who === who)) {
        lines.push(`- ${c.field}`);
      }
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join(
      '\n',
    )}`;
  }
  return new KubeApiError(409, 'Conflict', message, {
    causes: sorted.map(c => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.who}`,
      field: c.field,
    })),
  });
}

/**
 * Server-side apply of `config` onto `live` by `manager`: merges, removes
 * what the manager applied before and no longer applies (unless another
 * manager owns it), and refuses (409) or, with `force`, takes fields other
 * managers own with a different value. The manager then owns exactly what
 * it applied.
 */
export function applyWithOwnership(options: {
  live: JsonObject;
  config: JsonObject;
  managers: Map<string, FieldManager>;
  manager: string;
  subresource?: string;
  force: boolean;
  context: OwnershipContext;
}): { object: JsonObject; managers: Map<string, FieldManager> } {
  const { live, config, manager, subresource, context } = options;
  const managers = new Map(options.managers);
  const id = managerId(manager, 'Apply', subresource);
  const applied = ownedFields(config, context);
  const previous = managers.get(id);
  const merged = mergeApplied(
    live,
    config,
    '',
    context.listTypes,
  ) as JsonObject;

  const others = [...managers.values()].filter(m => idOf(m) !== id);
  const ownedByOthers = others.reduce(
    (all, m) => all.union(m.set),
    new FieldSet(),
  );
  for (const path of (previous?.set ?? new FieldSet())
    .difference(applied)
    .paths()) {
    if (!ownedByOthers.coversOrContains(path)) removeAt(merged, path);
  }

  const changes = compare(live, merged, context);
  const changed = changes.modified.union(changes.added);
  const conflicts = others.flatMap(m =>
    m.set
      .intersection(changed)
      .paths()
      .map(path => ({ manager: m, path })),
  );
  if (conflicts.length > 0 && !options.force) throw conflictError(conflicts);

  for (const other of others) {
    const set = other.set.difference(changed).difference(changes.removed);
    if (!set.equals(other.set)) managers.set(idOf(other), { ...other, set });
  }
  const unchanged =
    previous &&
    previous.set.equals(applied) &&
    previous.apiVersion === context.apiVersion;
  managers.set(id, {
    manager,
    operation: 'Apply',
    subresource,
    apiVersion: context.apiVersion,
    time: unchanged ? previous.time : context.time,
    set: applied,
  });
  return { object: merged, managers };
}

/**
 * Ownership after any write that is not an apply (create, merge or JSON
 * patch, replace): the writer takes every field it added or changed, from
 * whoever owned it, and removed fields are nobody's any more.
 */
export function updateOwnership(options: {
  live: JsonObject;
  next: JsonObject;
  managers: Map<string, FieldManager>;
  manager: string;
  subresource?: string;
  context: OwnershipContext;
}): Map<string, FieldManager> {
  const { context, manager, subresource } = options;
  const managers = new Map(options.managers);
  const changes = compare(options.live, options.next, context);
  const taken = changes.modified.union(changes.added);
  if (taken.isEmpty() && changes.removed.isEmpty()) return managers;
  const id = managerId(manager, 'Update', subresource);
  for (const other of managers.values()) {
    if (idOf(other) === id) continue;
    const set = other.set.difference(taken).difference(changes.removed);
    if (!set.equals(other.set)) managers.set(idOf(other), { ...other, set });
  }
  const mine = managers.get(id)?.set ?? new FieldSet();
  managers.set(id, {
    manager,
    operation: 'Update',
    subresource,
    apiVersion: context.apiVersion,
    time: context.time,
    set: mine.difference(changes.removed).union(taken),
  });
  return managers;
}
