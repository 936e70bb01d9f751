import { KubeObject } from './ClusterStore';

/** A `metav1.Condition`, as every Flux object's `status.conditions` holds it. */
export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** What a controller decides; the time and generation are filled in. */
export type ConditionChange = Pick<
  FluxCondition,
  'type' | 'status' | 'reason' | 'message'
>;

/** The condition schema's limit on `message`. */
const MAX_MESSAGE = 32768;

/** Flux's condition order: the summary first, then the progress markers. */
const ORDER = ['Ready', 'Reconciling', 'Stalled'];

/** The API server's time format: RFC 3339 to the second. */
export function kubeTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The status of `object`, or an empty one. */
export function statusOf(object: KubeObject): Record<string, any> {
  const status = object.status;
  return status && typeof status === 'object' ? (status as any) : {};
}

/** The conditions of `object`'s status. */
export function conditionsOf(object: KubeObject): FluxCondition[] {
  const conditions = statusOf(object).conditions;
  return Array.isArray(conditions) ? conditions : [];
}

export function findCondition(
  conditions: FluxCondition[],
  type: string,
): FluxCondition | undefined {
  return conditions.find(condition => condition.type === type);
}

/**
 * `conditions` with `change` set, as Flux's condition setter does: the
 * transition time moves only when the status changes.
 */
export function setCondition(
  conditions: FluxCondition[],
  change: ConditionChange,
  generation: number | undefined,
): FluxCondition[] {
  const previous = findCondition(conditions, change.type);
  const next: FluxCondition = {
    type: change.type,
    status: change.status,
    reason: change.reason,
    message:
      change.message.length > MAX_MESSAGE
        ? change.message.slice(0, MAX_MESSAGE)
        : change.message,
    lastTransitionTime:
      previous && previous.status === change.status
        ? previous.lastTransitionTime
        : kubeTime(),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  const others = conditions.filter(c => c.type !== change.type);
  return [...others, next].sort(compareConditions);
}

export function removeCondition(
  conditions: FluxCondition[],
  type: string,
): FluxCondition[] {
  return conditions.filter(condition => condition.type !== type);
}

function compareConditions(a: FluxCondition, b: FluxCondition): number {
  const rank = (c: FluxCondition) => {
    const index = ORDER.indexOf(c.type);
    return index < 0 ? ORDER.length : index;
  };
  return rank(a) - rank(b) || a.type.localeCompare(b.type);
}

/**
 * The JSON merge patch (RFC 7386) that turns `before` into `after`, or
 * `undefined` when they are equal; arrays are replaced whole.
 */
export function mergePatchBetween(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (after[key] === undefined && before[key] !== undefined)
      patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before[key];
    if (isPlainObject(old) && isPlainObject(value)) {
      const nested = mergePatchBetween(old, value);
      if (nested) patch[key] = nested;
    } else if (JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
