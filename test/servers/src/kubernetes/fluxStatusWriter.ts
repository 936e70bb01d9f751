import { ClusterStore, KubeObject, ObjectRef } from './ClusterStore';
import { mergePatchBetween, statusOf } from './fluxConditions';

/**
 * Patches the `status` subresource of the object as `mutate` rewrites its
 * current status, sending only what changed (nothing when nothing did), so
 * that resourceVersion moves only on real changes. Returns the object as
 * stored afterwards, `undefined` when it is gone.
 */
export function writeStatus(
  store: ClusterStore,
  target: ObjectRef | KubeObject,
  fieldManager: string,
  mutate: (
    status: Record<string, any>,
    object: KubeObject,
  ) => Record<string, any>,
): KubeObject | undefined {
  const ref = 'metadata' in target ? refOf(target) : target;
  const current = store.get(ref);
  if (!current) return undefined;
  const before = statusOf(current);
  const patch = mergePatchBetween(
    before,
    mutate(structuredClone(before), current),
  );
  if (!patch) return current;
  try {
    return store.mergePatch(
      ref,
      { status: patch },
      { fieldManager, subresource: 'status' },
    );
  } catch (error) {
    // Deleted between the read and the write: there is nothing to report on.
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The reference naming `object`. */
export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
}
