import {
  AccountReadiness,
  ReleaseReadiness,
} from '@fleet-portal/plugin-accounts-common';
import { KubeObject } from '../ClusterClient';
import { REQUESTED_AT_ANNOTATION } from '../flux/fluxAnnotations';
import { WAITING_REASONS } from '../flux/fluxConditions';

/** A Flux status condition. */
interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function readyCondition(object: KubeObject): Condition | undefined {
  const status = (object.status ?? {}) as { conditions?: Condition[] };
  return status.conditions?.find(c => c.type === 'Ready');
}

function readyOf(condition: Condition | undefined): boolean | undefined {
  if (condition?.status === 'True') return true;
  if (condition?.status === 'False') return false;
  return undefined;
}

/**
 * Flux has seen the current spec, and handled the last reconcile request
 * (`reconcile.fluxcd.io/requestedAt` echoed in `lastHandledReconcileAt`):
 * until then its status describes an earlier attempt.
 */
function observed(object: KubeObject): boolean {
  const status = (object.status ?? {}) as {
    observedGeneration?: number;
    lastHandledReconcileAt?: string;
  };
  const generation = object.metadata.generation;
  const requested = object.metadata.annotations?.[REQUESTED_AT_ANNOTATION];
  return (
    status.observedGeneration !== undefined &&
    (generation === undefined || status.observedGeneration >= generation) &&
    (requested === undefined || status.lastHandledReconcileAt === requested)
  );
}

function failed(ready: boolean | undefined, condition?: Condition): boolean {
  return ready === false && !WAITING_REASONS.has(condition?.reason ?? '');
}

/** The commit of a Flux revision: `main@sha1:abc…` and `main/abc…` → `abc…`. */
export function revisionSha(revision: string | undefined): string | undefined {
  if (!revision) return undefined;
  const sha = /(?:sha1:|\/|^)([0-9a-f]{7,64})$/i.exec(revision)?.[1];
  return sha?.toLowerCase();
}

/** Whether a Flux revision is the wanted commit (full or abbreviated sha). */
export function isRevision(revision: string | undefined, wanted: string) {
  const sha = revisionSha(revision);
  const want = revisionSha(wanted) ?? wanted.toLowerCase();
  return (
    sha !== undefined &&
    (sha === want ||
      (want.length >= 7 && sha.startsWith(want)) ||
      (sha.length >= 7 && want.startsWith(sha)))
  );
}

/** One HelmRelease as Flux reports it. */
export function releaseReadiness(object: KubeObject): ReleaseReadiness {
  const condition = readyCondition(object);
  const spec = (object.spec ?? {}) as { suspend?: boolean };
  const status = (object.status ?? {}) as {
    lastAttemptedRevision?: string;
    history?: Array<{
      chartVersion?: string;
      version?: number;
      status?: string;
    }>;
  };
  const deployed = status.history?.[0];
  return {
    name: object.metadata.name,
    ready: readyOf(condition),
    ...(condition?.reason !== undefined && { reason: condition.reason }),
    ...(condition?.message !== undefined && { message: condition.message }),
    observed: observed(object),
    suspended: spec.suspend === true,
    ...(status.lastAttemptedRevision !== undefined && {
      lastAttemptedRevision: status.lastAttemptedRevision,
    }),
    ...(deployed && {
      deployed: {
        chartVersion: deployed.chartVersion,
        version: deployed.version,
        status: deployed.status,
      },
    }),
  };
}

function names(namespace: string, releases: ReleaseReadiness[]): string {
  return releases.map(r => `${namespace}/${r.name}`).join(', ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** What {@link summarizeReadiness} decides from. */
export interface ReadinessInput {
  account: string;
  cluster: string;
  /** `undefined` when the cluster has none. */
  kustomization?: KubeObject;
  helmReleases: KubeObject[];
  /** The commit that must be applied, when one is awaited. */
  revision?: string;
  checkedAt: Date;
}

/**
 * Decides an account's readiness from its Kustomization and HelmReleases, by
 * the rules documented on `AccountReadiness`, in this order: `missing` (no
 * Kustomization); `suspended` (the Kustomization is); `failed` (the
 * Kustomization failed on the wanted commit); `progressing` (the wanted
 * commit is not applied yet: releases may still show the previous one);
 * `failed` (a HelmRelease that has seen its current spec is not Ready and
 * not waiting); `suspended` (a HelmRelease is); `progressing` (a release is
 * not Ready for its current spec yet); else `ready`.
 */
export function summarizeReadiness(input: ReadinessInput): AccountReadiness {
  const { account, cluster, kustomization: k, revision } = input;
  const base = {
    account,
    cluster,
    ...(revision !== undefined && { wantedRevision: revision }),
    checkedAt: input.checkedAt.toISOString(),
  };
  const kName = `${account}/${account}`;
  if (!k) {
    return {
      ...base,
      state: 'missing',
      message: `Cluster '${cluster}' has no Flux Kustomization ${kName}: the account is not provisioned there`,
      releases: [],
    };
  }
  const condition = readyCondition(k);
  const status = (k.status ?? {}) as {
    lastAppliedRevision?: string;
    lastAttemptedRevision?: string;
  };
  const kustomization = {
    name: k.metadata.name,
    namespace: k.metadata.namespace ?? account,
    ready: readyOf(condition),
    ...(condition?.reason !== undefined && { reason: condition.reason }),
    ...(condition?.message !== undefined && { message: condition.message }),
    ...(status.lastAppliedRevision !== undefined && {
      lastAppliedRevision: status.lastAppliedRevision,
    }),
    ...(status.lastAttemptedRevision !== undefined && {
      lastAttemptedRevision: status.lastAttemptedRevision,
    }),
    suspended: (k.spec as { suspend?: boolean } | undefined)?.suspend === true,
  };
  const releases = input.helmReleases
    .map(releaseReadiness)
    .sort((a, b) => a.name.localeCompare(b.name));
  const result = (state: AccountReadiness['state'], message: string) => ({
    ...base,
    state,
    message,
    kustomization,
    releases,
  });

  if (kustomization.suspended) {
    return result('suspended', `Kustomization ${kName} is suspended`);
  }
  const attemptedWanted =
    revision === undefined ||
    isRevision(status.lastAttemptedRevision, revision);
  if (
    observed(k) &&
    attemptedWanted &&
    failed(kustomization.ready, condition)
  ) {
    return result(
      'failed',
      `Kustomization ${kName} failed: ${
        condition?.message ?? condition?.reason
      }`,
    );
  }
  const applied =
    revision === undefined
      ? kustomization.ready === true
      : isRevision(status.lastAppliedRevision, revision) &&
        kustomization.ready === true;
  if (!applied) {
    const short = revision
      ? revisionSha(revision)?.slice(0, 7) ?? revision
      : '';
    return result(
      'progressing',
      revision
        ? `Waiting for Flux to apply commit ${short} (Kustomization ${kName} applied ${
            status.lastAppliedRevision ?? 'nothing yet'
          })`
        : `Waiting for Kustomization ${kName} to become Ready${
            condition?.message ? `: ${condition.message}` : ''
          }`,
    );
  }
  const broken = releases.filter(
    r => r.observed && !r.suspended && failed(r.ready, { reason: r.reason }),
  );
  if (broken.length > 0) {
    const first = broken[0];
    return result(
      'failed',
      `HelmRelease ${account}/${first.name} failed: ${
        first.message ?? first.reason
      }${
        broken.length > 1
          ? ` (also failed: ${names(account, broken.slice(1))})`
          : ''
      }`,
    );
  }
  const suspended = releases.filter(r => r.suspended);
  if (suspended.length > 0) {
    return result(
      'suspended',
      `${suspended.length === 1 ? 'HelmRelease' : 'HelmReleases'} ${names(
        account,
        suspended,
      )} ${suspended.length === 1 ? 'is' : 'are'} suspended`,
    );
  }
  const waiting = releases.filter(r => !(r.observed && r.ready === true));
  if (waiting.length > 0) {
    const first = waiting[0];
    return result(
      'progressing',
      `Waiting for HelmRelease ${account}/${first.name}: ${
        first.message ?? 'not reconciled yet'
      }${
        waiting.length > 1
          ? ` (and ${plural(waiting.length - 1, 'other')})`
          : ''
      }`,
    );
  }
  return result(
    'ready',
    `Kustomization ${kName} applied ${
      status.lastAppliedRevision ?? 'its source'
    }; ${plural(releases.length, 'HelmRelease')} Ready`,
  );
}
