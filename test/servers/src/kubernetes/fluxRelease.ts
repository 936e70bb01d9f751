import { createHash } from 'crypto';
import { KubeObject } from './ClusterStore';
import { REQUESTED_AT } from './fluxSource';
import { ReleaseWorkload } from './fluxWorkload';
import { formatGoDuration, parseGoDuration } from './goDuration';

export const HELM_RELEASE_API = 'helm.toolkit.fluxcd.io/v2';
const RESET_AT = 'reconcile.fluxcd.io/resetAt';
const FORCE_AT = 'reconcile.fluxcd.io/forceAt';
/** The chart version when the spec gives a range or none (the simulator has no Chart.yaml to read). */
const UNKNOWN_CHART_VERSION = '0.1.0';

/** The Helm release a HelmRelease describes, as helm-controller derives it. */
export interface ReleaseSpec extends ReleaseWorkload {
  /** `sha256:` digest of the values, Flux's `configDigest`. */
  configDigest: string;
  /** `<source namespace>/<namespace>-<name>`, the HelmChart Flux makes. */
  helmChart: string;
  appVersion?: string;
  timeoutMs: Record<'install' | 'upgrade', number>;
  retries: Record<'install' | 'upgrade', number>;
}

export function releaseSpecOf(object: KubeObject): ReleaseSpec {
  const spec = (object.spec ?? {}) as Record<string, any>;
  const ownNamespace = object.metadata.namespace ?? '';
  const namespace: string = spec.targetNamespace || ownNamespace;
  const name: string =
    spec.releaseName ||
    (spec.targetNamespace
      ? `${spec.targetNamespace}-${object.metadata.name}`
      : object.metadata.name);
  const chart = spec.chart?.spec ?? {};
  const chartPath: string =
    chart.chart ?? spec.chartRef?.name ?? object.metadata.name;
  const chartName = chartPath.split('/').filter(Boolean).pop() ?? chartPath;
  const chartVersion = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(
    String(chart.version ?? ''),
  )
    ? String(chart.version)
    : UNKNOWN_CHART_VERSION;
  const values = (spec.values ?? {}) as Record<string, any>;
  const tag = values.image?.tag;
  const defaultTimeout = parseGoDuration(spec.timeout) ?? 300_000;
  const retriesOf = (action: 'install' | 'upgrade') => {
    const retries = spec[action]?.remediation?.retries;
    return Number.isInteger(retries) ? retries : 0;
  };
  return {
    owner: { namespace: ownNamespace, name: object.metadata.name },
    namespace,
    name,
    chartName,
    chartVersion,
    values,
    configDigest: `sha256:${sha256(canonicalJson(values))}`,
    helmChart: `${chart.sourceRef?.namespace || ownNamespace}/${ownNamespace}-${
      object.metadata.name
    }`,
    appVersion:
      typeof tag === 'string' || typeof tag === 'number'
        ? String(tag)
        : undefined,
    timeoutMs: {
      install: parseGoDuration(spec.install?.timeout) ?? defaultTimeout,
      upgrade: parseGoDuration(spec.upgrade?.timeout) ?? defaultTimeout,
    },
    retries: { install: retriesOf('install'), upgrade: retriesOf('upgrade') },
  };
}

/** The message helm-controller shows while an action runs. */
export function runningMessage(
  action: 'install' | 'upgrade',
  release: ReleaseSpec,
): string {
  return `Running '${action}' action with timeout of ${formatGoDuration(
    release.timeoutMs[action],
  )}`;
}

/** One `status.history` snapshot of a Helm release revision. */
export function snapshotOf(
  release: ReleaseSpec,
  version: number,
  status: 'deployed' | 'failed',
  firstDeployed: string,
  now: string,
): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {
    name: release.name,
    namespace: release.namespace,
    version,
    status,
    chartName: release.chartName,
    chartVersion: release.chartVersion,
    configDigest: release.configDigest,
    firstDeployed,
    lastDeployed: now,
  };
  if (release.appVersion !== undefined)
    snapshot.appVersion = release.appVersion;
  snapshot.digest = `sha256:${sha256(canonicalJson(snapshot))}`;
  return snapshot;
}

/**
 * The operator requests on a HelmRelease (`flux reconcile hr`, `--reset`,
 * `--force`): a reset or force counts only with a matching requestedAt.
 */
export function requestsOf(object: KubeObject, status: Record<string, any>) {
  const annotations = object.metadata.annotations ?? {};
  const requested = annotations[REQUESTED_AT];
  const handle = (annotation: string, handled: string | undefined) => {
    const token = annotations[annotation];
    return token !== undefined && token !== handled && token === requested;
  };
  return {
    reset: handle(RESET_AT, status.lastHandledResetAt),
    force: handle(FORCE_AT, status.lastHandledForceAt),
    /** The bookkeeping fields every handled reconciliation writes. */
    handled: {
      lastHandledReconcileAt: requested ?? status.lastHandledReconcileAt,
      lastHandledResetAt: annotations[RESET_AT] ?? status.lastHandledResetAt,
      lastHandledForceAt: annotations[FORCE_AT] ?? status.lastHandledForceAt,
    },
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with sorted keys, so equal values always digest the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map(
        key => `${JSON.stringify(key)}:${canonicalJson((value as any)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
