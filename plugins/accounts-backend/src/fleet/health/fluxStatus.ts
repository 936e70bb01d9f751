import {
  ClusterSyncStatus,
  FluxCondition,
} from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../../cluster/ClusterClient';
import {
  REQUESTED_AT_ANNOTATION,
  SUSPENDED_AT_ANNOTATION,
  SUSPENDED_BY_ANNOTATION,
} from '../../cluster/flux/fluxAnnotations';
import { WAITING_REASONS } from '../../cluster/flux/fluxConditions';

/*
 * Reading the status Flux's controllers write, shared by the release and
 * Kustomization health rules.
 */

/** A condition as Flux writes it: with the generation it was set for. */
export interface StatusCondition extends FluxCondition {
  observedGeneration?: number;
}

/** The status fields every Flux object the health model reads has. */
export interface FluxStatus {
  observedGeneration?: number;
  lastHandledReconcileAt?: string;
  conditions?: StatusCondition[];
}

/** The object's status, typed as far as the health model reads it. */
export function statusOf<T extends FluxStatus>(object: KubeObject): T {
  return (object.status ?? {}) as T;
}

/** `HelmRelease acme/web`. */
export function describe(object: KubeObject): string {
  const { name, namespace } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The condition of a type, when the object reports one. */
export function findCondition(
  object: KubeObject,
  type: string,
): StatusCondition | undefined {
  return statusOf(object).conditions?.find(c => c.type === type);
}

/** The conditions of these types the object reports, in this order. */
export function reportedConditions(
  object: KubeObject,
  types: readonly string[],
): FluxCondition[] {
  return types.flatMap(type => {
    const c = findCondition(object, type);
    if (!c) return [];
    return [
      {
        type: c.type,
        status: c.status,
        ...(c.reason !== undefined && { reason: c.reason }),
        ...(c.message !== undefined && { message: c.message }),
        ...(c.lastTransitionTime !== undefined && {
          lastTransitionTime: c.lastTransitionTime,
        }),
      },
    ];
  });
}

/**
 * Whether a condition speaks about the current spec: Flux stamps each
 * condition with the generation it was set for, so a failure of an earlier
 * spec does not count against a newer one that is still to be tried.
 */
export function isCurrent(object: KubeObject, condition: StatusCondition) {
  const generation = object.metadata.generation;
  return (
    condition.observedGeneration === undefined ||
    generation === undefined ||
    condition.observedGeneration >= generation
  );
}

/** The condition when it is `True` and about the current spec. */
export function currentTrue(
  object: KubeObject,
  type: string,
): StatusCondition | undefined {
  const c = findCondition(object, type);
  return c?.status === 'True' && isCurrent(object, c) ? c : undefined;
}

/** Ready is `False`, for the current spec, for a reason other than waiting. */
export function readyFailure(object: KubeObject): StatusCondition | undefined {
  const ready = findCondition(object, 'Ready');
  return ready?.status === 'False' &&
    isCurrent(object, ready) &&
    !WAITING_REASONS.has(ready.reason ?? '')
    ? ready
    : undefined;
}

/** Ready is not `True` for a reason that says Flux is on its way. */
export function readyWaiting(object: KubeObject): StatusCondition | undefined {
  const ready = findCondition(object, 'Ready');
  return ready &&
    ready.status !== 'True' &&
    WAITING_REASONS.has(ready.reason ?? '')
    ? ready
    : undefined;
}

/** Flux has not written any condition yet (a new object's status). */
export function neverReconciled(object: KubeObject): boolean {
  return (statusOf(object).conditions ?? []).length === 0;
}

/**
 * Why Flux's status may not describe the object as it is now: a spec
 * generation it has not finished, or a `reconcile.fluxcd.io/requestedAt`
 * it has not handled (echoed in `lastHandledReconcileAt` once it has).
 */
export function pendingChange(object: KubeObject): string | undefined {
  const status = statusOf(object);
  const generation = object.metadata.generation;
  const observed = status.observedGeneration;
  if (generation !== undefined && (observed ?? -1) < generation) {
    return `Flux has not finished generation ${generation} of its spec yet (last finished: ${
      observed !== undefined && observed > 0 ? observed : 'none'
    })`;
  }
  const requested = object.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  if (requested !== undefined && status.lastHandledReconcileAt !== requested) {
    return `the reconcile requested at ${requested} is not handled yet`;
  }
  return undefined;
}

/** `spec.suspend`, and who suspended it when it was done through the portal. */
export function suspension(object: KubeObject): {
  suspended: boolean;
  suspendedBy?: { actor: string; at: string };
} {
  const suspended =
    (object.spec as { suspend?: boolean } | undefined)?.suspend === true;
  const annotations = object.metadata.annotations ?? {};
  const actor = annotations[SUSPENDED_BY_ANNOTATION];
  const at = annotations[SUSPENDED_AT_ANNOTATION];
  return suspended && actor !== undefined && at !== undefined
    ? { suspended, suspendedBy: { actor, at } }
    : { suspended };
}

/** The sentence for a suspended object. */
export function suspendedMessage(
  object: KubeObject,
  suspendedBy: { actor: string; at: string } | undefined,
): string {
  return suspendedBy
    ? `${describe(object)} was suspended by ${suspendedBy.actor} at ${
        suspendedBy.at
      }: Flux does not reconcile it until it is resumed`
    : `${describe(
        object,
      )} is suspended (spec.suspend, not set through the portal): Flux does not reconcile it until it is resumed`;
}

/** A Flux message on one line (Helm's test failures span several). */
export function oneLine(message: string | undefined): string | undefined {
  const line = message?.replace(/\s+/g, ' ').trim();
  return line ? line : undefined;
}

/** Flux's message of a condition, or its reason when it has none. */
export function conditionText(condition: StatusCondition): string {
  return oneLine(condition.message) ?? condition.reason ?? condition.status;
}

/** The stale state's sentence: why, and what was last known (and when). */
export function staleMessage(
  cluster: ClusterSyncStatus,
  lastKnown: string,
): string {
  const asOf = cluster.syncedAt ? ` as of ${cluster.syncedAt}` : '';
  return `Cluster '${cluster.cluster}' cannot be read now (${
    cluster.error ?? 'no error given'
  }); last known${asOf}: ${lastKnown}`;
}
