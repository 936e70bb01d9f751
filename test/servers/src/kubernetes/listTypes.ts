/**
 * How server-side apply treats a list (`x-kubernetes-list-type`): `atomic`
 * lists are one value owned as a whole, `map` lists are merged item by item
 * by their key fields, `set` lists by value.
 */
export type ListType =
  | { type: 'atomic' }
  | { type: 'map'; keys: string[] }
  | { type: 'set' };

/**
 * The list type at a schema path: field names joined by dots, `[]` after a
 * list for its items (`spec.template.spec.containers[].env`).
 */
export type ListTypeLookup = (schemaPath: string) => ListType;

const ATOMIC: ListType = { type: 'atomic' };

/** Lists of ObjectMeta, the same in every kind. */
const metadataLists: Record<string, ListType> = {
  'metadata.finalizers': { type: 'set' },
  'metadata.ownerReferences': { type: 'map', keys: ['uid'] },
};

/** The keyed lists of a pod template, as the built-in OpenAPI marks them. */
function podSpecLists(prefix: string): Record<string, ListType> {
  const lists: Record<string, ListType> = {
    [`${prefix}.volumes`]: { type: 'map', keys: ['name'] },
    [`${prefix}.imagePullSecrets`]: { type: 'map', keys: ['name'] },
  };
  for (const containers of ['containers', 'initContainers']) {
    const c = `${prefix}.${containers}`;
    lists[c] = { type: 'map', keys: ['name'] };
    lists[`${c}[].env`] = { type: 'map', keys: ['name'] };
    lists[`${c}[].ports`] = {
      type: 'map',
      keys: ['containerPort', 'protocol'],
    };
    lists[`${c}[].volumeMounts`] = { type: 'map', keys: ['mountPath'] };
  }
  return lists;
}

const builtInLists: Record<string, Record<string, ListType>> = {
  'apps/Deployment': podSpecLists('spec.template.spec'),
};

/**
 * The list types of a kind: ObjectMeta's, the built-in table for built-in
 * kinds, and for custom resources what `fromSchema` reads in the CRD
 * (lists without `x-kubernetes-list-type` are atomic, as in Kubernetes).
 */
export function listTypesFor(
  groupAndKind: string,
  fromSchema?: ListTypeLookup,
): ListTypeLookup {
  const table = builtInLists[groupAndKind] ?? {};
  return schemaPath =>
    metadataLists[schemaPath] ??
    table[schemaPath] ??
    (fromSchema ? fromSchema(schemaPath) : ATOMIC);
}
